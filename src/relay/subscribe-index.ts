// What a relay serves subscriptions from (protocol/subscribe.md §Catch-up): every event the
// archive stores gets a sequence number and index rows by what a filter can ask — its author's
// bucket, the keys it concerns (mentions; the authors of the events it answers, quotes, reacts
// to or reposts), its thread — so a phone's catch-up reads a few index ranges, not the log.
//
// Tables, beside the archive's in the same SQLite file:
// - relay_sub_log (seq, id): arrival order of the events stored;
// - relay_sub_keys (k, seq, b): `a<bucket>` (the author's bucket at INDEX_BITS), `p<did:key>`,
//   `e<root id>`; b is the author's full 32-bit bucket, to answer filters finer than the index.
// Rows are written in the store's own change notification, in one transaction, so a cursor
// (the highest seq) always covers every event offered live up to it.
import type { DatabaseSync } from 'node:sqlite'
import type { AuthorId, EventId, SignedEvent } from '../core/index.ts'
import { fail } from '../core/errors.ts'
import { bucketAt, cachedBucketOf, referencedIds, threadOf } from '../net/subscribe/filter.ts'
import type { Filter } from '../net/subscribe/filter.ts'
import type { SubscriptionSource } from '../net/subscribe/server.ts'
import type { Store } from '../store/types.ts'
import { encodeKey } from './sqlite-storage.ts'

/** Bucket width of the author index: 4,096 keys. A filter at fewer bits reads 2^(12−bits) keys per bucket. */
export const INDEX_BITS = 12
/** index keys one catch-up may read at most (the whole author index is 4,096) */
const MAX_KEYS_PER_QUERY = 4096 + 64 + 4

export interface RelaySubscriptionIndex extends SubscriptionSource {
  mark(): string
  authorCount(): number
  catchUp(filter: Filter, since: string | undefined, limit: number): Promise<{ events: Uint8Array[]; cursor: string | undefined; more: boolean }>
  authorOf(id: EventId): AuthorId | undefined
  /** called with every event stored, in order, after its rows are written (the live offer) */
  onStored(listener: (events: readonly SignedEvent[]) => void): void
  onFollowed(listener: (author: AuthorId, followed: readonly AuthorId[], envelopes: readonly Uint8Array[]) => void): void
  close(): void
}

