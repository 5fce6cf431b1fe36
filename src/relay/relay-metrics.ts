// The relay's Prometheus metrics (/metrics): connected peers, gossip messages received and
// their validation outcome by topic, the archive's size, sync sessions, process memory.
// Names follow Prometheus conventions (wg_ prefix; process_* as client libraries name them).
import type { Libp2p } from '@libp2p/interface'
import type { NetworkCounters } from '../net/network.ts'
import type { ArchiveStats } from './archive.ts'
import { createMetricsRegistry, type Counter, type MetricsRegistry } from './metrics.ts'

export interface RelayMetrics {
  readonly registry: MetricsRegistry
  /** a gossip message arrived on a topic (before validation) */
  readonly gossipReceived: Counter
  /** validation outcome: accept | reject | ignore */
  readonly gossipValidated: Counter
  /** archive ingest outcome by kind (event | change) and result (stored | duplicate | refused code) */
  readonly ingested: Counter
  /** peers disconnected and refused for a while after invalid gossip (peer-guard.ts) */
  readonly peersBanned: Counter
}

export interface RelayMetricsSources {
  readonly node: () => Libp2p | undefined
  readonly archiveStats: () => ArchiveStats
  /** the network's counters (sync sessions served); absent before it exists */
  readonly network?: () => Pick<NetworkCounters, 'syncServed' | 'syncActive' | 'syncRefused' | 'syncThrottled' | 'syncBusy' | 'syncCut'> | undefined
  readonly startedAt: number
  /** when the TLS certificate in use expires (ms since the epoch), if the relay serves TLS */
  readonly tlsNotAfter?: () => number | undefined
}

/** Archive totals are SQL aggregates: read at most every few seconds, not on every scrape. */
const ARCHIVE_STATS_TTL_MS = 5_000

export function createRelayMetrics(sources: RelayMetricsSources): RelayMetrics {
  const registry = createMetricsRegistry()
  let cached: { at: number; stats: ArchiveStats } | undefined
  const archive = (): ArchiveStats => {
    if (cached === undefined || Date.now() - cached.at > ARCHIVE_STATS_TTL_MS) cached = { at: Date.now(), stats: sources.archiveStats() }
    return cached.stats
  }
  const metrics: RelayMetrics = {
    registry,
    gossipReceived: registry.counter('wg_gossip_messages_received_total', 'Gossip messages received, by topic, before validation'),
    gossipValidated: registry.counter('wg_gossip_messages_validated_total', 'Gossip messages by topic and validation result (accept, reject, ignore)'),
    ingested: registry.counter('wg_archive_ingested_total', 'Items offered to the archive, by kind and result'),
    peersBanned: registry.counter(
      'wg_peers_banned_total',
      'Peers disconnected and refused for a while, by reason (gossip: invalid messages; sync: past its sync budget)',
    ),
  }
  registry.collect('wg_sync_sessions_total', 'Catch-up sync sessions served', () => sources.network?.()?.syncServed ?? 0, 'counter')
  registry.collect('wg_sync_sessions_active', 'Catch-up sync sessions being served now', () => sources.network?.()?.syncActive ?? 0)
  registry.collect(
    'wg_sync_sessions_refused_total',
    'Sync sessions refused: all sessions in use, or the peer had its own limit open',
    () => sources.network?.()?.syncRefused ?? 0,
    'counter',
  )
  registry.collect(
    'wg_sync_requests_throttled_total',
    'Sync requests slowed because their peer (or the relay) was over its work budget',
    () => sources.network?.()?.syncThrottled ?? 0,
    'counter',
  )
  registry.collect(
    'wg_sync_requests_busy_total',
    'Sync requests refused with E_RATE_LIMITED: the relay-wide sync budget was spent',
    () => sources.network?.()?.syncBusy ?? 0,
    'counter',
  )
  registry.collect('wg_sync_peers_disconnected_total', 'Peers hung up on for going past their sync budget', () => sources.network?.()?.syncCut ?? 0, 'counter')
  registry.collect(
    'process_cpu_seconds_total',
    'CPU time (user and system) the relay process has used',
    () => {
      const { user, system } = process.cpuUsage()
      return (user + system) / 1e6
    },
    'counter',
  )
  registry.collect('wg_connected_peers', 'Peers with at least one open connection', () => sources.node()?.getPeers().length ?? 0)
  registry.collect('wg_connections', 'Open libp2p connections', () => sources.node()?.getConnections().length ?? 0)
  registry.collect('wg_archive_events', 'Events held in the archive', () => archive().events)
  registry.collect('wg_archive_authors', 'Authors with events in the archive', () => archive().authors)
  registry.collect('wg_archive_bytes', 'Bytes of events and signed changes in the archive', () => archive().bytes)
  registry.collect('wg_archive_cap_bytes', 'Archive-wide cap on bytes of events and signed changes (--max-archive-bytes)', () => archive().capBytes)
  registry.collect(
    'wg_archive_cap_refusals_total',
    'Items refused with E_QUOTA since start because the archive was at its cap',
    () => archive().capRefusals,
    'counter',
  )
  registry.collect('wg_tls_certificate_expiry_timestamp_seconds', 'When the TLS certificate in use expires (Unix time); absent without TLS', () => {
    const notAfter = sources.tlsNotAfter?.()
    return notAfter === undefined ? [] : [{ value: Math.floor(notAfter / 1000) }]
  })
  registry.collect('process_resident_memory_bytes', 'Resident memory size in bytes', () => process.memoryUsage.rss())
  registry.collect('nodejs_heap_used_bytes', 'V8 heap used in bytes', () => process.memoryUsage().heapUsed)
  registry.collect('process_uptime_seconds', 'Seconds since the relay started', () => Math.round((Date.now() - sources.startedAt) / 1000))
  return metrics
}
