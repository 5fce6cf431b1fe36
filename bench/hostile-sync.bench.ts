// A relay under a flood of well-formed sync requests for authors it has never seen (a real relay
// process; the attacker in a process of its own, support/sync-attacker.ts), while Alice posts
// through it to Bob: honest propagation p50 during the attack over p50 without it (same run),
// and the relay's CPU per 1,000 requests offered (the attacker asks for 1,000/s; a relay that cuts
// it off early spends little per offered request), also per 1,000 that reached it. Two attacks, as in
// test/integration/relay-hostile-sync.test.ts: 'flood' (1,000/s, pipelined past the protocol's
// window: cut off) and 'polite' (one at a time, as fast as answered: slowed, then cut off); and a
// Sybil of 50 keys, each polite and within its own budget, 1,000/s together.
// Prints and records; asserts nothing.
// Run: ./node_modules/.bin/node bench/hostile-sync.bench.ts
import { median, startHostileSyncWorld, underAttack } from '../test/support/hostile-sync.ts'
import { cleanupRelays } from '../test/support/relay-process.ts'
import { stopTestPeers } from '../test/support/relay-peers.ts'
import { runSyncAttacker } from '../test/support/sync-attacker.ts'
import { recordResults } from './lib/results.ts'

const world = await startHostileSyncWorld()
const { relay, alice, bob } = world
const quiet = median(world.quiet)
const flood = await underAttack(relay, alice, bob, 5000, runSyncAttacker(relay.wsAddrs()[0]!, 5000, 1000, 'changes', 2))
const polite = await underAttack(relay, alice, bob, 20_000, runSyncAttacker(relay.wsAddrs()[0]!, 20_000, 1000, 'polite', 2))
// a Sybil: 50 keys at 20 requests/s each (what one peer may ask), 1,000/s together: only the
// relay-wide budget holds them
const sybil = await underAttack(relay, alice, bob, 10_000, runSyncAttacker(relay.wsAddrs()[0]!, 10_000, 1000, 'polite', 1, 50))
for (const [name, r] of [
  ['flood', flood],
  ['polite', polite],
  ['sybil (50 keys)', sybil],
] as const)
  console.log(
    `${name}: ${r.report.sent} sent, ${r.report.answered} answered, relay CPU ${r.cpu} ms, honest p50 ${median(r.during).toFixed(1)} ms (quiet ${quiet.toFixed(1)} ms)`,
  )
recordResults({
  'relay.hostile_sync.honest_p50_ratio': Math.max(median(flood.during), median(polite.during)) / quiet,
  'relay.hostile_sync.relay_cpu_ms_per_1k': Math.max((flood.cpu * 1000) / flood.offered, (polite.cpu * 1000) / polite.offered),
  // per request that reached the relay, honest traffic and the relay's own upkeep over the attack included
  'relay.hostile_sync.relay_cpu_ms_per_1k_sent': Math.max((flood.cpu * 1000) / flood.report.sent, (polite.cpu * 1000) / polite.report.sent),
  'relay.hostile_sync.quiet_p50_ms': quiet,
  'relay.hostile_sync.answered_flood': flood.report.answered,
  'relay.hostile_sync.answered_polite': polite.report.answered,
  'relay.hostile_sync.sybil_honest_p50_ratio': median(sybil.during) / quiet,
  'relay.hostile_sync.sybil_relay_cpu_ms_per_1k': (sybil.cpu * 1000) / sybil.offered,
  'relay.hostile_sync.answered_sybil': sybil.report.answered,
})
await stopTestPeers()
await cleanupRelays()
