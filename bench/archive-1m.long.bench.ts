// A relay's archive at a million events (a long bench: `npm run bench -- archive-1m`), on the
// relay's real parts (bench/lib/archive-relay.ts): its SQLite storage (sqlite-storage.ts,
// node:sqlite, in a temp dir) with the store, archive, subscription index and reconcile set
// that relay.ts opens on it.
//
// The network: WG_ARCHIVE_AUTHORS (20,000) keys, each writing 4 events a day (80,000 a day: a
// million is 12.5 days), authors drawn uniformly; 20 % posts (one in ten mentions someone), 8 %
// replies, 62 % reactions, 10 % reposts of recent posts (bench/lib/archive-fixture.ts). Signed
// with node:crypto in a worker thread; a sample is opened by core's decoder and verifier first.
// Not in it: the signed feed-document changes that index every event in the real network.
//
// Figures (N = WG_ARCHIVE_EVENTS, default 1,000,000; named by it, e.g. relay.archive_1m.*):
// - fill_per_s: the bulk fill — archive.ingestOpenedEvents in batches of 2,000 of events decoded
//   and marked verified by the generator that signed them (as createEvent marks its own), i.e.
//   gossip's path after its validator, signature check aside. ingest_per_s: the last 20,000
//   through archive.ingestEvents (decode, limits, signature check, store, index, set) in batches
//   of 256 (the relay's gossip sink's largest), on the full archive.
// - catchup_p50_ms / _p99_ms: a phone's whole catch-up as the subscription server answers it
//   (net/subscribe/server.ts subscribe(): its filter frame decoded, subscribe-index.ts catchUp,
//   the items and caught-up frames encoded, asked again while `more`): 100 follows drawn by
//   Zipf (s = 1) over the authors, bucket width chosen for anonymity 8, cursor where the phone
//   went offline, uniform over the last 24 h. WG_ARCHIVE_QUERIES (200) phones, at 250k and at N.
//   catchup_first_page_p99_ms: until its first page (at most 1,000 events) is encoded, what a
//   phone waits for before the first posts can be shown.
// - bytes_per_event: database file + WAL over events stored; payload_bytes_per_event: the events.
// - startup_ms: opening storage, store, archive, reconcile set and subscription index on the
//   filled database and starting the archive, as relay.ts does; set_snapshot_ms: the reconcile
//   set's first snapshot (built by the first reconciliation, not at start).
// - relay.archive_reconcile_<N>_diff_1k.*: two relays holding N events each, 500 on each side
//   that the other lacks, spread over the whole time range (the second relay is a copy of the
//   database file before the differences went in). One session (A starts: it fetches its 500 and
//   pushes B's) with the real session code (reconcile/session.ts) over an in-process stream pair
//   (1 ms a message): kb = every frame both ways (Negentropy rounds and the 1,000 events moved);
//   ratio_vs_events = that / the 1,000 events' bytes; rounds and ms of the session.
//   (bench/reconcile.bench.ts measures the search alone on in-memory sets.)
//
// Measured 2026-12-07 on a quiet machine (2 vCPUs, nothing else running; the run took 9 min):
// 2,187 bytes an event on disk for 225 of payload (s_idx 643, s_events 445, s_refs 432, the
// arrival log 322, the subscription index 240, the reconcile set 52); catch-up p50 14 ms at 250k
// and 15 ms at 1M, p99 40 and 31 ms, its first page p99 11 and 9 ms, for ~2,260 events returned —
// no growth with N above the noise; startup 0.7 s; set snapshot 1.9 s; reconcile of 1k
// differences in one session 1.4 MB, 6.3× the events, 5 rounds. (The same bench before the
// catch-up read its pages inside SQLite, with other work beside it: p50 67 ms, p99 306 ms.)
//
// 10M on paper (src/relay/README.md "An archive at 1M and 10M events"): disk grows linearly,
// ~21 GB (more with the feed-document changes); catch-up reads index ranges by key and cursor,
// so it follows what it returns, not N; startup (it sums the arrival log) and the snapshot
// grow linearly: ~7 s and ~32 s, the snapshot 400 MB in memory (40 bytes an item); Negentropy's
// bytes grow with log N (1.2 MB in a 60k trial run, 2.6 MB at 1M: ~4 MB at 10M by that slope).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeEvent } from '../src/core/event-decode.ts'
import { markVerified } from '../src/core/event-verify.ts'
import { checkFixture, seededRandom, startGenerator } from './lib/archive-fixture.ts'
import type { FixtureEvent } from './lib/archive-fixture.ts'
import { closeRelay, fileBytes, measureCatchUps, openRelay, reconcileOnce } from './lib/archive-relay.ts'
import { printTable, recordResults } from './lib/results.ts'

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback)
const EVENTS = env('WG_ARCHIVE_EVENTS', 1_000_000)
const AUTHORS = env('WG_ARCHIVE_AUTHORS', 20_000)
const SMALL = Math.min(env('WG_ARCHIVE_SMALL', 250_000), EVENTS)
const SAMPLE = env('WG_ARCHIVE_SAMPLE', 20_000)
const QUERIES = env('WG_ARCHIVE_QUERIES', 200)
const DIFF = 1000
const FILL_BATCH = 2000
/** the relay's gossip sink hands the archive at most this many events at once (relay-gossip.ts) */
const GOSSIP_BATCH = 256
const DAY = 86_400_000
const STEP_MS = DAY / (AUTHORS * 4)

