// Counting what gossip and sync do on the relay, for /metrics. Validation and ingestion
// themselves are the net layer's createNetwork (role 'relay'): gossip validated through core
// in topic validators, delivered into the archive (the sink), sync served from it.
import type { Message } from '@libp2p/gossipsub'
import type { PeerId, Stream } from '@libp2p/interface'
import type { GossipSub } from '../net/gossip-config.ts'
import type { SyncSink, SyncSource } from '../net/sync-source.ts'
import { serveSyncStream } from '../net/sync/server.ts'
import { DATA_TOPICS } from '../net/topics.ts'
import type { Archive } from './archive.ts'
import type { SignedEvent } from '../core/types.ts'
import type { IngestResult } from '../store/types.ts'
import type { RelayMetrics } from './relay-metrics.ts'

type Validator = (peer: PeerId, msg: Message) => unknown

/**
 * Wrap the topic validators installed by the net layer so /metrics can show received,
 * accepted, rejected and ignored messages by topic, and tell `onReject` who sent an invalid
 * one. Validators installed later (gossip restarts) are wrapped on the way in.
 */
export function countGossipValidation(pubsub: GossipSub, metrics: RelayMetrics, onReject?: (peer: PeerId) => void): void {
  const validators = pubsub.topicValidators as Map<string, Validator>
  const wrapped = new WeakSet<Validator>()
  const original = validators.set.bind(validators)
  const wrap = (topic: string, inner: Validator): Validator => {
    if (wrapped.has(inner)) return inner
    const outer: Validator = async (peer, msg) => {
      metrics.gossipReceived.inc({ topic })
      const result = await inner(peer, msg)
      metrics.gossipValidated.inc({ topic, result: String(result) })
      if (result === 'reject') onReject?.(peer)
      return result
    }
    wrapped.add(outer)
    return outer
  }
  for (const [topic, v] of validators) if ((DATA_TOPICS as readonly string[]).includes(topic)) original(topic, wrap(topic, v))
  validators.set = (topic: string, v: Validator) => {
    original(topic, (DATA_TOPICS as readonly string[]).includes(topic) ? wrap(topic, v) : v)
    return validators
  }
}

/**
 * The archive as the network's sink, counting ingest outcomes by kind and result. Gossip
 * hands over one message at a time; calls arriving within BATCH_DELAY_MS are coalesced into
 * one archive call (one SQLite transaction, one batch verification), each caller still
 * getting its own results. Changes go before events queued with them: a retraction that
 * arrives with the event it retracts wins. At most maxBacklogBytes wait for the archive.
 */
export function createCountingSink(archive: Pick<Archive, 'ingestEvents' | 'ingestOpenedEvents' | 'ingestChanges' | 'indexedEventIds' | 'missingEventIds'>, metrics: RelayMetrics, maxBacklogBytes = MAX_BACKLOG_BYTES): SyncSink & { flush(): Promise<void>; ingestOpenedEvents(events: readonly SignedEvent[]): Promise<IngestResult[]> } {
  /** `opened`: events gossip validation already decoded and verified (counted as events) */
  type Kind = 'event' | 'opened' | 'change'
  const count = (kind: Kind, results: readonly IngestResult[]) => {
    for (const r of results) metrics.ingested.inc({ kind: kind === 'opened' ? 'event' : kind, result: r.ok ? (r.duplicate ? 'duplicate' : 'stored') : r.code })
    return results
  }
  type Pending = { list: ReadonlyArray<Uint8Array | SignedEvent>; bytes: number; resolve: (r: IngestResult[]) => void; reject: (e: unknown) => void }
  const queues: Record<Kind, Pending[]> = { event: [], opened: [], change: [] }
  const ingest = (kind: Kind, all: Array<Uint8Array | SignedEvent>): Promise<IngestResult[]> => {
    if (kind === 'opened') return archive.ingestOpenedEvents(all as SignedEvent[])
    return kind === 'event' ? archive.ingestEvents(all as Uint8Array[]) : archive.ingestChanges(all as Uint8Array[])
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  let chain: Promise<void> = Promise.resolve()
  // Gossip does not wait for the sink (src/net/network.ts): bytes queued or being written
  let backlog = 0

  const run = async (kind: Kind, batch: Pending[]) => {
    if (batch.length === 0) return
    try {
      const results = count(kind, await ingest(kind, batch.flatMap((p) => p.list)))
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
    const opened = queues.opened.splice(0)
    const events = queues.event.splice(0)
    chain = chain.then(() => run('change', changes)).then(() => run('opened', opened)).then(() => run('event', events))
    return chain
  }
  const enqueue = (kind: Kind, list: ReadonlyArray<Uint8Array | SignedEvent>) => new Promise<IngestResult[]>((resolve, reject) => {
    const bytes = list.reduce((n, b) => n + (b instanceof Uint8Array ? b.length : b.bytes.length), 0)
    if (backlog + bytes > maxBacklogBytes) {
      // The archive is behind: not stored here (gossip has forwarded it; sync brings it later),
      // rather than letting the queue, and the relay's memory, grow without bound.
      const refused: IngestResult[] = list.map(() => ({ ok: false, code: 'E_RATE_LIMITED', message: 'E_RATE_LIMITED: the archive is behind; not stored' }))
      count(kind, refused)
      resolve(refused)
      return
    }
    backlog += bytes
    queues[kind].push({ list, bytes, resolve, reject })
    const size = queues.event.length + queues.opened.length + queues.change.length
    if (size >= BATCH_MAX) void drain()
    else timer ??= setTimeout(() => void drain(), BATCH_DELAY_MS)
  })
  return {
    ingestEvents: (list) => enqueue('event', list),
    ingestOpenedEvents: (events) => enqueue('opened', events),
    ingestChanges: (list) => enqueue('change', list),
    indexedEventIds: (author) => archive.indexedEventIds(author),
    missingEventIds: (ids, author) => archive.missingEventIds(ids, author),
    flush: drain,
  }
}

const BATCH_MAX = 256
const BATCH_DELAY_MS = 20
/** Bytes the sink holds for the archive at most (queued or being written); past it, E_RATE_LIMITED. */
export const MAX_BACKLOG_BYTES = 64 * 1024 * 1024

/** A sync stream handler that serves `source` and counts sessions; bounded concurrency. */
export function createCountingSyncHandler(source: SyncSource, metrics: RelayMetrics, maxSessions: number, log: (m: string) => void) {
  return (stream: Stream): void => {
    if (metrics.syncActive >= maxSessions) {
      stream.abort(new Error('too many sync sessions'))
      return
    }
    metrics.syncActive++
    metrics.syncSessions.inc()
    serveSyncStream(stream, source)
      .catch((err: unknown) => log(`sync session failed: ${String(err)}`))
      .finally(() => metrics.syncActive--)
  }
}
