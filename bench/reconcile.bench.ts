// What one reconciliation session costs at a million items (protocol/reconcile.md): two in-memory
// sets of 1,000,500 items each (ts a year apart in 30 s steps, random 32-byte ids; built with
// set-snapshot.ts as the relay builds its snapshot) that share 1,000,000 and differ by 500 on each
// side, spread over the whole range. The real session code (reconcile/session.ts) runs over an
// in-memory libp2p stream pair, both sides in this process.
// - relay.reconcile_1m_diff_1k.kb: the reconciliation frames of ONE session (A starts: it
//   fetches its 500 and pushes B's 500), both directions: `neg` rounds and `get` ids, not the
//   `items`/`push` frames that carry the objects; ratio_vs_events = that / (1,000 × 416 B, the
//   bytes per event and change measured in scale.real.bytes_per_message); rounds, ms (wall, the
//   whole session with the items moved).
// - .item_frames_kb: the `items` and `push` frames of that session, items stood in for by 416
//   random bytes each (both sides refuse them as they do anything that does not open).
// - .two_sessions_kb: the reconciliation frames the old way, two one-way sessions (A asks B,
//   then B asks A, neither pushing).
// Run: ./node_modules/.bin/node bench/reconcile.bench.ts
import { randomBytes } from 'node:crypto'
import { streamPair } from '@libp2p/utils'
import type { SyncSink } from '../src/net/sync-source.ts'
import { runReconcile, serveReconcile } from '../src/net/reconcile/session.ts'
import type { ReconcileReport, ReconcileSource } from '../src/net/reconcile/session.ts'
import { createSortedSetBuilder } from '../src/net/reconcile/set-snapshot.ts'
import type { SetSnapshot } from '../src/net/reconcile/set-snapshot.ts'
import { recordResults } from './lib/results.ts'

const SHARED = 1_000_000
const DIFF_EACH = 500
const ITEM_BYTES = 416
const T0 = 1_735_689_600_000

const total = SHARED + 2 * DIFF_EACH
const ids = new Uint8Array(randomBytes(total * 32))
// which side holds item i alone: 1 = A, 2 = B, 0 = both (1,000 distinct positions over the range)
const only = new Uint8Array(total)
for (let placed = 0; placed < 2 * DIFF_EACH;) {
  const i = Math.floor(Math.random() * total)
  if (only[i] !== 0) continue
  only[i] = placed < DIFF_EACH ? 1 : 2
  placed++
}

function buildSet(side: 1 | 2): SetSnapshot {
  const builder = createSortedSetBuilder(SHARED + DIFF_EACH)
  // 30 s apart plus up to a second: strictly increasing, so the items go in already sorted
  for (let i = 0; i < total; i++) if (only[i] === 0 || only[i] === side) builder.push(T0 + i * 30_000 + (i % 1000), ids.subarray(i * 32, i * 32 + 32))
  return builder.finish()
}

/** A side: its set, and 416 bytes of stand-in for each item asked of it. */
function sourceOf(set: SetSnapshot): ReconcileSource {
  return {
    snapshot: async () => set,
    getItems: async (asked) => ({ events: asked.map(() => new Uint8Array(randomBytes(ITEM_BYTES))), changes: [] }),
  }
}

// nothing opens (the items are stand-ins), so nothing reaches it
const sink = { ingestOpenedEvents: async () => [], ingestOpenedChanges: async () => [] } as unknown as SyncSink

async function session(from: ReconcileSource, to: ReconcileSource, push: boolean): Promise<{ report: ReconcileReport; ms: number }> {
  const [outbound, inbound] = await streamPair()
  const t0 = performance.now()
  const served = serveReconcile(inbound, to, { sink })
  const report = await runReconcile(outbound, from, sink, { push })
  await served
  return { report, ms: performance.now() - t0 }
}

const searchBytes = (r: ReconcileReport): number => r.bytesSent + r.bytesReceived - r.itemFrameBytes

const a = sourceOf(buildSet(1))
const b = sourceOf(buildSet(2))
const one = await session(a, b, true)
if (one.report.need !== DIFF_EACH || one.report.pushed !== DIFF_EACH) throw new Error(`one session missed: ${JSON.stringify(one.report)}`)
const ab = await session(a, b, false)
const ba = await session(b, a, false)
if (ab.report.need !== DIFF_EACH || ba.report.need !== DIFF_EACH) throw new Error(`one-way sessions missed: ${JSON.stringify([ab.report, ba.report])}`)

const tag = 'relay.reconcile_1m_diff_1k'
const figures = {
  [`${tag}.kb`]: searchBytes(one.report) / 1024,
  [`${tag}.ratio_vs_events`]: searchBytes(one.report) / (2 * DIFF_EACH * ITEM_BYTES),
  [`${tag}.rounds`]: one.report.rounds,
  [`${tag}.ms`]: one.ms,
  [`${tag}.item_frames_kb`]: one.report.itemFrameBytes / 1024,
  [`${tag}.two_sessions_kb`]: (searchBytes(ab.report) + searchBytes(ba.report)) / 1024,
}
console.log('one session', one.report, 'one-way A→B', ab.report, 'B→A', ba.report)
recordResults(figures)
