// Several relays: the backbone (--peer), signed relay records, and failover when one dies.
import { afterEach, describe, expect, it } from 'vitest'
import { openRelayRecord } from '../../src/core/relay-record.ts'
import { TOPIC_RELAYS } from '../../src/net/topics.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
import { startTestPeer, stopTestPeers, waitForRelays } from '../support/relay-peers.ts'

afterEach(async () => {
  await stopTestPeers()
  await cleanupRelays()
})

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return Date.now() - t0
}

describe('relays together', () => {
  it('two relays peered with --peer: peers on different relays see each other’s posts', async () => {
    const a = await startRelayProcess()
    const b = await startRelayProcess({ peers: [a.wsAddrs()[0]!] })
    await until('relays connected', async () => ((await readMetric(a, 'wg_connected_peers')) ?? 0) >= 1, 10_000)
    const alice = await startTestPeer({ name: 'alice@A', relays: a.wsAddrs(), targetRelays: 1 })
    const bob = await startTestPeer({ name: 'bob@B', relays: b.wsAddrs(), targetRelays: 1 })
    await Promise.all([waitForRelays(alice, 1), waitForRelays(bob, 1)])
    await new Promise((r) => setTimeout(r, 1500))
    const fromAlice = await alice.post('来自 A 的问候')
    const fromBob = await bob.post('hello from B')
    await bob.waitFor([fromAlice.id], 10_000)
    await alice.waitFor([fromBob.id], 10_000)
    // each relay archived both: the backbone carries everything
    await until(
      'both archived on both relays',
      async () => (await readMetric(a, 'wg_archive_events')) === 2 && (await readMetric(b, 'wg_archive_events')) === 2,
      15_000,
    )
  })

  it('a relay dies: its client, which learnt the other relay from a signed relay record and approved it, moves there within 5 s and posts still flow', async () => {
    const fast = ['--announce-interval-ms', '1000']
    const a = await startRelayProcess({ args: fast })
    const b = await startRelayProcess({ peers: [a.wsAddrs()[0]!], args: fast })
    await until('relays connected', async () => ((await readMetric(a, 'wg_connected_peers')) ?? 0) >= 1, 10_000)
    // the client is told only of relay A and keeps one relay connection
    const client = await startTestPeer({ name: 'client', relays: a.wsAddrs(), targetRelays: 1 })
    const other = await startTestPeer({ name: 'other@B', relays: b.wsAddrs(), targetRelays: 1 })
    const bId = b.wsAddrs()[0]!.split('/p2p/')[1]!
    // (network.status.knownRelays is only refreshed on connection events, so watch the gossip itself)
    let recordsOfB = 0
    client.node.services.pubsub.addEventListener('message', (evt) => {
      if (evt.detail.topic !== TOPIC_RELAYS) return
      void openRelayRecord(evt.detail.data).then((r) => {
        if (r.peer === bId) recordsOfB++
      })
    })
    await Promise.all([waitForRelays(client, 1), waitForRelays(other, 1)])
    await until('client receives relay B’s signed record through relay A', () => recordsOfB > 0, 20_000)
    expect(client.relays()).not.toContain(bId)
    // learned, not chosen: the relay-only client lists B and dials it only once the person approves it
    await until('relay B listed as learned', () => client.network.learnedRelays().some((l) => l.addr.endsWith(bId)), 5_000)
    expect(client.network.addRelay(client.network.learnedRelays().find((l) => l.addr.endsWith(bId))!.addr)).toBe(true)
    // approved, but one relay is all it keeps: A stays its only one until A dies
    await new Promise((r) => setTimeout(r, 1_500))
    expect(client.relays()).not.toContain(bId)

    await a.kill9()
    const moved = await until('client connected to relay B', () => client.relays().includes(bId), 5_000)
    expect(moved).toBeLessThanOrEqual(5_000)
    console.info(`client moved to relay B ${moved} ms after relay A was killed`)
    await waitForRelays(client, 1)
    await new Promise((r) => setTimeout(r, 1500))
    const post = await client.post('still here after relay A died')
    await other.waitFor([post.id], 10_000)
  })
})
