// The network façade (issue 4): what the app, the relay process and tests use. It wires gossip
// (validated, delivered into the sink), the sync server (serving the source), the sync client
// (catch-up from relays and peers, omission tracking) and, for clients, the relay pool.
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { ChangeEnvelope } from '../core/index.ts'
import type { AuthorId, EventId, SignedEvent } from '../core/index.ts'
import type { GossipSub } from './gossip-config.ts'
import { startGossip } from './gossip.ts'
import type { Gossip, GossipCounters, RelayRecordOpener } from './gossip.ts'
import type { PrivacyMode } from './node.ts'
import type { RateLimit } from './rate-limiter.ts'
import type { SignatureVerifier } from './signature-verifier.ts'
import { createRelayPool } from './relay-pool.ts'
import type { RelayPool } from './relay-pool.ts'
import { createWritable } from './status.ts'
import type { Subscribable } from './status.ts'
import { runSyncSession } from './sync/client.ts'
import type { SyncReport } from './sync/client.ts'
import { SYNC_PROTOCOL } from './sync/limits.ts'
import { createMissingTracker } from './sync/missing-tracker.ts'
import { serveSyncStream } from './sync/server.ts'
import type { AuthorsOfInterest, SyncSink, SyncSource } from './sync-source.ts'

export interface NetworkComponents {
  /** createNode(...) for clients, createRelayNode(...) for relays */
  node: Libp2p<{ pubsub: GossipSub }>
  /** the local store (or relay archive) as served to peers */
  source: SyncSource
  /** where verified gossip and sync results go */
  sink: SyncSink
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
  /** peer ids exempt from the gossip rate limit (besides a client's relays and a relay's --peer relays) */
  trustedPeers?: readonly string[]
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
   * Signature backend for gossip validation; default core's (WebCrypto or noble). Node relays and
   * peers pass createNodeVerifier() from verify-node.ts: synchronous, no thread-pool hop.
   */
  verifier?: SignatureVerifier
}

export interface NetworkStatus {
  relays: string[]
  peers: string[]
  knownRelays: number
  privacy: PrivacyMode
}

export interface Network {
  start(): Promise<void>
  stop(): Promise<void>
  /** gossip our own signed event / change envelope (bytes as the store holds them) */
  publishEvent(bytes: Uint8Array): Promise<void>
  publishChange(bytes: Uint8Array): Promise<void>
  publishRelayRecord(bytes: Uint8Array): Promise<void>
  /** after it passed validation and went into the sink */
  onEvent(listener: (event: SignedEvent) => void): () => void
  onChange(listener: (envelope: ChangeEnvelope) => void): () => void
  /**
   * Catch up with every connected relay, then every direct peer. With `authors`: only their
   * feeds, in sessions of their own after any in flight — for a follow just made, which a
   * session already running (it read its authors before) would not include.
   */
  syncNow(options?: { authors?: readonly AuthorId[] }): Promise<SyncReport[]>
  syncWith(peer: PeerId, options?: { authors?: readonly AuthorId[]; recent?: boolean }): Promise<SyncReport>
  /** events of `author` its signed index names but nobody served us */
  missingCount(author: AuthorId): number
  onMissingChange(listener: (author: AuthorId, count: number) => void): () => void
  addRelay(addr: string): boolean
  readonly status: Subscribable<NetworkStatus>
  readonly counters: GossipCounters & { ingestErrors: number; syncErrors: number }
}

/**
 * Opens a sync stream on the newest open, unlimited connection to the peer (sync does not run
 * over relayed, limited connections). A connection whose far end died can still look open
 * for a while; one that cannot carry a new stream is dead: abort it and try the next, or dial.
 */
