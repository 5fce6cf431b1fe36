// The network façade: what the app, the relay process and tests use. It owns the protocol
// handlers on the node: gossip (validated, delivered into the sink as opened objects), the sync
// server (serving the source, sessions bounded), the sync client (catch-up from relays and peers,
// omission tracking), the mailbox protocol (a relay's server, a client's watch and deposits),
// filtered subscriptions, set reconciliation between relays and, for clients, the relay pool.
// A relay plugs in through the hooks of NetworkInit (trusted peers, validation verdicts,
// session limits, its mailbox server), never into libp2p itself.
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { decodeChangeEnvelope, decodeEvent } from '../core/index.ts'
import type { AuthorId, EventId, SignatureVerifier, VerifiedChangeEnvelope, VerifiedEvent } from '../core/index.ts'
import type { IngestResult } from '../store/types.ts'
import type { GossipSub } from './gossip-config.ts'
import { startGossip } from './gossip.ts'
import type { Gossip, GossipCounters, GossipVerdict, RelayRecordOpener } from './gossip.ts'
import { createStatusTracker } from './network-status.ts'
import type { NetworkStatus } from './network-status.ts'
import { MAILBOX_PROTOCOL, MAILBOX_STREAMS_PER_CONNECTION } from './mailbox-frames.ts'
import { createMailboxSession, openRelayPeers, type MailboxSession, type MailboxSessionInit } from './mailbox-session.ts'
import type { PrivacyMode } from './node.ts'
import type { RateLimit } from './rate-limiter.ts'
import { createRelayPool } from './relay-pool.ts'
import type { RelayPool } from './relay-pool.ts'
import type { Subscribable } from './status.ts'
import { createSyncSessions } from './sync-sessions.ts'
import type { SyncOptions } from './sync-sessions.ts'
import type { SyncReport } from './sync/client.ts'
import { createMissingTracker } from './sync/missing-tracker.ts'
import { createRepairs } from './sync/repairs.ts'
import type { Repairs } from './sync/repairs.ts'
import { CLIENT_SYNC_BUDGET, RELAY_SYNC_BUDGET } from './sync/budget.ts'
import type { SyncBudgetLimits } from './sync/budget.ts'
import { startSyncServer } from './sync/server.ts'
import type { SyncServer, SyncServerCounters } from './sync/server.ts'
import type { AuthorsOfInterest, SyncSink, SyncSource } from './sync-source.ts'
import { startReconcileServer } from './reconcile/server.ts'
import type { ReconcileServer } from './reconcile/server.ts'
import type { ReconcileReport, ReconcileSource } from './reconcile/session.ts'
import { createSubscriptions } from './subscribe/client.ts'
import type { Interest, SubscriptionCountersClient, Subscriptions } from './subscribe/client.ts'
import { startSubscriptionServer } from './subscribe/server.ts'
import type { SubscriptionServer, SubscriptionSource } from './subscribe/server.ts'
import { TOPIC_RELAYS } from './topics.ts'
import type { GossipTopic } from './topics.ts'

export type { NetworkStatus } from './network-status.ts'

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
  /** client: relays known at start (multiaddrs with /p2p/<id>) */
  relays?: readonly string[]
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
  /**
   * What serving sync may cost, per peer and in all (src/net/sync/budget.ts, protocol/sync.md
   * §Server budgets); default RELAY_SYNC_BUDGET or CLIENT_SYNC_BUDGET by role.
   */
  syncBudget?: Partial<SyncBudgetLimits>
  /** a peer went past its sync budget and was hung up on (a relay refuses it for a while) */
  onSyncCut?(peer: string): void
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
  /** filtered: send the current interest to every subscription (after a follow, a thread opened) */
  refreshInterest(): Promise<void>
  /** filtered: what the subscriptions received (bytes, items, dropped unverified, verified) */
  readonly subscriptionCounters: Readonly<SubscriptionCountersClient> | undefined
  /** filtered: the relays a live subscription runs on now (one, or none between relays) */
  subscriptionLive?(): string[]
  /** reconciles our set with `peer`'s and fetches what we lack (needs components.reconcile) */
  reconcileWith(peer: PeerId): Promise<ReconcileReport>
  readonly status: Subscribable<NetworkStatus>
  readonly counters: NetworkCounters
}

