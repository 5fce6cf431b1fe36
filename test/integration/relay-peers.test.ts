// A relay process and 10 Node peers (real store, real libp2p, real network façade) on loopback.
import { afterEach, describe, expect, it } from 'vitest'
import type { EventId } from '../../src/core/types.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
import { startTestPeer, stopTestPeers, waitForRelays, type TestPeer } from '../support/relay-peers.ts'

afterEach(async () => {
  await stopTestPeers()
  await cleanupRelays()
})

describe('relay with 10 peers', () => {
  it('delivers every post of each of 10 peers to all the others, and archives them', async () => {
    const relay = await startRelayProcess()
    const peers: TestPeer[] = []
    for (let i = 0; i < 10; i++) peers.push(await startTestPeer({ name: `peer${i}`, relays: relay.wsAddrs() }))
    await Promise.all(peers.map((p) => waitForRelays(p, 1)))
    await new Promise((r) => setTimeout(r, 1500)) // a gossipsub heartbeat: meshes grafted

    const ids: EventId[] = []
    for (const [i, p] of peers.entries()) {
      for (let k = 0; k < 3; k++) ids.push((await p.post(`第${k}条 from peer ${i} 🌱`)).id)
    }
    await Promise.all(peers.map((p) => p.waitFor(ids, 15_000)))

    // the relay stored all 30 and counted them
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline && ((await readMetric(relay, 'wg_archive_events')) ?? 0) < 30) await new Promise((r) => setTimeout(r, 500))
    expect(await readMetric(relay, 'wg_archive_events')).toBe(30)
    expect(await readMetric(relay, 'wg_archive_authors')).toBe(10)
    expect(await readMetric(relay, 'wg_connected_peers')).toBe(10)
    const metrics = await relay.fetchText('/metrics')
    expect(metrics).toMatch(/wg_gossip_messages_validated_total\{topic="wg\/1\/events",result="accept"\} \d+/)
    expect(metrics).not.toMatch(/result="reject"\} [1-9]/)
  })
})
