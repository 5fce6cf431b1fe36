// Feed-document changes whose dependencies nobody has (a stranger signs changes on top of one
// it never publishes): every client that receives one fetches that author's missing changes,
// and before repairs were bounded, 20 such changes (5.7 KB) made 6 clients open 120 sync
// sessions with the relay. Now repairs are coalesced (one session for the authors of a moment)
// and bounded per author and per client: N orphan changes cause a bounded number of sessions.
import { afterEach, describe, expect, it } from 'vitest'
import { generateSecretKey } from '../../src/core/keys.ts'
import { createStore } from '../../src/store/create-store.ts'
import { createMemoryStorage } from '../../src/store/memory-storage.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
import { startTestPeer, stopTestPeers, waitForRelays, type TestPeer } from '../support/relay-peers.ts'

afterEach(async () => {
  await stopTestPeers()
  await cleanupRelays()
})

/** `count` signed changes of one author, each depending on a first change that is never sent. */
async function orphanChanges(count: number): Promise<Uint8Array[]> {
  const store = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
  await store.start()
  await store.editProfile({ name: 'never sent' })
  const out: Uint8Array[] = []
  for (let i = 0; i < count; i++) out.push(...(await store.editProfile({ name: `孤儿 ${i}` })).envelopes)
  await store.close()
  return out
}

const sessions = async (relay: Parameters<typeof readMetric>[0]): Promise<number> => (await readMetric(relay, 'wg_sync_sessions_total')) ?? 0

/** Waits until the relay's session count has not moved for `quietMs`. */
async function settle(relay: Parameters<typeof readMetric>[0], quietMs = 3000): Promise<number> {
  let last = await sessions(relay)
  let since = Date.now()
  while (Date.now() - since < quietMs) {
    await new Promise((r) => setTimeout(r, 250))
    const now = await sessions(relay)
    if (now !== last) {
      last = now
      since = Date.now()
    }
  }
  return last
}

describe('orphan feed-document changes', () => {
  it('20 orphans of one author, then one each of 20 authors, to 6 clients: a bounded number of repair sessions', async () => {
    const relay = await startRelayProcess({ args: ['--no-webrtc-direct', '--gossip-rate', '1000'] })
    const clients: TestPeer[] = []
    for (let i = 0; i < 6; i++) clients.push(await startTestPeer({ name: `c${i}`, relays: relay.wsAddrs() }))
    const stranger = await startTestPeer({ name: 'stranger', relays: relay.wsAddrs() })
    await Promise.all([...clients, stranger].map((p) => waitForRelays(p, 1)))
    await new Promise((r) => setTimeout(r, 1500))
    const before = await settle(relay)

    const one = await orphanChanges(20)
    for (const envelope of one) {
      await stranger.network.publishChange(envelope)
      await new Promise((r) => setTimeout(r, 150))
    }
    const afterOne = await settle(relay)
    const many = (await Promise.all(Array.from({ length: 20 }, () => orphanChanges(1)))).flat()
    for (const envelope of many) await stranger.network.publishChange(envelope)
    const afterMany = await settle(relay)
    const bytes = [...one, ...many].reduce((n, b) => n + b.length, 0)
    console.info(
      `orphans: 20 of one author → ${afterOne - before} sessions; 20 authors at once → ${afterMany - afterOne} sessions (6 clients, ${(bytes / 1024).toFixed(1)} KB of changes)`,
    )
    // at most one repair per author per client, and the authors of a moment in one session
    expect(afterOne - before).toBeLessThanOrEqual(6)
    expect(afterMany - afterOne).toBeLessThanOrEqual(12)
  })
})
