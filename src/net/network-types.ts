// What the network façade promises (network.ts builds it): its components, its init with the
// hooks a relay plugs into, its counters, and the Network itself.
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { AuthorId, EventId, SignatureVerifier, VerifiedChangeEnvelope, VerifiedEvent } from '../core/index.ts'
import type { GossipSub } from './gossip-config.ts'
import type { GossipCounters, GossipVerdict, RelayRecordOpener } from './gossip.ts'
import type { NetworkStatus } from './network-status.ts'
import type { MailboxSession, MailboxSessionInit } from './mailbox-session.ts'
import type { PrivacyMode } from './node.ts'
import type { RateLimit } from './rate-limiter.ts'
import type { Subscribable } from './status.ts'
import type { SyncOptions } from './sync-sessions.ts'
import type { SyncReport } from './sync/client.ts'
import type { SyncBudgetLimits } from './sync/budget.ts'
import type { AuthorsOfInterest, SyncSink, SyncSource } from './sync-source.ts'
import type { ReconcileReport, ReconcileSource, ServeReport } from './reconcile/session.ts'
import type { Interest, SubscriptionCountersClient } from './subscribe/client.ts'
import type { SubscriptionSource } from './subscribe/server.ts'
import type { GossipTopic } from './topics.ts'

export interface NetworkComponents {
  /** createNode(...) for clients, createRelayNode(...) for relays */
  node: Libp2p<{ pubsub: GossipSub }>
  /** the local store (or relay archive) as served to peers */
  source: SyncSource
  /** where verified gossip and sync results go */
  sink: SyncSink
  /** a relay's archive as a set to reconcile with other relays (protocol/reconcile.md) */
  reconcile?: ReconcileSource
  /** a relay's archive as subscriptions are served from it: catch-up, cursors (protocol/subscribe.md) */
  subscriptions?: SubscriptionSource
}

export interface NetworkInit {
  role: 'client' | 'relay'
  /** client: the relays the person chose (multiaddrs with /p2p/<id>) */
  relays?: readonly string[]
  /** client: relays learned before (e.g. reached in an earlier session): learned, never chosen (relay-pool.ts) */
  learnedRelays?: readonly string[]
  privacy?: PrivacyMode
  /** authors to catch up on (default: none) */
  authors?: AuthorsOfInterest
  relayRecords?: RelayRecordOpener
  isRetracted?(id: EventId): boolean | Promise<boolean>
  rateLimit?: RateLimit
  /**
   * Peer ids exempt from the gossip rate limit, besides a client's relays: a relay passes the
   * relays it peers with (--peer), the backbone that forwards everyone's messages.
   */
  trustedPeers?: readonly string[]
  /** after every validation of a gossip message, on any topic (a relay's metrics and flood guard) */
  onGossipValidated?(topic: GossipTopic, from: PeerId, verdict: GossipVerdict): void
  /**
   * Sync sessions this node serves at once, all peers together (default: relay 256, client no
   * bound beyond its connections'); one more is refused at once. Per connection: relay 256, client 8.
   */
  maxSyncSessions?: number
  /** relay: serves /wildgrass/mailbox/1.0.0 (protocol/direct-messages.md §5), registered with the sync server */
  serveMailboxes?(stream: Stream, connection: Connection): Promise<void>
  /** relay: serves /wildgrass/blob/1.0.0 (protocol/blobs.md §7), registered with the sync server, at most 4 streams per connection */
  serveBlobs?(stream: Stream, connection: Connection): Promise<void>
  /**
   * What serving sync may cost, per peer and in all (src/net/sync/budget.ts, protocol/sync.md
   * §Server budgets); default RELAY_SYNC_BUDGET or CLIENT_SYNC_BUDGET by role.
   */
  syncBudget?: Partial<SyncBudgetLimits>
  /** a peer went past its sync budget and was hung up on (a relay refuses it for a while) */
  onSyncCut?(peer: string): void
  /** relay: a reconciliation another relay started with us ended (what it pushed to us) */
  onReconcileServed?(peer: string, report: ServeReport): void
  /** client: periodic catch-up (default 60 s; 0 = only on connect and syncNow) */
  syncIntervalMs?: number
  /** pages of store-and-forward events (200 each) to fetch per sync (default 10; 0 = off) */
  recentPages?: number
  /** relays to stay connected to (default 2) */
  targetRelays?: number
  /**
   * Store-and-forward cursors kept across sessions (client): where each relay's recent log was
   * read up to, by relay peer id. Without them a restarted app re-fetches up to `recentPages`
   * pages per relay, which a slow or metered connection pays for on every start.
   */
  syncCursors?: { initial?: Readonly<Record<string, string>>; save?(peer: string, cursor: string): void }
  /**
   * client: how it receives (protocol/subscribe.md). 'firehose' (default): every event and change
   * its relays gossip. 'filtered': a subscription naming what `interest` returns, on one relay at a
   * time and on its direct peers; gossip only for relay records (it still publishes by gossip).
   */
  delivery?: 'firehose' | 'filtered'
  /** filtered: what to receive; default: `authors` as whom it follows, nothing else */
  interest?: () => Promise<Interest> | Interest
  /** filtered: authors per bucket the relay sends for each one we follow (default 8; 1 = exact) */
  anonymity?: number
  /** filtered: the relays' subscription cursors, kept across sessions (as syncCursors) */
  subscriptionCursors?: { initial?: Readonly<Record<string, string>>; save?(peer: string, cursor: string): void }
  /**
   * Signature backend for gossip validation; default core's (WebCrypto or noble). Node relays and
   * peers pass createNodeVerifier() from verify-node.ts: synchronous, no thread-pool hop.
   */
  verifier?: SignatureVerifier
}