async function openSyncStream(node: Libp2p, peer: PeerId): Promise<Stream> {
  const usable = node.getConnections(peer)
    .filter((c) => c.status === 'open' && c.limits === undefined)
    .sort((a, b) => b.timeline.open - a.timeline.open)
  for (const conn of usable) {
    try {
      return await conn.newStream(SYNC_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
    } catch (err) {
      // only a connection whose muxer is gone is dead; anything else (a peer that does not
      // speak sync, a slow start) is not a reason to cut a live connection
      if (!(err instanceof Error && /closed/i.test(`${err.name} ${err.message}`))) throw err
      conn.abort(err)
    }
  }
  return node.dialProtocol(peer, SYNC_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
}

export function createNetwork(components: NetworkComponents, init: NetworkInit): Network {
  const { node, source, sink } = components
  const privacy = init.privacy ?? 'direct'
  const missing = createMissingTracker()
  const eventListeners = new Set<(e: SignedEvent) => void>()
  const changeListeners = new Set<(e: ChangeEnvelope) => void>()
  const cursors = new Map<string, string | undefined>(Object.entries(init.syncCursors?.initial ?? {}))
  const inFlight = new Map<string, Promise<SyncReport>>()
  const extra = { ingestErrors: 0, syncErrors: 0 }
  const status = createWritable<NetworkStatus>({ relays: [], peers: [], knownRelays: 0, privacy }, (a, b) => JSON.stringify(a) === JSON.stringify(b))
  const pool: RelayPool | undefined = init.role === 'client'
    ? createRelayPool(node, { relays: init.relays ?? [], privacy, ...(init.targetRelays === undefined ? {} : { target: init.targetRelays }) })
    : undefined
  const trusted = new Set(init.trustedPeers ?? [])
  // gossipsub's direct peers are the relays given with --peer (createRelayNode): the backbone
  // forwards everyone's messages, so it is exempt from the per-peer rate limit
  const directPeers: ReadonlySet<string> = (node.services.pubsub as unknown as { direct?: Set<string> }).direct ?? new Set()
  const unsubscribers: Array<() => void> = []
  let gossip: Gossip | undefined
  let timer: ReturnType<typeof setInterval> | undefined
  let running = false

  const repairing = new Set<AuthorId>()
  const ingest = (what: Promise<unknown>): Promise<void> => what.then(() => undefined, () => {
    extra.ingestErrors++
  })

  const syncWith = (peer: PeerId, options: { authors?: readonly AuthorId[]; recent?: boolean } = {}): Promise<SyncReport> => {
    const key = peer.toString()
    const current = inFlight.get(key)
    // a plain request joins the session in flight; one with its own options runs after it
    if (current !== undefined && options.authors === undefined && options.recent === undefined) return current
    const run = (async () => {
      if (current !== undefined) await current.catch(() => undefined)
      const authors = options.authors ?? (await init.authors?.()) ?? []
      const pages = init.recentPages ?? 10
      const stream = await openSyncStream(node, peer)
      const report = await runSyncSession(stream, { source, sink, missing }, {
        authors,
        ...(options.recent !== false && pages > 0 ? { recent: { after: cursors.get(key), maxPages: pages } } : {}),
      })
      if (report.cursor !== undefined && report.cursor !== cursors.get(key)) init.syncCursors?.save?.(key, report.cursor)
      cursors.set(key, report.cursor)
      return report
    })().finally(() => {
      if (inFlight.get(key) === run) inFlight.delete(key)
    })
    inFlight.set(key, run)
    return run
  }

  const syncNow = async (options: { authors?: readonly AuthorId[] } = {}): Promise<SyncReport[]> => {
    const only = options.authors === undefined ? {} : { authors: options.authors, recent: false }
    const s = pool?.status()
    const relays = s?.relays ?? []
    const peers = s?.peers ?? node.getPeers().map(String)
    const reports: SyncReport[] = []
    // relays first (they hold the archive), then peers: a peer may serve what relays omitted
    for (const id of [...relays, ...peers.filter((p) => !relays.includes(p))]) {
      const conn = node.getConnections().find((c) => c.remotePeer.toString() === id && c.limits === undefined)
      if (conn === undefined) continue
      try {
        reports.push(await syncWith(conn.remotePeer, only))
      } catch {
        extra.syncErrors++
      }
    }
    return reports
  }

  const refreshStatus = (): void => {
    const s = pool?.status()
    status.set({
      relays: s?.relays ?? [],
      peers: s?.peers ?? node.getPeers().map(String),
      knownRelays: s?.known ?? 0,
      privacy,
    })
  }

  return {
    async start() {
      if (running) return
      running = true
      await node.handle(SYNC_PROTOCOL, (stream) => serveSyncStream(stream, source), {
        maxInboundStreams: init.role === 'relay' ? 256 : 8,
      })
      gossip = startGossip(node.services.pubsub, {
        onEvent(event) {
          // the validator decoded and verified it: a sink that can take the object skips both
          const stored = sink.ingestOpenedEvents === undefined ? sink.ingestEvents([event.bytes]) : sink.ingestOpenedEvents([event])
          void ingest(stored).then(() => {
            for (const l of eventListeners) l(event)
          })
        },
        onChange(envelope, from) {
          const stored = sink.ingestChanges([envelope.bytes])
          void ingest(stored).then(() => {
            for (const l of changeListeners) l(envelope)
          })
          // A change whose dependencies we lack (an earlier change of that author was missed,
          // or overtaken on the way) is refused by the store: fetch the author's missing changes
          // from the peer that forwarded it, now — not at the next periodic sync, which covers
          // only the authors we follow (protocol/sync.md §Flow).
          if (init.role === 'client') void stored.then((results) => {
            if (!isMissingDependencies(results) || repairing.has(envelope.author)) return
            repairing.add(envelope.author)
            syncWith(from, { authors: [envelope.author] })
              .catch(() => extra.syncErrors++)
              .finally(() => repairing.delete(envelope.author))
          }, () => undefined)
        },
        onRelayRecord(record) {
          for (const addr of record.multiaddrs) pool?.addRelay(addr)
        },
        ...(init.relayRecords === undefined ? {} : { relayRecords: init.relayRecords }),
        ...(init.isRetracted === undefined ? {} : { isRetracted: init.isRetracted }),
        ...(init.rateLimit === undefined ? {} : { rateLimit: init.rateLimit }),
        ...(init.verifier === undefined ? {} : { verifier: init.verifier }),
        isTrusted: (peer) => trusted.has(peer.toString()) || (pool?.isRelay(peer) ?? false) || directPeers.has(peer.toString()),
      })
      if (pool !== undefined) {
        let knownPeers = new Set<string>()
        unsubscribers.push(pool.onChange((s, connectedRelay) => {
          refreshStatus()
          // a relay (re)connected: catch up on what we missed while away from it
          if (connectedRelay !== undefined) syncWith(connectedRelay).catch(() => extra.syncErrors++)
          // a new direct peer may hold what our relays do not (protocol/sync.md §Omissions)
          for (const id of s.peers) {
            if (knownPeers.has(id)) continue
            const conn = node.getConnections().find((c) => c.remotePeer.toString() === id && c.limits === undefined)
            if (conn !== undefined) syncWith(conn.remotePeer).catch(() => extra.syncErrors++)
          }
          knownPeers = new Set(s.peers)
        }))
        pool.start()
        const every = init.syncIntervalMs ?? 60_000
        if (every > 0) timer = setInterval(() => void syncNow(), every)
      } else {
        // A relay's status lists every connected peer. Rebuilt at most once a second, not on
        // every connection event: with 2,000 peers connecting, rebuilding (every peer id in
        // base58, twice stringified) on each event was quadratic, seconds of a relay's CPU.
        let pending: ReturnType<typeof setTimeout> | undefined
        const refreshSoon = (): void => {
          pending ??= setTimeout(() => {
            pending = undefined
            refreshStatus()
          }, 1000)
        }
        node.addEventListener('connection:open', refreshSoon)
        node.addEventListener('connection:close', refreshSoon)
        unsubscribers.push(() => {
          node.removeEventListener('connection:open', refreshSoon)
          node.removeEventListener('connection:close', refreshSoon)
          clearTimeout(pending)
        })
      }
      refreshStatus()
    },
    async stop() {
      if (!running) return
      running = false
      clearInterval(timer)
      for (const off of unsubscribers.splice(0)) off()
      pool?.stop()
      gossip?.stop()
      await node.unhandle(SYNC_PROTOCOL)
    },
    async publishEvent(bytes) {
      await gossip?.publishEvent(bytes)
    },
    async publishChange(bytes) {
      await gossip?.publishChange(bytes)
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
    syncNow,
    syncWith,
    missingCount: (author) => missing.count(author),
    onMissingChange: (listener) => missing.subscribe(listener),
    addRelay: (addr) => pool?.addRelay(addr) ?? false,
    status,
    get counters() {
      return { ...(gossip?.counters ?? { accepted: 0, rejected: 0, ignored: 0 }), ...extra }
    },
  }
}

/** The sink refused the one change it was given as not applicable yet (E_BAD_CHANGE). */
function isMissingDependencies(results: unknown): boolean {
  const first: unknown = Array.isArray(results) ? results[0] : undefined
  return typeof first === 'object' && first !== null && (first as { code?: unknown }).code === 'E_BAD_CHANGE'
}
