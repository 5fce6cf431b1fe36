// Two Node peers and in-process relays on loopback: events travel by gossip (validated on the
// way), a late peer catches up by the sync protocol, and omissions by one relay are detected
// and filled from another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvent } from '../../src/core/index.ts'
import type { SignedEvent } from '../../src/core/index.ts'
import { TOPIC_EVENTS } from '../../src/net/topics.ts'
import { createTestAuthor } from '../support/net-memory-store.ts'
import { startTestPeer, startTestRelay, waitFor, waitForMesh } from '../support/net-harness.ts'
import type { TestPeer, TestRelay } from '../support/net-harness.ts'

describe('gossip and catch-up through relays', () => {
  let relay1: TestRelay
  let relay2: TestRelay
  const peers: TestPeer[] = []
  const alice = createTestAuthor()

  beforeAll(async () => {
    relay1 = await startTestRelay()
    relay2 = await startTestRelay({ peers: [relay1.addr] })
  })
  afterAll(async () => {
    for (const p of peers) await p.stop()
    await relay2?.stop()
    await relay1?.stop()
  })

  it('delivers a post from one peer to another through the relay, and into the archive', async () => {
    const a = await startTestPeer([relay1.addr])
    const b = await startTestPeer([relay1.addr])
    peers.push(a, b)
    await waitForMesh(a.node, TOPIC_EVENTS)
    await waitForMesh(b.node, TOPIC_EVENTS)
    const got: SignedEvent[] = []
    b.net.onEvent((e) => got.push(e))
    const post = createEvent(alice.secret, { kind: 'post', body: { text: '野火烧不尽 #春风' } })
    await a.net.publishEvent(post.bytes)
    await waitFor(() => got.length === 1, 10_000, 'gossip delivery')
    expect(got[0]!.id).toBe(post.id)
    expect(b.store.events.get(post.id)).toEqual(new Uint8Array(post.bytes))
    await waitFor(() => relay1.store.events.has(post.id), 5_000, 'archive')
    // relay2 is peered with relay1: the backbone carries it too
    await waitFor(() => relay2.store.events.has(post.id), 10_000, 'backbone')
    expect(relay1.net.counters.rejected).toBe(0)
  })

  it('catches a late peer up from the relay archive: changes, then the indexed events', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `post ${i}`)
    await alice.post(relay1.store, texts.slice(0, 150))
    await alice.post(relay1.store, texts.slice(150))
    const late = await startTestPeer([relay1.addr], { authors: [alice.id], net: { recentPages: 0 } })
    peers.push(late)
    await waitFor(() => late.net.status.get().relays.length === 1, 10_000, 'relay connection')
    const relayPeer = late.node.getConnections()[0]!.remotePeer
    const report = await late.net.syncWith(relayPeer)
    expect(report.changes).toBe(2)
    expect(report.events).toBe(300)
    expect(report.rejected).toBe(0)
    expect(await late.store.indexedEventIds(alice.id)).toHaveLength(300)
    expect(await late.store.missingEventIds(await late.store.indexedEventIds(alice.id))).toEqual([])
    expect(late.net.missingCount(alice.id)).toBe(0)
    // nothing new: a second session transfers nothing
    const again = await late.net.syncWith(relayPeer)
    expect(again.changes + again.events).toBe(0)
  })

  it('detects events a relay withholds and fetches them from another relay', async () => {
    const bob = createTestAuthor()
    const { events, change } = await bob.post(relay1.store, ['a', 'b', 'c', 'd', 'e'])
    // relay2 has the same feed and events; relay1 hides two of them
    await relay2.store.ingestEvents(events.map((e) => e.bytes))
    await relay2.store.ingestChanges([change])
    relay1.store.withhold.add(events[1]!.id)
    relay1.store.withhold.add(events[3]!.id)
    const c = await startTestPeer([relay1.addr], { authors: [bob.id], net: { recentPages: 0 } })
    peers.push(c)
    await waitFor(() => c.net.status.get().relays.length === 1, 10_000, 'relay connection')
    await c.net.syncWith(c.node.getConnections()[0]!.remotePeer)
    expect(c.net.missingCount(bob.id)).toBe(2)
    c.net.addRelay(relay2.addr)
    await waitFor(() => c.net.status.get().relays.length === 2, 10_000, 'second relay')
    await c.net.syncNow()
    expect(c.net.missingCount(bob.id)).toBe(0)
    for (const e of events) expect(c.store.events.has(e.id)).toBe(true)
  })

  it('store-and-forward: recent events after a cursor, resuming where the last session stopped', async () => {
    const d = await startTestPeer([relay1.addr], { net: { recentPages: 2 } })
    peers.push(d)
    await waitFor(() => d.net.status.get().relays.length === 1, 10_000, 'relay connection')
    const relayPeer = d.node.getConnections()[0]!.remotePeer
    const total = relay1.store.log.length
    let received = 0
    for (let i = 0; i < 10 && received < total; i++) received += (await d.net.syncWith(relayPeer)).recent
    expect(received).toBe(total) // 2 pages (400) per session: several sessions, nothing twice
    expect(d.store.events.size).toBe(total)
  })
})
