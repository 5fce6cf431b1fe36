// Relays reconcile their archives (protocol/reconcile.md): real relay processes that held
// different posts meet and end up with the union, moved by set reconciliation, not replayed by
// gossip — in ONE session, started by the relay of the pair with the lower peer id, that fetches
// what it lacked and pushes what the other lacked; a new relay joining fills its archive the same way.
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
  it('two relays with different archives meet: one session, started by one of them, leaves both complete', async () => {
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
    const all = () => a.stderr() + b.stderr()
    await until('the session was logged by both sides', () => /reconciled with /.test(all()) && /reconciliation served to /.test(all()), 5_000)
    // give a second session (the other relay's, were it to start one) the time to show up
    await new Promise((r) => setTimeout(r, 1500))
    expect(all().match(/reconciled with /g)).toHaveLength(1)
    expect(all().match(/reconciliation served to /g)).toHaveLength(1)
    const [initiator, responder] = /reconciled with /.test(a.stderr()) ? [a, b] : [b, a]
    expect(responder.stderr()).not.toMatch(/reconciled with /)
    const started = /reconciled with .*: (\d+) events, (\d+) changes fetched, (\d+) items pushed/.exec(initiator.stderr())!
    const served = /reconciliation served to .*: (\d+) events, (\d+) changes pushed to us, \d+ held, 0 rejected/.exec(responder.stderr())!
    // the initiator fetched the other's posts, and pushed its own: the responder took them all
    const [fetched, fetchedChanges, pushed] = [Number(started[1]), Number(started[2]), Number(started[3])]
    const [took, tookChanges] = [Number(served[1]), Number(served[2])]
    expect(fetched + took).toBe(50)
    expect(fetched).toBe(initiator === a ? 20 : 30)
    expect(pushed).toBe(took + tookChanges)
    // the feed-document changes came too (one per post, and a first one), each way
    expect(fetchedChanges).toBeGreaterThanOrEqual(fetched)
    expect(tookChanges).toBeGreaterThanOrEqual(took)
  })

  it('a new relay joining one that holds an archive gets all of it', async () => {
    const a = await startRelayProcess()
    await postThrough(a, 'carol', 40)
    const fresh = await startRelayProcess({ peers: [a.wsAddrs()[0]!] })
    await until('the new relay holds the 40 posts', async () => (await events(fresh)) === 40, 20_000)
    // fetched by the new relay, or pushed to it: whichever of the two has the lower peer id started
    await until('logged', () => /reconciled with .*: 40 events|reconciliation served to .*: 40 events/.test(fresh.stderr()), 5_000)
  })
})
