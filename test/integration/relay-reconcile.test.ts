// Relays reconcile their archives (protocol/reconcile.md): real relay processes that held
// different posts meet and end up with the union, fetched by set reconciliation, not replayed
// by gossip; a new relay joining fills its archive the same way.
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
import type { RelayProcess } from '../support/relay-process.ts'
import { startTestPeer, stopTestPeers, waitForRelays } from '../support/relay-peers.ts'

afterEach(async () => {
  await stopTestPeers()
  await cleanupRelays()
})

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const events = async (relay: RelayProcess) => (await readMetric(relay, 'wg_archive_events')) ?? 0

/** One person posting `n` posts through `relay` only; resolves when the relay archived them. */
async function postThrough(relay: RelayProcess, name: string, n: number, already = 0): Promise<void> {
  const peer = await startTestPeer({ name, relays: relay.wsAddrs(), targetRelays: 1 })
  await waitForRelays(peer, 1)
  for (let i = 0; i < n; i++) await peer.post(`${name} ${i} 野草`)
  await until(`${name}'s posts archived`, async () => (await events(relay)) >= already + n, 15_000)
  await peer.stop()
}

describe('relay reconciliation', () => {
  it('two relays with different archives meet and each fetches what it lacked', async () => {
    const args = ['--reconcile-interval-ms', '3600000']
    const a = await startRelayProcess({ args })
    const b0 = await startRelayProcess({ args })
    await postThrough(a, 'alice', 30)
    await postThrough(b0, 'bob', 20)
    expect(await events(a)).toBe(30)
    expect(await events(b0)).toBe(20)
    // b comes back peered with a: no gossip replays old posts, reconciliation must carry them
    const dataDir = b0.dataDir
    await b0.stop()
    const b = await startRelayProcess({ dataDir, peers: [a.wsAddrs()[0]!], args })
    await until('both relays hold all 50 posts', async () => (await events(a)) === 50 && (await events(b)) === 50, 20_000)
    // the feed-document changes came too: each side logged what it fetched
    await until('a logged its reconciliation', () => /reconciled with .*: 20 events, \d+ changes/.test(a.stderr()), 5_000)
    await until('b logged its reconciliation', () => /reconciled with .*: 30 events, \d+ changes/.test(b.stderr()), 5_000)
    const changes = Number(/reconciled with .*: 30 events, (\d+) changes/.exec(b.stderr())![1])
    expect(changes).toBeGreaterThanOrEqual(30) // alice's index changes (one per post, and her first)
  })

  it('a new relay joining one that holds an archive gets all of it', async () => {
    const a = await startRelayProcess()
    await postThrough(a, 'carol', 40)
    const fresh = await startRelayProcess({ peers: [a.wsAddrs()[0]!] })
    await until('the new relay holds the 40 posts', async () => (await events(fresh)) === 40, 20_000)
    expect(fresh.stderr()).toMatch(/reconciled with .*: 40 events/)
  })
})