export interface NetworkCounters extends GossipCounters {
  /** sink calls that failed */
  ingestErrors: number
  /** sync sessions we ran that failed */
  syncErrors: number
  /** sync sessions served to peers: since start, now, refused over the limits */
  syncServed: number
  syncActive: number
  syncRefused: number
  /** sync requests slowed by a budget; refused because this node's budget was spent; peers cut off */
  syncThrottled: number
  syncBusy: number
  syncCut: number
}

export interface Network {
  start(): Promise<void>
  stop(): Promise<void>
  /** gossip our own signed event / change envelope (bytes as the store holds them) */
  publishEvent(bytes: Uint8Array): Promise<void>
  publishChange(bytes: Uint8Array): Promise<void>
  publishRelayRecord(bytes: Uint8Array): Promise<void>
  /** after it passed validation and went into the sink */
  onEvent(listener: (event: VerifiedEvent) => void): () => void
  onChange(listener: (envelope: VerifiedChangeEnvelope) => void): () => void
  /**
   * Catch up with every connected relay, then every direct peer. With `authors`: only their
   * feeds, in sessions of their own after any in flight — for a follow just made, which a
   * session already running (it read its authors before) would not include.
   */
  syncNow(options?: { authors?: readonly AuthorId[] }): Promise<SyncReport[]>
  syncWith(peer: PeerId, options?: SyncOptions): Promise<SyncReport>
  /** events of `author` its signed index names but nobody served us */
  missingCount(author: AuthorId): number
  onMissingChange(listener: (author: AuthorId, count: number) => void): () => void
  /** a relay the person chose (settings, an invite they accepted) */
  addRelay(addr: string): boolean
  /** client: relays learned from records and not chosen, for the person to approve (addRelay) */
  learnedRelays(): Array<{ addr: string; proven: boolean }>
  /** client: my mailboxes watched, and letters deposited, at every relay connected directly */
  openMailboxes(init: Omit<MailboxSessionInit, 'relays'>): MailboxSession
  /**
   * A blob's bytes over /wildgrass/blob/1.0.0 from the relays connected directly, one after the
   * other, checked against the hash (a relay that sends other bytes is skipped); E_UNAVAILABLE
   * when none had it (blob-client.ts).
   */
  fetchBlob(sha256: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>
  /** filtered: send the current interest to every subscription (after a follow, a thread opened) */
  refreshInterest(): Promise<void>
  /** events by id from the connected relays (then direct peers): posts that replies, quotes and reposts name; the ids stored */
  fetchEvents(ids: readonly EventId[]): Promise<EventId[]>
  /** filtered: the replies a relay holds in this thread, from its beginning (a thread just opened); how many were stored */
  fetchThread(root: EventId): Promise<number>
  /** filtered: what the subscriptions received (bytes, items, dropped unverified, verified) */
  readonly subscriptionCounters: Readonly<SubscriptionCountersClient> | undefined
  /** filtered: the relays a live subscription runs on now (one, or none between relays) */
  subscriptionLive?(): string[]
  /** reconciles our set with `peer`'s: fetches what we lack, pushes what it lacks (needs components.reconcile) */
  reconcileWith(peer: PeerId): Promise<ReconcileReport>
  readonly status: Subscribable<NetworkStatus>
  readonly counters: NetworkCounters
}
