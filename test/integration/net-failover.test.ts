// Relay failover: a client keeps two relays out of the three it knows; when one
// dies it is on another within 5 s, and posts keep flowing over the remaining backbone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvent, createRelayRecord, generateSecretKey } from '../../src/core/index.ts'
import type { SignedEvent } from '../../src/core/index.ts'
import { TOPIC_EVENTS } from '../../src/net/topics.ts'
import { startTestPeer, startTestRelay, waitFor, waitForMesh } from '../support/net-harness.ts'
import type { TestPeer, TestRelay } from '../support/net-harness.ts'

describe('relay failover', () => {
  const relays: TestRelay[] = []
  let a: TestPeer, b: TestPeer

  beforeAll(async () => {
    const r1 = await startTestRelay()
    const r2 = await startTestRelay({ peers: [r1.addr] })
    const r3 = await startTestRelay({ peers: [r1.addr, r2.addr] })
    relays.push(r1, r2, r3)
    const addrs = relays.map((r) => r.addr)
    a = await startTestPeer(addrs, { privacy: 'relay-only' })
    b = await startTestPeer([...addrs].reverse(), { privacy: 'relay-only' })
    await waitFor(() => a.net.status.get().relays.length === 2 && b.net.status.get().relays.length === 2, 10_000, 'two relays each')
  })
  afterAll(async () => {
    for (const p of [a, b]) await p?.stop()
    for (const r of relays) await r.stop()
  })

  it('moves to another relay within 5 s when one dies, and posts still arrive', async () => {
    expect(a.net.status.get().knownRelays).toBe(3)
    const victimId = a.net.status.get().relays[0]!
    const victim = relays.find((r) => r.node.peerId.toString() === victimId)!
    const t0 = Date.now()
    await victim.stop()
    await waitFor(
      () => {
        const s = a.net.status.get().relays
        return s.length === 2 && !s.includes(victimId)
      },
      5_000,
      'failover',
    )
    const failoverMs = Date.now() - t0
    expect(failoverMs).toBeLessThan(5_000)

    await waitForMesh(a.node, TOPIC_EVENTS)
    await waitForMesh(b.node, TOPIC_EVENTS)
    const got: SignedEvent[] = []
    b.net.onEvent((e) => got.push(e))
    const post = createEvent(generateSecretKey(), { kind: 'post', body: { text: 'after failover' } })
    await a.net.publishEvent(post.bytes)
    await waitFor(() => got.some((e) => e.id === post.id), 10_000, 'post after failover')
  })

  it('a relay from a signed relay record is learned, listed and not dialled in relay-only mode until the person approves it', async () => {
    const r4 = await startTestRelay({ peers: [relays[1]!.addr] })
    relays.push(r4)
    const c = await startTestPeer([relays[1]!.addr], { privacy: 'relay-only' })
    try {
      await waitForMesh(c.node, 'wg/1/relays')
      await waitFor(() => r4.node.services.pubsub.getSubscribers('wg/1/relays').length >= 1, 10_000, 'relay backbone')
      expect(c.net.status.get().knownRelays).toBe(1)
      const r4Id = r4.node.peerId.toString()
      // anyone can sign a record for any relay: a stranger's key announces r4
      const record = createRelayRecord(generateSecretKey(), { peer: r4Id, addrs: [r4.addr.split('/p2p/')[0]!] })
      await r4.net.publishRelayRecord(record.bytes)
      await waitFor(() => c.net.learnedRelays().some((l) => l.addr.endsWith(r4Id)), 10_000, 'record learned')
      // the pool checks every second: give it several chances to (wrongly) dial
      await new Promise((r) => setTimeout(r, 3_000))
      expect(c.node.getConnections(r4.node.peerId)).toEqual([])
      expect(r4.node.getConnections(c.node.peerId)).toEqual([])
      // approved: now it is the person's choice and is dialled
      expect(c.net.addRelay(c.net.learnedRelays()[0]!.addr)).toBe(true)
      await waitFor(() => c.net.status.get().relays.includes(r4Id), 10_000, 'connect to the approved relay')
      expect(c.net.learnedRelays()).toEqual([])
      expect(c.net.status.get().knownRelays).toBe(2)
      // a forged record (bit flipped) is rejected and teaches nothing
      const forged = new Uint8Array(createRelayRecord(generateSecretKey(), { peer: a.node.peerId.toString(), addrs: ['/ip4/127.0.0.1/tcp/1/ws'] }).bytes)
      forged[forged.length - 1]! ^= 1
      const rejected = (): number => relays.reduce((n, r) => n + r.net.counters.rejected, 0)
      const before = rejected()
      await a.node.services.pubsub.publish('wg/1/relays', forged).catch(() => {})
      await waitFor(() => rejected() > before, 5_000, 'forged record rejected by a relay')
      await new Promise((r) => setTimeout(r, 300))
      expect(c.net.status.get().knownRelays).toBe(2)
    } finally {
      await c.stop()
    }
  })
})
