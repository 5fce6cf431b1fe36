// The relay's parts as the archive benchmark drives them (bench/archive-1m.long.bench.ts): the
// storage, store, archive, reconcile set and subscription index that relay.ts opens; a phone's
// catch-up as the subscription server answers it; one reconciliation over an in-process stream.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { streamPair } from '@libp2p/utils'
import type { AuthorId } from '../../src/core/types.ts'
import { runReconcile, serveReconcile } from '../../src/net/reconcile/session.ts'
import type { ReconcileReport } from '../../src/net/reconcile/session.ts'
import { chooseBucketBits, filterFor } from '../../src/net/subscribe/filter.ts'
import type { Filter } from '../../src/net/subscribe/filter.ts'
import { decodeSubscribeFrame, encodeSubscribeFrame, MAX_CATCH_UP_LIMIT } from '../../src/net/subscribe/frames.ts'
import { createNodeVerifier } from '../../src/net/verify-node.ts'
import { createArchive } from '../../src/relay/archive.ts'
import type { Archive } from '../../src/relay/archive.ts'
import { DEFAULT_QUOTAS } from '../../src/relay/config.ts'
import { createReconcileSet } from '../../src/relay/reconcile-set.ts'
import type { RelayReconcileSet } from '../../src/relay/reconcile-set.ts'
import { createSqliteStorage } from '../../src/relay/sqlite-storage.ts'
import type { SqliteStorage } from '../../src/relay/sqlite-storage.ts'
import { createSubscriptionIndex } from '../../src/relay/subscribe-index.ts'
import type { RelaySubscriptionIndex } from '../../src/relay/subscribe-index.ts'
import { createStore } from '../../src/store/create-store.ts'
import { drawZipf, seededRandom } from './archive-fixture.ts'
import { percentile } from './results.ts'

/** a phone follows this many, and names buckets of about this many authors (the app's default) */
const FOLLOWS = 100
const ANONYMITY = 8
const DAY = 86_400_000

export interface Relay {
  readonly storage: SqliteStorage
  readonly archive: Archive
  readonly set: RelayReconcileSet
  readonly index: RelaySubscriptionIndex
}

/** What relay.ts opens on its data dir, in its order, and starts. */
export async function openRelay(dir: string): Promise<Relay> {
  const storage = createSqliteStorage({ path: join(dir, 'archive.db') })
  const store = createStore({ storage })
  const archive = createArchive({ storage, store, quotas: DEFAULT_QUOTAS })
  const set = createReconcileSet({ db: storage.db, store })
  const index = createSubscriptionIndex({ db: storage.db, store })
  await archive.start()
  await set.backfill(storage) // nothing to do on a set that has items (relay.ts runs it in the background)
  return { storage, archive, set, index }
}

export async function closeRelay(r: Relay): Promise<void> {
  r.set.close()
  r.index.close()
  await r.archive.close()
}

/** Signed events from the worker, FILL_BATCH at a time with two batches requested ahead; `pull(n)` gives exactly n. */
export function fileBytes(dir: string): number {
  const size = (f: string) => {
    try {
      return statSync(join(dir, f)).size
    } catch {
      return 0
    }
  }
  return size('archive.db') + size('archive.db-wal')
}

/** One phone's catch-up as the subscription server answers it, pages asked again while `more`. */
export async function catchUpAsServed(
  index: RelaySubscriptionIndex,
  filter: Filter,
  since: string,
): Promise<{ events: number; bytes: number; firstPageMs: number }> {
  let events = 0
  let bytes = 0
  let firstPageMs = 0
  const t0 = performance.now()
  for (let cursor: string | undefined = since; ;) {
    const frame = decodeSubscribeFrame(encodeSubscribeFrame({ t: 'sub', filter, since: cursor }))
    if (frame.t !== 'sub') throw new Error('not a sub frame')
    const page = await index.catchUp(frame.filter, frame.since, Math.min(frame.limit ?? MAX_CATCH_UP_LIMIT, MAX_CATCH_UP_LIMIT))
    for (let i = 0; i < page.events.length; i += 256) bytes += encodeSubscribeFrame({ t: 'items', events: page.events.slice(i, i + 256), changes: [] }).length
    bytes += encodeSubscribeFrame({ t: 'caught-up', more: page.more, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) }).length
    events += page.events.length
    if (firstPageMs === 0) firstPageMs = performance.now() - t0
    if (!page.more || page.cursor === undefined) return { events, bytes, firstPageMs }
    cursor = page.cursor
  }
}

/** QUERIES phones' catch-ups (the same phones at every size: one seed); `tsOfSeq[s - 1]` is the ts of the event at seq s. */
export async function measureCatchUps(
  index: RelaySubscriptionIndex,
  authors: readonly AuthorId[],
  tsOfSeq: Float64Array,
  stored: number,
  queries: number,
): Promise<{ p50: number; p99: number; firstPageP99: number; events: number; kb: number }> {
  const rand = seededRandom(7)
  const bits = chooseBucketBits(index.authorCount(), ANONYMITY)
  const latest = tsOfSeq[stored - 1]!
  const seqAt = (ts: number): number => {
    let lo = 0
    let hi = stored // first seq index whose ts is past `ts`
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (tsOfSeq[mid]! <= ts) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const times: number[] = []
  const counts: number[] = []
  const sizes: number[] = []
  const firstPages: number[] = []
  for (let q = 0; q < queries; q++) {
    const follows = drawZipf(authors.length, FOLLOWS, rand).map((i) => authors[i]!)
    const since = String(seqAt(latest - rand() * DAY))
    const t0 = performance.now()
    const got = await catchUpAsServed(index, filterFor({ authors: follows, bits }), since)
    times.push(performance.now() - t0)
    counts.push(got.events)
    sizes.push(got.bytes)
    firstPages.push(got.firstPageMs)
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    firstPageP99: percentile(firstPages, 99),
    events: percentile(counts, 50),
    kb: percentile(sizes, 50) / 1024,
  }
}

export async function reconcileOnce(from: Relay, to: Relay): Promise<ReconcileReport> {
  const [outbound, inbound] = await streamPair()
  const served = serveReconcile(inbound, to.set, { sink: to.archive, verifier: createNodeVerifier() })
  const report = await runReconcile(outbound, from.set, from.archive, { verifier: createNodeVerifier() })
  await served
  return report
}
