// A malicious peer floods the events topic with garbage, forged and oversized messages and with
// more valid messages than its rate allows: nothing crashes, nothing invalid is delivered or
// forwarded, its score drops, and an honest post still arrives. The same with relays and peers
// verifying through the synchronous Node backend (src/net/verify-node.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvent, generateSecretKey } from '../../src/core/index.ts'
import type { SignedEvent } from '../../src/core/index.ts'
import { TOPIC_CHANGES, TOPIC_EVENTS } from '../../src/net/topics.ts'
import { createNodeVerifier } from '../../src/net/verify-node.ts'
import { startTestPeer, startTestRelay, waitFor, waitForMesh } from '../support/net-harness.ts'
import type { TestPeer, TestRelay } from '../support/net-harness.ts'

describe.each(['core', 'node'] as const)('flooding peer (%s verifier)', (mode) => {
  const net = mode === 'node' ? { net: { verifier: createNodeVerifier() } } : {}
  let relay: TestRelay
  let honestA: TestPeer
  let honestB: TestPeer
  let mallory: TestPeer

  beforeAll(async () => {
    relay = await startTestRelay(net)
    honestA = await startTestPeer([relay.addr], { privacy: 'relay-only', ...net })
    honestB = await startTestPeer([relay.addr], { privacy: 'relay-only', ...net })
    // Mallory runs a node but none of our validation: she publishes whatever she likes
    mallory = await startTestPeer([relay.addr], { privacy: 'relay-only' })
    await mallory.net.stop()
    mallory.node.services.pubsub.subscribe(TOPIC_EVENTS)
    mallory.node.services.pubsub.subscribe(TOPIC_CHANGES)
    await mallory.node.dial(relay.node.getMultiaddrs().find((m) => m.toString().includes('/ws/'))!)
    for (const p of [honestA, honestB, mallory]) await waitForMesh(p.node, TOPIC_EVENTS)
  })
  afterAll(async () => {
    for (const p of [honestA, honestB, mallory]) await p?.stop()
    await relay?.stop()
  })

  it('rejects the flood, penalises the sender, and still delivers honest posts', async () => {
    const got: SignedEvent[] = []
    honestB.net.onEvent((e) => got.push(e))
    const pubsub = mallory.node.services.pubsub
    const secret = generateSecretKey()
    const valid = createEvent(secret, { kind: 'post', body: { text: 'real' } })
    const forged = new Uint8Array(valid.bytes)
    forged[forged.length - 1]! ^= 1 // signature no longer matches
    const junk: Uint8Array[] = [
      forged,
      new Uint8Array(5000).fill(0xa1), // over MAX_EVENT_BYTES
      new Uint8Array(200 * 1024), // large, under the RPC limit
      ...Array.from({ length: 300 }, (_, i) => crypto.getRandomValues(new Uint8Array(50 + i))),
    ]
    for (const bytes of junk) await pubsub.publish(TOPIC_EVENTS, bytes).catch(() => {})
    for (let i = 0; i < 20; i++) await pubsub.publish(TOPIC_CHANGES, crypto.getRandomValues(new Uint8Array(100))).catch(() => {})
    // far over the RPC size limit: the relay drops the RPC without decoding it
    await pubsub.publish(TOPIC_EVENTS, new Uint8Array(400 * 1024)).catch(() => {})
    await waitFor(() => relay.net.counters.rejected >= 3, 10_000, 'relay rejections')

    const honest = createEvent(generateSecretKey(), { kind: 'post', body: { text: 'still here 还在' } })
    await honestA.net.publishEvent(honest.bytes)
    await waitFor(() => got.some((e) => e.id === honest.id), 10_000, 'honest post')
    await new Promise((r) => setTimeout(r, 500))
    expect(got.map((e) => e.id)).toEqual([honest.id]) // nothing of Mallory's got through
    expect(honestB.net.counters.rejected).toBe(0) // the relay forwarded none of it
    expect(relay.store.events.size).toBe(1)
    // scores are cached for a heartbeat (1 s)
    const scoreOf = (): number => (relay.node.services.pubsub as unknown as { getScore(p: string): number }).getScore(mallory.node.peerId.toString())
    await waitFor(() => scoreOf() < -80, 5_000, 'graylist-level score') // graylistThreshold
  })

  // the rate limits do not depend on the verifier: run once
  if (mode === 'core')
    it('rate-limits a peer that floods with valid posts (excess ignored, not forwarded)', async () => {
      const got: SignedEvent[] = []
      honestB.net.onEvent((e) => got.push(e))
      const flooder = await startTestPeer([relay.addr], { privacy: 'relay-only' })
      await waitForMesh(flooder.node, TOPIC_EVENTS)
      const secret = generateSecretKey()
      const before = relay.net.counters.ignored
      const posts = Array.from({ length: 800 }, (_, i) => createEvent(secret, { kind: 'post', body: { text: `spam ${i}` } }))
      await Promise.all(posts.map((p) => flooder.net.publishEvent(p.bytes)))
      await waitFor(() => relay.net.counters.ignored > before, 10_000, 'rate limit')
      // wait until deliveries start, then until they stop
      await waitFor(() => got.length > 0, 10_000, 'first deliveries')
      let last = -1
      while (got.length !== last) {
        last = got.length
        await new Promise((r) => setTimeout(r, 700))
      }
      // burst 500 at 100/s: clearly fewer than all 800 pass the relay, but the burst does
      expect(got.length).toBeLessThan(800)
      expect(got.length).toBeGreaterThanOrEqual(400)
      await flooder.stop()
    })

  if (mode === 'core')
    it('does not rate-limit the relay backbone: a peered relay forwards everything it accepted', async () => {
      const generous = await startTestRelay({ net: { rateLimit: { perSecond: 10_000, burst: 10_000 } } })
      const strict = await startTestRelay({ peers: [generous.addr] }) // default: 100/s, burst 500
      const sender = await startTestPeer([generous.addr], { privacy: 'relay-only' })
      try {
        await waitForMesh(sender.node, TOPIC_EVENTS)
        await waitFor(() => strict.node.services.pubsub.getSubscribers(TOPIC_EVENTS).length >= 1, 10_000, 'backbone')
        await new Promise((r) => setTimeout(r, 1500)) // mesh between the relays
        const secret = generateSecretKey()
        const posts = Array.from({ length: 800 }, (_, i) => createEvent(secret, { kind: 'post', body: { text: `burst ${i}` } }))
        await Promise.all(posts.map((p) => sender.net.publishEvent(p.bytes)))
        await waitFor(() => strict.store.events.size === 800, 15_000, 'all 800 on the peered relay')
        expect(strict.net.counters.ignored).toBe(0)
      } finally {
        await sender.stop()
        await strict.stop()
        await generous.stop()
      }
    })
})
