// The network façade: what the app, the relay process and tests use. It owns the protocol
// handlers on the node: gossip (validated, delivered into the sink as opened objects), the sync
// server (serving the source, sessions bounded), the sync client (catch-up from relays and peers,
// omission tracking), the mailbox protocol (a relay's server, a client's watch and deposits),
// filtered subscriptions, set reconciliation between relays and, for clients, the relay pool.
// A relay plugs in through the hooks of NetworkInit (trusted peers, validation verdicts,
// session limits, its mailbox server), never into libp2p itself.
import type { PeerId } from '@libp2p/interface'
import { decodeChangeEnvelope, decodeEvent } from '../core/index.ts'
import type { AuthorId, VerifiedChangeEnvelope, VerifiedEvent } from '../core/index.ts'
import type { IngestResult } from '../store/types.ts'
import { startGossip } from './gossip.ts'
import type { Gossip } from './gossip.ts'
import { createStatusTracker } from './network-status.ts'
import type { Network, NetworkComponents, NetworkCounters, NetworkInit } from './network-types.ts'
import { MAILBOX_PROTOCOL, MAILBOX_STREAMS_PER_CONNECTION } from './mailbox-frames.ts'
import { createBlobFetcher } from './blob-client.ts'
import { BLOB_PROTOCOL, BLOB_STREAMS_PER_CONNECTION } from './blob-frames.ts'
import { createMailboxSession, openRelayPeers } from './mailbox-session.ts'
import { createRelayPool } from './relay-pool.ts'
import type { RelayPool } from './relay-pool.ts'
import { createSyncSessions } from './sync-sessions.ts'
import { createMissingTracker } from './sync/missing-tracker.ts'
import { createRepairs } from './sync/repairs.ts'
import type { Repairs } from './sync/repairs.ts'
import { CLIENT_SYNC_BUDGET, RELAY_SYNC_BUDGET } from './sync/budget.ts'
import { startSyncServer } from './sync/server.ts'
import type { SyncServer, SyncServerCounters } from './sync/server.ts'
import { startReconcileServer } from './reconcile/server.ts'
import type { ReconcileServer } from './reconcile/server.ts'
import { createSubscriptions } from './subscribe/client.ts'
import type { Subscriptions } from './subscribe/client.ts'
import { startSubscriptionServer } from './subscribe/server.ts'
import type { SubscriptionServer } from './subscribe/server.ts'
import { TOPIC_RELAYS } from './topics.ts'

export type { NetworkStatus } from './network-status.ts'

export type { Network, NetworkComponents, NetworkCounters, NetworkInit } from './network-types.ts'

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
  for (const addr of init.learnedRelays ?? []) pool?.learnRelay(addr)
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
  // filtered: an author's document only (a new follower's name and follows, not their posts;
  // the periodic sync fetches what followed authors' indexes name)
  const repair = (peer: PeerId, authors: AuthorId[]): Promise<unknown> =>
    sessions.syncWith(peer, { authors, recent: false, ...(filtered ? { events: false } : {}) }).catch(() => {
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
        needsSync: (authors) => void sessions.syncNow({ authors }).catch(() => extra.syncErrors++),
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
      if (init.serveBlobs !== undefined) await node.handle(BLOB_PROTOCOL, init.serveBlobs, { maxInboundStreams: BLOB_STREAMS_PER_CONNECTION })
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
      components.subscriptions?.onFollowed?.((author, followed, envelopes) => subServer?.offerFollow(author, followed, envelopes))
      if (filtered) subs = startSubscriptions()
      if (components.reconcile !== undefined)
        reconciler = await startReconcileServer(node, components.reconcile, {
          // what an initiator pushes goes where what we fetch goes: verified, then the sink's rules
          sink,
          ...(init.verifier === undefined ? {} : { verifier: init.verifier }),
          ...(init.onReconcileServed === undefined ? {} : { onServed: (peer, report) => init.onReconcileServed?.(peer.toString(), report) }),
        })
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
      if (init.serveBlobs !== undefined) await node.unhandle(BLOB_PROTOCOL)
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
    fetchBlob: createBlobFetcher(node, () => openRelayPeers(node, tracker.status.get().relays)),
    openMailboxes: (mail) => createMailboxSession(node, { ...mail, relays: () => openRelayPeers(node, tracker.status.get().relays) }),
    refreshInterest: async () => {
      await subs?.refresh()
    },
    fetchEvents: (ids) => sessions.fetchEvents(ids),
    fetchThread: async (root) => (await subs?.fetchThread(root)) ?? 0,
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
