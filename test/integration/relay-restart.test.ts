// kill -9 the relay and start it again on the same data dir and ports.
import { afterEach, describe, expect, it } from 'vitest'
import type { EventId } from '../../src/core/types.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
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

describe('relay crash and restart', () => {
  it('after kill -9 and a restart on the same data dir the archive is intact and the peers reconnect', async () => {
    const first = await startRelayProcess()
    const { port, wsPort } = first.ports()
    const alice = await startTestPeer({ name: 'alice', relays: first.wsAddrs(), targetRelays: 1 })
    const bob = await startTestPeer({ name: 'bob', relays: first.wsAddrs(), targetRelays: 1 })
    await Promise.all([waitForRelays(alice, 1), waitForRelays(bob, 1)])
    await new Promise((r) => setTimeout(r, 1500))
    const ids: EventId[] = []
    for (let i = 0; i < 50; i++) ids.push((await alice.post(`崩溃之前 ${i}`)).id)
    await bob.waitFor(ids, 15_000)
    await until('archived', async () => (await readMetric(first, 'wg_archive_events')) === 50, 15_000)

    await first.kill9() // no shutdown, no checkpoint: only what SQLite committed to its WAL
    const second = await startRelayProcess({ dataDir: first.dataDir, port, wsPort })
    expect(second.wsAddrs()).toEqual(first.wsAddrs()) // same peer id, same address
    expect(await readMetric(second, 'wg_archive_events')).toBe(50)
    expect(await readMetric(second, 'wg_archive_authors')).toBe(1)

    // the peers find the relay again by themselves, and gossip flows through it
    await until('alice and bob reconnected', () => alice.relays().length === 1 && bob.relays().length === 1, 15_000)
    await Promise.all([waitForRelays(alice, 1), waitForRelays(bob, 1)])
    await new Promise((r) => setTimeout(r, 1500))
    const after = await alice.post('重启之后')
    await bob.waitFor([after.id], 10_000)

    // and a newcomer gets all 50 earlier posts from the restarted relay's archive
    const carol = await startTestPeer({ name: 'carol', relays: second.wsAddrs(), follows: () => [alice.me] })
    await carol.waitFor([...ids, after.id], 20_000)
  })
})
