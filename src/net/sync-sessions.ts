// The client side of catch-up sync as the network runs it (protocol/sync.md §Flow): one session
// per peer at a time, on a stream of its own; the store-and-forward cursor kept per peer (and
// handed to whoever persists it); syncNow walking relays first, then direct peers.
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { AuthorId, EventId } from '../core/index.ts'
import type { AuthorsOfInterest, SyncSink, SyncSource } from './sync-source.ts'
import { runFetchEvents, runSyncSession } from './sync/client.ts'
import type { SyncReport } from './sync/client.ts'
import { SYNC_PROTOCOL } from './sync/limits.ts'
import type { MissingTracker } from './sync/missing-tracker.ts'

export interface SyncSessionsComponents {
  node: Libp2p
  source: SyncSource
  sink: SyncSink
  missing: MissingTracker
}

export interface SyncSessionsInit {
  authors?: AuthorsOfInterest
  /** pages of store-and-forward events (200 each) to fetch per sync (default 10; 0 = off) */
  recentPages?: number
  syncCursors?: { initial?: Readonly<Record<string, string>>; save?(peer: string, cursor: string): void }
  /** the peers syncNow visits, relays first */
  peersToSync(): { relays: readonly string[]; peers: readonly string[] }
  /** a session that failed (counted by the network) */
  onError(): void
}

export interface SyncOptions {
  authors?: readonly AuthorId[]
  recent?: boolean
  /** fetch the events the authors' signed indexes name (default true); false: their documents only */
  events?: boolean
}

export interface SyncSessions {
  syncWith(peer: PeerId, options?: SyncOptions): Promise<SyncReport>
  syncNow(options?: { authors?: readonly AuthorId[] }): Promise<SyncReport[]>
  /** syncWith for the open, unlimited connection to `id`, if there is one; failures counted */
  syncPeer(id: string, options?: SyncOptions): void
  /** events by id from the connected relays, then direct peers, until each was found; the ids stored */
  fetchEvents(ids: readonly EventId[]): Promise<EventId[]>
}

export function createSyncSessions(components: SyncSessionsComponents, init: SyncSessionsInit): SyncSessions {
  const { node, source, sink, missing } = components
  const cursors = new Map<string, string | undefined>(Object.entries(init.syncCursors?.initial ?? {}))
  const inFlight = new Map<string, Promise<SyncReport>>()

  const syncWith = (peer: PeerId, options: SyncOptions = {}): Promise<SyncReport> => {
    const key = peer.toString()
    const current = inFlight.get(key)
    // a plain request joins the session in flight; one with its own options runs after it
    if (current !== undefined && options.authors === undefined && options.recent === undefined && options.events === undefined) return current
    const run = (async () => {
      if (current !== undefined) await current.catch(() => undefined)
      const authors = options.authors ?? (await init.authors?.()) ?? []
      const pages = init.recentPages ?? 10
      const stream = await openSyncStream(node, peer)
      const report = await runSyncSession(
        stream,
        { source, sink, missing },
        {
          authors,
          ...(options.events === false ? { events: false } : {}),
          ...(options.recent !== false && pages > 0 ? { recent: { after: cursors.get(key), maxPages: pages } } : {}),
        },
      )
      if (report.cursor !== undefined && report.cursor !== cursors.get(key)) init.syncCursors?.save?.(key, report.cursor)
      cursors.set(key, report.cursor)
      return report
    })().finally(() => {
      if (inFlight.get(key) === run) inFlight.delete(key)
    })
    inFlight.set(key, run)
    return run
  }

  const direct = (id: string) => node.getConnections().find((c) => c.remotePeer.toString() === id && c.limits === undefined)

  return {
    syncWith,
    async syncNow(options = {}) {
      const only = options.authors === undefined ? {} : { authors: options.authors, recent: false }
      const { relays, peers } = init.peersToSync()
      const reports: SyncReport[] = []
      // relays first (they hold the archive), then peers: a peer may serve what relays omitted
      for (const id of [...relays, ...peers.filter((p) => !relays.includes(p))]) {
        const conn = direct(id)
        if (conn === undefined) continue
        try {
          reports.push(await syncWith(conn.remotePeer, only))
        } catch {
          init.onError()
        }
      }
      return reports
    },
    async fetchEvents(ids) {
      const missing = new Set<string>(await sink.missingEventIds([...ids]))
      const found: EventId[] = []
      const { relays, peers } = init.peersToSync()
      for (const id of [...relays, ...peers.filter((p) => !relays.includes(p))]) {
        const conn = direct(id)
        if (missing.size === 0) break
        if (conn === undefined) continue
        try {
          const got = await runFetchEvents(await openSyncStream(node, conn.remotePeer), sink, [...missing] as EventId[])
          for (const e of got) missing.delete(e)
          found.push(...got)
        } catch {
          init.onError()
        }
      }
      return found
    },
    syncPeer(id, options) {
      const conn = direct(id)
      if (conn !== undefined) syncWith(conn.remotePeer, options).catch(() => init.onError())
    },
  }
}

/**
 * Opens a sync stream on the newest open, unlimited connection to the peer (sync does not run
 * over relayed, limited connections). A connection whose far end died can still look open
 * for a while; one that cannot carry a new stream is dead: abort it and try the next, or dial.
 */
async function openSyncStream(node: Libp2p, peer: PeerId): Promise<Stream> {
  const usable = node
    .getConnections(peer)
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