export function createSubscriptionIndex(init: { db: DatabaseSync; store: Pick<Store, 'subscribe' | 'getEvents'> }): RelaySubscriptionIndex {
  const { db, store } = init
  db.exec(`
    CREATE TABLE IF NOT EXISTS relay_sub_log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS relay_sub_keys (k TEXT NOT NULL, seq INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (k, seq)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS relay_sub_authors (author TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
  `)
  const insertLog = db.prepare('INSERT INTO relay_sub_log (seq, id) VALUES (?, ?)')
  const insertKey = db.prepare('INSERT OR IGNORE INTO relay_sub_keys (k, seq, b) VALUES (?, ?, ?)')
  const insertAuthor = db.prepare('INSERT OR IGNORE INTO relay_sub_authors (author) VALUES (?)')
  const deleteLog = db.prepare('DELETE FROM relay_sub_log WHERE id = ?')
  const rowsAfter = db.prepare('SELECT seq, b FROM relay_sub_keys WHERE k = ? AND seq > ? ORDER BY seq LIMIT ?')
  const idAt = db.prepare('SELECT id FROM relay_sub_log WHERE seq = ?')
  // the store's refs row of an event names its author (protocol/feed-document.md §5)
  const refsOf = db.prepare('SELECT v FROM "s_refs" WHERE k = ?')
  let seq = Number((db.prepare('SELECT coalesce(max(seq), 0) AS s FROM relay_sub_log').get() as { s: number }).s)
  let authors = Number((db.prepare('SELECT count(*) AS n FROM relay_sub_authors').get() as { n: number }).n)
  const listeners: Array<(events: readonly SignedEvent[]) => void> = []
  const followListeners: Array<(author: AuthorId, followed: readonly AuthorId[], envelopes: readonly Uint8Array[]) => void> = []

  const authorOf = (id: EventId): AuthorId | undefined => {
    const row = refsOf.get(encodeKey(id)) as { v: Uint8Array } | undefined
    if (row === undefined) return undefined
    try {
      return (JSON.parse(new TextDecoder().decode(row.v)) as { a?: AuthorId }).a
    } catch {
      return undefined
    }
  }
  const keysOf = (e: SignedEvent): string[] => {
    const keys = [`a${bucketAt(cachedBucketOf(e.author), INDEX_BITS)}`]
    const about = new Set<string>(e.kind === 'post' ? (e.body.mentions ?? []) : [])
    for (const target of referencedIds(e)) {
      const author = authorOf(target)
      if (author !== undefined && author !== e.author) about.add(author)
    }
    for (const a of about) keys.push(`p${a}`)
    const root = threadOf(e)
    if (root !== undefined) keys.push(`e${root}`)
    return keys
  }
  const index = (events: readonly SignedEvent[]): void => {
    db.exec('BEGIN IMMEDIATE')
    try {
      for (const e of events) {
        seq++
        insertLog.run(seq, e.id)
        authors += Number(insertAuthor.run(e.author).changes)
        const b = cachedBucketOf(e.author)
        for (const k of keysOf(e)) insertKey.run(k, seq, b)
      }
      db.exec('COMMIT')
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
  }
  const unsubscribe = store.subscribe((change) => {
    if (change.type === 'events' && change.events.length > 0) {
      index(change.events)
      for (const l of listeners) l(change.events)
    } else if (change.type === 'changes' && (change.followed?.length ?? 0) > 0) {
      for (const l of followListeners) l(change.author, change.followed!, change.envelopes)
    } else if (change.type === 'purged') {
      for (const id of change.ids) deleteLog.run(id)
    }
  })

  /** The index keys a filter reads, each with the test its rows' full bucket must pass. */
  const plan = (f: Filter): Array<{ k: string; test?: (b: number) => boolean }> => {
    const keys = new Map<string, { k: string; test?: (b: number) => boolean }>()
    if (f.bits >= INDEX_BITS) {
      const wanted = new Set(f.buckets)
      const test = (b: number) => wanted.has(bucketAt(b, f.bits))
      for (const bucket of f.buckets) {
        const k = `a${bucket >>> (f.bits - INDEX_BITS)}`
        keys.set(k, { k, ...(f.bits > INDEX_BITS ? { test } : {}) })
      }
    } else {
      const span = 2 ** (INDEX_BITS - f.bits)
      for (const bucket of f.buckets) for (let i = 0; i < span; i++) keys.set(`a${bucket * span + i}`, { k: `a${bucket * span + i}` })
    }
    for (const a of f.about) keys.set(`p${a}`, { k: `p${a}` })
    for (const t of f.threads) keys.set(`e${t}`, { k: `e${t}` })
    if (keys.size > MAX_KEYS_PER_QUERY) fail('E_OVERSIZE', 'subscribe: filter too wide')
    return [...keys.values()]
  }

  return {
    mark: () => String(seq),
    authorCount: () => authors,
    authorOf,
    onStored(listener) {
      listeners.push(listener)
    },
    onFollowed(listener) {
      followListeners.push(listener)
    },
    async catchUp(filter, since, limit) {
      let after = 0
      if (since !== undefined) {
        if (!/^\d{1,15}$/.test(since)) fail('E_MALFORMED', 'subscribe cursor: not one of ours')
        after = Number(since)
      }
      const top = seq
      // each key's next `limit` rows after the cursor; the first `limit` of their union is the page
      // a key that gave `limit` rows may have more: the page cannot pass its last one
      const found = new Set<number>()
      let cutoff = top
      for (const { k, test } of plan(filter)) {
        const rows = rowsAfter.all(k, after, limit) as Array<{ seq: number; b: number }>
        if (rows.length === limit) cutoff = Math.min(cutoff, Number(rows[rows.length - 1]!.seq))
        for (const row of rows) if (test === undefined || test(Number(row.b) >>> 0)) found.add(Number(row.seq))
      }
      const sorted = [...found].filter((s) => s <= cutoff).sort((a, b) => a - b)
      const page = sorted.slice(0, limit)
      const more = sorted.length > limit || cutoff < top
      const ids = page.flatMap((s) => {
        const row = idAt.get(s) as { id: string } | undefined
        return row === undefined ? [] : [row.id as EventId]
      })
      const events = ids.length === 0 ? [] : await store.getEvents(ids)
      const end = sorted.length > limit ? page[page.length - 1]! : cutoff
      return { events, cursor: String(end), more }
    },
    close: unsubscribe,
  }
}
