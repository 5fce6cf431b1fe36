// Relay failover (issue 4): a client keeps two relays out of the three it knows; when one
// dies it is on another within 5 s, and posts keep flowing over the remaining backbone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvent, generateSecretKey } from '../../src/core/index.ts'
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
    await waitFor(() => {
      const s = a.net.status.get().relays
      return s.length === 2 && !s.includes(victimId)
    }, 5_000, 'failover')
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
})
