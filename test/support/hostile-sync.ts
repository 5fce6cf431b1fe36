// Honest propagation through a relay while a sync attacker (support/sync-attacker.ts) works on
// it: what test/integration/relay-hostile-sync.test.ts asserts and bench/hostile-sync.bench.ts
// records. Alice posts through the relay; Bob receives; the relay is a real process.
import type { EventId } from '../../src/core/types.ts'
import { startRelayProcess, type RelayProcess } from './relay-process.ts'
import { startTestPeer, waitForRelays, type TestPeer } from './relay-peers.ts'
import type { SyncAttackReport } from './sync-attacker.ts'

/** Alice posts `n` times, `gapMs` apart; the ms from each publish to Bob's delivery. */
export async function propagation(alice: TestPeer, bob: TestPeer, n: number, gapMs: number): Promise<number[]> {
  const sentAt = new Map<EventId, number>()
  const latencies: number[] = []
  const off = bob.network.onEvent((event) => {
    const t = sentAt.get(event.id)
    if (t !== undefined) latencies.push(performance.now() - t)
  })
  const ids: EventId[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    const event = await alice.post(`正常的帖子 ${i} ${Math.random()}`)
    sentAt.set(event.id, t)
    ids.push(event.id)
    await new Promise((r) => setTimeout(r, gapMs))
  }
  await bob.waitFor(ids, 30_000)
  off()
  return latencies
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export interface UnderAttack {
  /** honest latencies (ms) during the attack */
  readonly during: number[]
  readonly report: SyncAttackReport
  /** requests the attacker was told to make */
  readonly offered: number
  /** relay CPU (ms) over the attack, honest traffic included */
  readonly cpu: number
}

/** Honest propagation and relay CPU while `attack` offers `offered` requests. */
export async function underAttack(
  relay: RelayProcess,
  alice: TestPeer,
  bob: TestPeer,
  offered: number,
  attack: { done: Promise<SyncAttackReport> },
): Promise<UnderAttack> {
  const cpuBefore = relay.cpuMs()
  const during = await propagation(alice, bob, 40, 50)
  const report = await attack.done
  return { during, report, offered, cpu: relay.cpuMs() - cpuBefore }
}

/** A relay process and Alice and Bob on it, warmed up; `quiet`: honest latencies before any attack. */
export async function startHostileSyncWorld(): Promise<{ relay: RelayProcess; alice: TestPeer; bob: TestPeer; quiet: number[] }> {
  const relay = await startRelayProcess({ args: ['--no-webrtc-direct'] })
  const alice = await startTestPeer({ name: 'alice', relays: relay.wsAddrs() })
  const bob = await startTestPeer({ name: 'bob', relays: relay.wsAddrs() })
  await Promise.all([waitForRelays(alice, 1), waitForRelays(bob, 1)])
  await new Promise((r) => setTimeout(r, 1500))
  await propagation(alice, bob, 10, 50) // warm up
  return { relay, alice, bob, quiet: await propagation(alice, bob, 40, 50) }
}
