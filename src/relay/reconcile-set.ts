// The archive as a set to reconcile (protocol/reconcile.md §The set): one row per event stored
// (its ts, its id) and per signed change envelope stored (ts 0, SHA-256 of the envelope), in a
// table of its own beside the archive's, kept by listening to the store. An event a retraction
// purged stays in the set: the relay has known it, so a peer that still holds it is not asked
// for it again (its retraction travels as a change, which is in the set).
//
// A reconciliation reads a snapshot (set-snapshot.ts: sorted arrays, prefix sums), built from
// the table in one ordered scan and reused while it is fresh: sessions with several peers, and
// every round of a session, share it.
import type { DatabaseSync } from 'node:sqlite'
import { sha256 } from '@noble/hashes/sha2.js'
import { fromHex, toHex } from '../core/index.ts'
import type { AuthorId, EventId } from '../core/index.ts'
import type { ReconcileSource } from '../net/reconcile/session.ts'
import { createSortedSetBuilder } from '../net/reconcile/set-snapshot.ts'
import type { SetSnapshot } from '../net/reconcile/set-snapshot.ts'
import { decodeEvent } from '../core/event-decode.ts'
import type { Storage } from '../store/storage.ts'
import type { Store } from '../store/types.ts'

export interface ReconcileSetInit {
  readonly db: DatabaseSync
  readonly store: Pick<Store, 'subscribe' | 'getEvents' | 'getChangesSince'>
  /** a snapshot is rebuilt when older than this and the set changed since (default 10 s) */
  readonly maxSnapshotAgeMs?: number
  readonly now?: () => number
}

export interface RelayReconcileSet extends ReconcileSource {
  /** items in the set */
  size(): number
  /**
   * Fills the set from what the archive already holds, for an archive from before the set
   * existed (runs once: nothing is done when the set has items). Pages through the store's
   * tables; returns how many items it added.
   */
  backfill(storage: Pick<Storage, 'range'>): Promise<number>
  close(): void
}

const BACKFILL_PAGE = 2000

export function createReconcileSet(init: ReconcileSetInit): RelayReconcileSet {
  const { db, store } = init
  const now = init.now ?? Date.now
  db.exec(`
    CREATE TABLE IF NOT EXISTS relay_set (
      ts INTEGER NOT NULL,
      id BLOB NOT NULL,
      author TEXT,
      PRIMARY KEY (ts, id)
    ) WITHOUT ROWID;
  `)
  const insert = db.prepare('INSERT OR IGNORE INTO relay_set (ts, id, author) VALUES (?, ?, ?)')
  const scan = db.prepare('SELECT ts, id FROM relay_set ORDER BY ts, id')
  const changeAuthor = db.prepare('SELECT author FROM relay_set WHERE ts = 0 AND id = ?')
  let count = Number((db.prepare('SELECT count(*) AS n FROM relay_set').get() as { n: number }).n)
  let snapshot: { set: SetSnapshot; at: number; count: number } | undefined

  const add = (rows: ReadonlyArray<[ts: number, id: Uint8Array, author: string | null]>): void => {
    if (rows.length === 0) return
    db.exec('BEGIN IMMEDIATE')
    try {
      for (const [ts, id, author] of rows) count += Number(insert.run(ts, id, author).changes)
      db.exec('COMMIT')
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
  }
  const unsubscribe = store.subscribe((change) => {
    if (change.type === 'events') add(change.events.map((e) => [e.ts, fromHex(e.id), null]))
    else if (change.type === 'changes') add(change.envelopes.map((bytes) => [0, sha256(bytes), change.author]))
  })

  return {
    size: () => count,
    async snapshot() {
      const fresh = snapshot !== undefined && (snapshot.count === count || now() - snapshot.at < (init.maxSnapshotAgeMs ?? 10_000))
      if (fresh) return snapshot!.set
      const builder = createSortedSetBuilder(count)
      for (const row of scan.iterate() as Iterable<{ ts: number; id: Uint8Array }>) builder.push(Number(row.ts), row.id)
      snapshot = { set: builder.finish(), at: now(), count }
      return snapshot.set
    },
    async getItems(ids) {
      // an id is an event's or a change's: events by id from the store; changes by the author
      // the set names, served in the order the store gives them (dependencies first)
      const byAuthor = new Map<string, Set<string>>()
      const eventIds: EventId[] = []
      for (const id of ids) {
        const row = changeAuthor.get(id) as { author: string | null } | undefined
        if (row?.author != null) {
          const wanted = byAuthor.get(row.author) ?? new Set<string>()
          wanted.add(toHex(id))
          byAuthor.set(row.author, wanted)
        } else eventIds.push(toHex(id) as EventId)
      }
      const events = eventIds.length > 0 ? await store.getEvents(eventIds) : []
      const changes: Uint8Array[] = []
      for (const [author, wanted] of byAuthor) {
        for (const envelope of await store.getChangesSince(author as AuthorId, [])) {
          if (wanted.has(toHex(sha256(envelope)))) changes.push(envelope)
        }
      }
      return { events, changes }
    },
    async backfill(storage) {
      if (count > 0) return 0
      const before = count
      for (let after: string | undefined; ;) {
        const page = await storage.range('events', { ...(after === undefined ? {} : { after }), limit: BACKFILL_PAGE })
        if (page.length === 0) break
        add(
          page.flatMap((entry) => {
            try {
              return [[decodeEvent(entry.value, { now: Number.MAX_SAFE_INTEGER }).ts, fromHex(entry.key), null] as [number, Uint8Array, null]]
            } catch {
              return [] // not readable as an event: nothing a peer could be served either
            }
          }),
        )
        after = page[page.length - 1]!.key
      }
      for (let after: string | undefined; ;) {
        const page = await storage.range('changes', { ...(after === undefined ? {} : { after }), limit: BACKFILL_PAGE })
        if (page.length === 0) break
        add(page.map((entry) => [0, sha256(entry.value), entry.key.slice(0, entry.key.lastIndexOf('|'))]))
        after = page[page.length - 1]!.key
      }
      return count - before
    },
    close: unsubscribe,
  }
}