export function createNetwork(components: NetworkComponents, init: NetworkInit): Network {
  const { node, source, sink } = components
  const relay = init.role === 'relay'
  const filtered = !relay && init.delivery === 'filtered'
  const privacy = init.privacy ?? 'direct'
  const missing = createMissingTracker()
  const eventListeners = new Set<(e: VerifiedEvent) => void>()
  const changeListeners = new Set<(e: VerifiedChangeEnvelope) => void>()
  const extra = { ingestErrors: 0, syncErrors: 0 }
  const pool: RelayPool | undefined = relay
    ? undefined
    : createRelayPool(node, { relays: init.relays ?? [], privacy, ...(init.targetRelays === undefined ? {} : { target: init.targetRelays }) })
  const tracker = createStatusTracker(node, pool, privacy)
  const trusted = new Set(init.trustedPeers ?? [])
  const sessions = createSyncSessions(
    { node, source, sink, missing },
    {
      ...(init.authors === undefined ? {} : { authors: init.authors }),
      // filtered: no store-and-forward of everyone's gossip; the subscription's catch-up replaces it
      ...(filtered ? { recentPages: 0 } : init.recentPages === undefined ? {} : { recentPages: init.recentPages }),
      ...(init.syncCursors === undefined ? {} : { syncCursors: init.syncCursors }),
      peersToSync: () => {
        const s = pool?.status()
        return { relays: s?.relays ?? [], peers: s?.peers ?? node.getPeers().map(String) }
      },
      onError: () => extra.syncErrors++,
    },
  )
  const unsubscribers: Array<() => void> = []
  let gossip: Gossip | undefined
  let server: SyncServer | undefined
  let reconciler: ReconcileServer | undefined
  let subServer: SubscriptionServer | undefined
  let subs: Subscriptions | undefined
  let timer: ReturnType<typeof setInterval> | undefined
  let running = false

  const ingest = <T>(what: Promise<T>): Promise<T | undefined> =>
    what.catch(() => {
      extra.ingestErrors++
      return undefined
    })

  // A change whose dependencies we lack (an earlier change of that author was missed, or
  // overtaken on the way) is refused by the sink: fetch the author's missing changes from the
  // peer that forwarded it soon — not at the next periodic sync, which covers only the authors
  // we follow — coalesced and bounded, since anyone can sign such changes (protocol/sync.md §Flow).
  // A relay serves sync but does not run it.
  let repairs: Repairs | undefined
  const repair = (peer: PeerId, authors: AuthorId[]): Promise<unknown> =>
    sessions.syncWith(peer, { authors, recent: false }).catch(() => {
      extra.syncErrors++
    })
  const repairIfMissing = (results: readonly IngestResult[] | undefined, author: AuthorId, from: PeerId): void => {
    const first = results?.[0]
    if (relay || first === undefined || first.ok || first.reason !== 'missing-dependencies') return
    repairs?.request(author, from)
  }

  function startGossipIntoSink(): Gossip {
    return startGossip(node.services.pubsub, {
      onEvent(event) {
        subServer?.offerEvent(event)
        void ingest(sink.ingestOpenedEvents([event])).then(() => {
          for (const l of eventListeners) l(event)
        })
      },
      onChange(envelope, from) {
        subServer?.offerChange(envelope.author, envelope.bytes)
        void ingest(sink.ingestOpenedChanges([envelope])).then((results) => {
          for (const l of changeListeners) l(envelope)
          repairIfMissing(results, envelope.author, from)
        })
      },
      onRelayRecord(record) {
        // learned, not chosen: never dialled in relay-only mode (src/net/relay-pool.ts)
        for (const addr of record.multiaddrs) pool?.learnRelay(addr)
      },
      ...(init.onGossipValidated === undefined ? {} : { onValidated: init.onGossipValidated }),
      ...(init.relayRecords === undefined ? {} : { relayRecords: init.relayRecords }),
      ...(init.isRetracted === undefined ? {} : { isRetracted: init.isRetracted }),
      ...(init.rateLimit === undefined ? {} : { rateLimit: init.rateLimit }),
      ...(init.verifier === undefined ? {} : { verifier: init.verifier }),
      isTrusted: (peer) => trusted.has(peer.toString()) || (pool?.isRelay(peer) ?? false),
      ...(filtered ? { subscribe: [TOPIC_RELAYS] } : {}),
    })
  }

  /** A client catches up with a relay that (re)connects and with each new direct peer. */
  function startClientSync(clientPool: RelayPool): void {
    let knownPeers = new Set<string>()
    let knownRelays = new Set<string>()
    unsubscribers.push(
      clientPool.onChange((s, connectedRelay) => {
        tracker.refresh()
        // a relay (re)connected: catch up on what we missed while away from it
        if (connectedRelay !== undefined) {
          sessions.syncWith(connectedRelay).catch(() => extra.syncErrors++)
          subs?.relayConnected(connectedRelay)
        }
        for (const id of knownRelays) if (!s.relays.includes(id)) subs?.relayDisconnected(id)
        knownRelays = new Set(s.relays)
        // a new direct peer may hold what our relays do not (protocol/sync.md §Omissions)
        for (const id of s.peers) {
          if (knownPeers.has(id)) continue
          sessions.syncPeer(id)
          const conn = node.getConnections().find((c) => c.remotePeer.toString() === id && c.limits === undefined)
          if (conn !== undefined) subs?.peerConnected(conn.remotePeer)
        }
        knownPeers = new Set(s.peers)
      }),
    )
    clientPool.start()
    const every = init.syncIntervalMs ?? 60_000
    if (every > 0) {
      timer = setInterval(() => {
        void sessions.syncNow()
        void subs?.refreshCursors()
      }, every)
    }
  }

  /** filtered delivery: subscriptions into the sink, forwarded to our own subscribers (direct peers) */
  function startSubscriptions(): Subscriptions {
    return createSubscriptions(
      { node, sink, source },
      {
        interest: init.interest ?? (async () => ({ authors: (await init.authors?.()) ?? [], about: [], threads: [], community: false })),
        ...(init.anonymity === undefined ? {} : { anonymity: init.anonymity }),
        ...(init.subscriptionCursors === undefined ? {} : { cursors: init.subscriptionCursors }),
        onEvent(event) {
          subServer?.offerEvent(event)
          for (const l of eventListeners) l(event)
        },
        onChange(envelope, result, from) {
          subServer?.offerChange(envelope.author, envelope.bytes)
          for (const l of changeListeners) l(envelope)
          repairIfMissing(result === undefined ? undefined : [result], envelope.author, from)
        },
        onError: () => extra.syncErrors++,
      },
    )
  }

  return {
    async start() {
      if (running) return
      running = true
      server = await startSyncServer(node, source, {
        maxSessions: init.maxSyncSessions ?? (relay ? 256 : Infinity),
        // above the per-peer session limit, so that those refusals are ours to count
        maxPerConnection: 8,
        budget: { ...(relay ? RELAY_SYNC_BUDGET : CLIENT_SYNC_BUDGET), ...init.syncBudget },
        ...(init.onSyncCut === undefined ? {} : { onCut: init.onSyncCut }),
      })
      if (init.serveMailboxes !== undefined) await node.handle(MAILBOX_PROTOCOL, init.serveMailboxes, { maxInboundStreams: MAILBOX_STREAMS_PER_CONNECTION })
      subServer = await startSubscriptionServer(
        node,
        components.subscriptions ?? { authorCount: () => 0 },
        relay
          ? { maxSubscriptions: 4096, maxPerConnection: 2 }
          : // a browser serves its direct peers (at most 8 of them) what it publishes and receives
            { maxSubscriptions: 8, maxPerConnection: 1 },
      )
      components.subscriptions?.onStored?.((events) => {
        for (const e of events) subServer?.offerEvent(e)
      })
      if (filtered) subs = startSubscriptions()
      if (components.reconcile !== undefined)
        reconciler = await startReconcileServer(node, components.reconcile, init.verifier === undefined ? {} : { verifier: init.verifier })
      repairs = createRepairs(repair)
      gossip = startGossipIntoSink()
      if (pool !== undefined) startClientSync(pool)
      else unsubscribers.push(tracker.followConnections())
      tracker.refresh()
    },
    async stop() {
      if (!running) return
      running = false
      clearInterval(timer)
      for (const off of unsubscribers.splice(0)) off()
      pool?.stop()
      subs?.stop()
      repairs?.stop()
      gossip?.stop()
      await subServer?.stop()
      await server?.stop()
      if (init.serveMailboxes !== undefined) await node.unhandle(MAILBOX_PROTOCOL)
      await reconciler?.stop()
    },
    async publishEvent(bytes) {
      await gossip?.publishEvent(bytes)
      // direct peers that subscribed to us hear it at once (gossip carries it to the relays)
      // (our own bytes: decoded, not verified again; every receiver verifies them)
      if (subServer !== undefined && !relay) subServer.offerEvent(decodeEvent(bytes))
    },
    async publishChange(bytes) {
      await gossip?.publishChange(bytes)
      if (subServer !== undefined && !relay) subServer.offerChange(decodeChangeEnvelope(bytes).author, bytes)
    },
    async publishRelayRecord(bytes) {
      await gossip?.publishRelayRecord(bytes)
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onChange(listener) {
      changeListeners.add(listener)
      return () => changeListeners.delete(listener)
    },
    syncNow: (options) => sessions.syncNow(options),
    syncWith: (peer, options) => sessions.syncWith(peer, options),
    missingCount: (author) => missing.count(author),
    onMissingChange: (listener) => missing.subscribe(listener),
    addRelay: (addr) => pool?.addRelay(addr) ?? false,
    learnedRelays: () => pool?.learned() ?? [],
    openMailboxes: (mail) => createMailboxSession(node, { ...mail, relays: () => openRelayPeers(node, tracker.status.get().relays) }),
    refreshInterest: async () => {
      await subs?.refresh()
    },
    get subscriptionCounters() {
      return subs?.counters
    },
    subscriptionLive: () => subs?.live() ?? [],
    async reconcileWith(peer) {
      if (reconciler === undefined) throw new Error('reconcileWith: this network has no set to reconcile')
      return reconciler.reconcileWith(peer, sink)
    },
    status: tracker.status,
    get counters(): NetworkCounters {
      const served: SyncServerCounters = server?.counters ?? { served: 0, active: 0, refused: 0, throttled: 0, busy: 0, cut: 0 }
      return {
        ...(gossip?.counters ?? { accepted: 0, rejected: 0, ignored: 0 }),
        ...extra,
        syncServed: served.served,
        syncActive: served.active,
        syncRefused: served.refused,
        syncThrottled: served.throttled,
        syncBusy: served.busy,
        syncCut: served.cut,
      }
    },
  }
}
