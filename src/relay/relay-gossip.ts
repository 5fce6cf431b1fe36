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

/** The archive as the network's sink, counting ingest outcomes by kind and result. */
export function countingSink(archive: Archive, metrics: RelayMetrics): SyncSink {
  const count = (kind: string, results: ReadonlyArray<{ ok: boolean; code?: string; duplicate?: boolean }>) => {
    for (const r of results) metrics.ingested.inc({ kind, result: r.ok ? (r.duplicate === true ? 'duplicate' : 'stored') : (r.code ?? 'error') })
    return results
  }
  return {
    ingestEvents: async (list) => count('event', await archive.ingestEvents(list)),
    ingestChanges: async (list) => count('change', await archive.ingestChanges(list)),
    indexedEventIds: (author) => archive.indexedEventIds(author),
    missingEventIds: (ids) => archive.missingEventIds(ids),
  }
}

/** A sync stream handler that serves `source` and counts sessions; bounded concurrency. */
export function countingSyncHandler(source: SyncSource, metrics: RelayMetrics, maxSessions: number, log: (m: string) => void) {
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
