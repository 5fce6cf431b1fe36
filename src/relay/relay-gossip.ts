// The archive as the network's sink, counting what it took for /metrics. Validation, delivery
// and the sync server are the net layer's createNetwork (role 'relay'); the relay only hears
// their outcomes through its hooks (relay.ts).
import type { SyncSink } from '../net/sync-source.ts'
import type { VerifiedChangeEnvelope, VerifiedEvent } from '../core/index.ts'
import { refuse } from '../store/ingest-result.ts'
import type { IngestResult } from '../store/types.ts'
import type { Archive } from './archive.ts'
import type { RelayMetrics } from './relay-metrics.ts'

type Kind = 'event' | 'change'
type Item = VerifiedEvent | VerifiedChangeEnvelope

/**
 * The archive as the network's sink, counting ingest outcomes by kind and result. Gossip
 * hands over one message at a time; calls arriving within BATCH_DELAY_MS are coalesced into
 * one archive call (one SQLite transaction), each caller still getting its own results.
 * Changes go before events queued with them: a retraction that arrives with the event it
 * retracts wins. At most maxBacklogBytes wait for the archive.
 */
export function createCountingSink(
  archive: Pick<Archive, 'ingestOpenedEvents' | 'ingestOpenedChanges' | 'indexedEventIds' | 'missingEventIds'>,
  metrics: RelayMetrics,
  maxBacklogBytes = MAX_BACKLOG_BYTES,
): SyncSink & { flush(): Promise<void> } {
  const count = (kind: Kind, results: readonly IngestResult[]) => {
    for (const r of results) metrics.ingested.inc({ kind, result: r.ok ? (r.duplicate ? 'duplicate' : 'stored') : r.code })
    return results
  }
  type Pending = { list: readonly Item[]; bytes: number; resolve: (r: IngestResult[]) => void; reject: (e: unknown) => void }
  const queues: Record<Kind, Pending[]> = { event: [], change: [] }
  const ingest = (kind: Kind, all: Item[]): Promise<IngestResult[]> =>
    kind === 'event' ? archive.ingestOpenedEvents(all as VerifiedEvent[]) : archive.ingestOpenedChanges(all as VerifiedChangeEnvelope[])
  let timer: ReturnType<typeof setTimeout> | undefined
  let chain: Promise<void> = Promise.resolve()
  // Gossip does not wait for the sink (src/net/network.ts): bytes queued or being written
  let backlog = 0

  const run = async (kind: Kind, batch: Pending[]) => {
    if (batch.length === 0) return
    try {
      const results = count(
        kind,
        await ingest(
          kind,
          batch.flatMap((p) => p.list),
        ),
      )
      let at = 0
      for (const p of batch) {
        p.resolve(results.slice(at, at + p.list.length))
        at += p.list.length
      }
    } catch (err) {
      for (const p of batch) p.reject(err)
    } finally {
      for (const p of batch) backlog -= p.bytes
    }
  }
  const drain = (): Promise<void> => {
    clearTimeout(timer)
    timer = undefined
    const changes = queues.change.splice(0)
    const events = queues.event.splice(0)
    chain = chain.then(() => run('change', changes)).then(() => run('event', events))
    return chain
  }
  const enqueue = (kind: Kind, list: readonly Item[]) =>
    new Promise<IngestResult[]>((resolve, reject) => {
      const bytes = list.reduce((n, item) => n + item.bytes.length, 0)
      if (backlog + bytes > maxBacklogBytes) {
        // The archive is behind: not stored here (gossip has forwarded it; sync brings it later),
        // rather than letting the queue, and the relay's memory, grow without bound.
        resolve(
          count(
            kind,
            list.map(() => refuse('E_RATE_LIMITED', 'E_RATE_LIMITED: the archive is behind; not stored')),
          ) as IngestResult[],
        )
        return
      }
      backlog += bytes
      queues[kind].push({ list, bytes, resolve, reject })
      if (queues.event.length + queues.change.length >= BATCH_MAX) void drain()
      else timer ??= setTimeout(() => void drain(), BATCH_DELAY_MS)
    })
  return {
    ingestOpenedEvents: (events) => enqueue('event', events),
    ingestOpenedChanges: (envelopes) => enqueue('change', envelopes),
    indexedEventIds: (author) => archive.indexedEventIds(author),
    missingEventIds: (ids, author) => archive.missingEventIds(ids, author),
    flush: drain,
  }
}

const BATCH_MAX = 256
const BATCH_DELAY_MS = 20
/** Bytes the sink holds for the archive at most (queued or being written); past it, E_RATE_LIMITED. */
export const MAX_BACKLOG_BYTES = 64 * 1024 * 1024
