// Store-and-forward: what was posted while a peer was away comes back from the relay's archive.
import { afterEach, describe, expect, it } from 'vitest'
import type { EventId } from '../../src/core/types.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
import { startTestPeer, stopTestPeers, waitForRelays } from '../support/relay-peers.ts'

afterEach(async () => {
  await stopTestPeers()
  await cleanupRelays()
})

describe('catch-up from the relay archive', () => {
  it('a peer offline while 500 posts are made has all of them when it comes back, with the author gone', async () => {
    // 500 posts are 1,000 gossip messages (event + signed index change) from one peer in a
    // few seconds: above the default per-peer rate (100/s), which would rightly drop them.
    const relay = await startRelayProcess({ args: ['--gossip-rate', '2000'] })
    const author = await startTestPeer({ name: 'author', relays: relay.wsAddrs() })
    const reader = await startTestPeer({ name: 'reader', relays: relay.wsAddrs(), follows: () => [author.me] })
    await Promise.all([waitForRelays(author, 1), waitForRelays(reader, 1)])
    await new Promise((r) => setTimeout(r, 1500))
    const first = await author.post('before the reader leaves')
    await reader.waitFor([first.id])

    const data = reader.data
    const secret = reader.secret
    await reader.stop()

    const ids: EventId[] = []
    for (let i = 0; i < 500; i++) ids.push((await author.post(`离线期间的第 ${i} 条`)).id)
    // all of them reached the archive before the author leaves too
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline && ((await readMetric(relay, 'wg_archive_events')) ?? 0) < 501) await new Promise((r) => setTimeout(r, 500))
    expect(await readMetric(relay, 'wg_archive_events')).toBe(501)
    await author.stop()

    const back = await startTestPeer({ name: 'reader-back', relays: relay.wsAddrs(), data, secret, follows: () => [author.me] })
    expect(await back.has(first.id)).toBe(true) // its own storage survived
    await back.waitFor(ids, 30_000)
    expect((await back.store.authorPosts(author.me, { limit: 200 })).items.length).toBe(200)
    expect(await readMetric(relay, 'wg_sync_sessions_total')).toBeGreaterThanOrEqual(1)
  })
})