const tagOf = (n: number): string => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}m` : `${Math.round(n / 1e3)}k`)
const figures: Record<string, number> = {}
const ms = (t0: number): number => performance.now() - t0

const root = mkdtempSync(join(tmpdir(), 'wg-archive-'))
const dirA = join(root, 'a')
const dirB = join(root, 'b')
mkdirSync(dirA)
mkdirSync(dirB)
try {
  const total = EVENTS + DIFF / 2 // each relay ends with EVENTS: the common ones and 500 of its own
  const rand = seededRandom(42)
  const withheld = new Set<number>()
  while (withheld.size < DIFF) withheld.add(Math.floor(rand() * (total - SAMPLE)))
  const gen = startGenerator({ authors: AUTHORS, startTs: Date.now() - total * STEP_MS, stepMs: STEP_MS, seed: 1 }, FILL_BATCH)
  const authors = await gen.authors
  const a = await openRelay(dirA)
  const tsOfSeq = new Float64Array(total)
  const diff: FixtureEvent[] = []
  let stored = 0
  let position = 0
  let payload = 0
  const take = (list: readonly FixtureEvent[]): FixtureEvent[] => {
    const kept: FixtureEvent[] = []
    for (const e of list) {
      if (withheld.has(position++)) diff.push(e)
      else kept.push(e)
    }
    return kept
  }
  const account = (list: readonly FixtureEvent[], results: ReadonlyArray<{ ok: boolean; duplicate?: boolean }>): void => {
    results.forEach((r, i) => {
      if (!r.ok || r.duplicate) throw new Error(`event not stored: ${JSON.stringify(r)}`)
      tsOfSeq[stored++] = list[i]!.ts
      payload += list[i]!.bytes.length
    })
  }

  // the bulk fill: opened events (decoded here, marked verified: the generator signed them)
  const fillTarget = total - SAMPLE
  let checked = false
  let fillMs = 0
  let filled = 0
  while (position < fillTarget) {
    const batch = take(await gen.pull(Math.min(FILL_BATCH, fillTarget - position)))
    if (!checked) {
      await checkFixture(batch.slice(0, 500))
      checked = true
    }
    const t0 = performance.now()
    const opened = batch.map((e) => markVerified(decodeEvent(e.bytes)))
    account(batch, await a.archive.ingestOpenedEvents(opened))
    fillMs += ms(t0)
    filled += batch.length
    if (stored % 100_000 < FILL_BATCH) console.log(`filled ${stored} (${Math.round(filled / (fillMs / 1000))}/s)`)
    if (stored >= SMALL && figures[`relay.archive_${tagOf(SMALL)}.catchup_p50_ms`] === undefined && SMALL < EVENTS) {
      const small = await measureCatchUps(a.index, authors, tsOfSeq, stored, QUERIES)
      const tag = `relay.archive_${tagOf(SMALL)}`
      figures[`${tag}.events`] = stored
      figures[`${tag}.catchup_p50_ms`] = small.p50
      figures[`${tag}.catchup_p99_ms`] = small.p99
      figures[`${tag}.catchup_first_page_p99_ms`] = small.firstPageP99
      figures[`${tag}.catchup_events_p50`] = small.events
      figures[`${tag}.bytes_per_event`] = fileBytes(dirA) / stored
      printTable(figures)
    }
  }
  // the rest of the common events through the relay's normal ingest path
  const sample = take(await gen.pull(SAMPLE))
  const t1 = performance.now()
  for (let i = 0; i < sample.length; i += GOSSIP_BATCH) {
    const list = sample.slice(i, i + GOSSIP_BATCH)
    account(list, await a.archive.ingestEvents(list.map((e) => e.bytes)))
  }
  const ingestMs = ms(t1)
  await gen.stop()

  const tag = `relay.archive_${tagOf(EVENTS)}`
  figures[`${tag}.events_common`] = stored
  figures[`${tag}.authors`] = a.index.authorCount()
  figures[`${tag}.fill_per_s`] = filled / (fillMs / 1000)
  figures[`${tag}.ingest_per_s`] = sample.length / (ingestMs / 1000)
  figures[`${tag}.bytes_per_event`] = fileBytes(dirA) / stored
  figures[`${tag}.payload_bytes_per_event`] = payload / stored
  const big = await measureCatchUps(a.index, authors, tsOfSeq, stored, QUERIES)
  figures[`${tag}.catchup_p50_ms`] = big.p50
  figures[`${tag}.catchup_p99_ms`] = big.p99
  figures[`${tag}.catchup_first_page_p99_ms`] = big.firstPageP99
  figures[`${tag}.catchup_events_p50`] = big.events
  figures[`${tag}.catchup_kb_p50`] = big.kb
  const tables = a.storage.db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as Array<{
    name: string
    bytes: number
  }>
  printTable(Object.fromEntries(tables.slice(0, 12).map((t) => [`  bytes/event in ${t.name}`, t.bytes / stored])))

  // the second relay: a copy of the first, closed (its WAL checkpointed into the file)
  await closeRelay(a)
  copyFileSync(join(dirA, 'archive.db'), join(dirB, 'archive.db'))
  const t2 = performance.now()
  const relayA = await openRelay(dirA)
  figures[`${tag}.startup_ms`] = ms(t2)
  const relayB = await openRelay(dirB)
  const own = { a: diff.slice(0, DIFF / 2), b: diff.slice(DIFF / 2) }
  for (const [relay, list] of [
    [relayA, own.a],
    [relayB, own.b],
  ] as const) {
    const results = await relay.archive.ingestEvents(list.map((e) => e.bytes))
    if (!results.every((r) => r.ok && !r.duplicate)) throw new Error('a difference was not stored')
  }
  const t3 = performance.now()
  await relayA.set.snapshot()
  figures[`${tag}.set_snapshot_ms`] = ms(t3)
  await relayB.set.snapshot()
  figures[`${tag}.rss_mb_after_snapshots`] = process.memoryUsage().rss / 2 ** 20

  const t4 = performance.now()
  // one session reconciles both ways: A fetches what it lacks and pushes what B lacks
  const ab = await reconcileOnce(relayA, relayB)
  const reconcileMs = ms(t4)
  if (ab.events !== DIFF / 2 || ab.pushed !== DIFF / 2 || relayA.set.size() !== relayB.set.size()) {
    throw new Error(`reconcile did not even the sets: ${JSON.stringify({ ab, a: relayA.set.size(), b: relayB.set.size() })}`)
  }
  const diffBytes = diff.reduce((n, e) => n + e.bytes.length, 0)
  const exchanged = ab.bytesSent + ab.bytesReceived
  // items' bytes included (real events); bench/reconcile.bench.ts has the search alone at 1M
  const rtag = `relay.archive_reconcile_${tagOf(EVENTS)}_diff_1k`
  figures[`${rtag}.kb`] = exchanged / 1024
  figures[`${rtag}.ratio_vs_events`] = exchanged / diffBytes
  figures[`${rtag}.rounds`] = ab.rounds
  figures[`${rtag}.ms`] = reconcileMs
  console.log('reconcile A⇄B', ab, `diff events ${diffBytes} bytes`)
  await closeRelay(relayA)
  await closeRelay(relayB)
  recordResults(figures)
} finally {
  rmSync(root, { recursive: true, force: true })
}
process.exit(0)
