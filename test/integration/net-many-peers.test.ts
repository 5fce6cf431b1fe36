// Ten peers on two peered relays (each peer connected to both, as clients are) all post at
// once: every peer receives every other peer's post, and both archives hold all ten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvent, generateSecretKey } from '../../src/core/index.ts'
import { TOPIC_EVENTS } from '../../src/net/topics.ts'
import { startTestPeer, startTestRelay, waitFor } from '../support/net-harness.ts'
import type { TestPeer, TestRelay } from '../support/net-harness.ts'

describe('ten peers, two relays', () => {
  const relays: TestRelay[] = []
  const peers: TestPeer[] = []

  beforeAll(async () => {
    relays.push(await startTestRelay())
    relays.push(await startTestRelay({ peers: [relays[0]!.addr] }))
    for (let i = 0; i < 10; i++)
      peers.push(
        await startTestPeer(
          relays.map((r) => r.addr),
          { privacy: i % 2 === 0 ? 'relay-only' : 'direct' },
        ),
      )
    await waitFor(() => peers.every((p) => p.node.services.pubsub.getSubscribers(TOPIC_EVENTS).length >= 2), 20_000, 'subscriptions')
    await new Promise((r) => setTimeout(r, 2500)) // a couple of heartbeats: meshes formed
  })
  afterAll(async () => {
    for (const p of peers) await p.stop()
    for (const r of relays) await r.stop()
  })

  it('delivers every post to every other peer', async () => {
    const received = peers.map(() => new Set<string>())
    peers.forEach((p, i) => p.net.onEvent((e) => received[i]!.add(e.id)))
    const posts = peers.map((_, i) => createEvent(generateSecretKey(), { kind: 'post', body: { text: `hello from ${i} 你好` } }))
    await Promise.all(peers.map((p, i) => p.net.publishEvent(posts[i]!.bytes)))
    await waitFor(() => received.every((set, i) => posts.every((post, j) => i === j || set.has(post.id))), 15_000, 'all posts everywhere').catch(
      (err: unknown) => {
        // say who missed what, for the log
        received.forEach((set, i) =>
          console.log(
            `peer ${i} (${i % 2 === 0 ? 'relay-only' : 'direct'}) has ${set.size}/9, relays ${peers[i]!.net.status.get().relays.length}, peers ${peers[i]!.net.status.get().peers.length}`,
          ),
        )
        throw err
      },
    )
    for (const r of relays) await waitFor(() => posts.every((p) => r.store.events.has(p.id)), 5_000, 'archives')
    expect(relays.map((r) => r.net.counters.rejected)).toEqual([0, 0])
  })
})
