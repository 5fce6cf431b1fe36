// What a relay serves subscriptions from (protocol/subscribe.md §Catch-up): every event the
// archive stores gets a sequence number and index rows by what a filter can ask — its author's
// bucket, the keys it concerns (mentions; the authors of the events it answers, quotes, reacts
// to or reposts), its thread — so a phone's catch-up reads a few index ranges, not the log.
//
// Tables, beside the archive's in the same SQLite file:
// - relay_sub_events (seq, k): arrival order of the events stored, k the event's key in the
//   store's events table (so a page joins it without converting ids); the rows of a purged
//   event stay, and find no event;
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
import { encodeKey, STORAGE_KEY_FUNCTION } from './sqlite-storage.ts'

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

export function createSubscriptionIndex(init: { db: DatabaseSync; store: Pick<Store, 'subscribe'> }): RelaySubscriptionIndex {
  const { db, store } = init
  db.exec(`
    CREATE TABLE IF NOT EXISTS relay_sub_events (seq INTEGER PRIMARY KEY, k BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS relay_sub_keys (k TEXT NOT NULL, seq INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (k, seq)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS relay_sub_authors (author TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
  `)
  migrateIdLog(db)
  const insertLog = db.prepare('INSERT INTO relay_sub_events (seq, k) VALUES (?, ?)')
  const insertKey = db.prepare('INSERT OR IGNORE INTO relay_sub_keys (k, seq, b) VALUES (?, ?, ?)')
  const insertAuthor = db.prepare('INSERT OR IGNORE INTO relay_sub_authors (author) VALUES (?)')
  // A page is the first `limit` events after the cursor over the filter's keys (a JSON array).
  // It stops at the cutoff, the least of the keys' `limit`-th rows past the cursor, so that one
  // page reads at most `limit` rows of a key however long the phone was away. The merge, the
  // bucket test and the join with the events run inside SQLite: a page costs three statements,
  // not one per key and per event.
  const cutoffOf = db.prepare(`
    SELECT min(s) AS s FROM (SELECT (SELECT seq FROM relay_sub_keys WHERE k = j.value AND seq > ?2 ORDER BY seq LIMIT 1 OFFSET ?3 - 1) AS s FROM json_each(?1) j)`)
  // rows of author keys must also pass the finer bucket test: `b >> shift` among the wanted (a JSON array; shift 32 = no test)
  const pageOf = db.prepare(`
    SELECT DISTINCT seq FROM relay_sub_keys
    WHERE k IN (SELECT value FROM json_each(?1)) AND seq > ?2 AND seq <= ?3
      AND (?4 = 32 OR substr(k, 1, 1) <> 'a' OR (b >> ?4) IN (SELECT value FROM json_each(?5)))
    ORDER BY seq LIMIT ?6`)
  // a page's events, in the order of its seqs (a JSON array); a purged one is not found
  const eventsAt = db.prepare(`
    SELECT e.v AS v FROM json_each(?) j
      JOIN relay_sub_events l ON l.seq = j.value
      JOIN s_events e ON e.k = l.k
    ORDER BY j.key`)
  // the store's refs row of an event names its author (protocol/feed-document.md §5)
  const refsOf = db.prepare('SELECT v FROM "s_refs" WHERE k = ?')
  let seq = Number((db.prepare('SELECT coalesce(max(seq), 0) AS s FROM relay_sub_events').get() as { s: number }).s)
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
        insertLog.run(seq, encodeKey(e.id))
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
    }
  })

  /** The index keys a filter reads, and the bucket test its author keys' rows must pass (shift 32: none). */
  const plan = (f: Filter): { keys: string[]; shift: number; wanted: readonly number[] } => {
    const keys = new Set<string>()
    if (f.bits >= INDEX_BITS) {
      for (const bucket of f.buckets) keys.add(`a${bucket >>> (f.bits - INDEX_BITS)}`)
    } else {
      const span = 2 ** (INDEX_BITS - f.bits)
      for (const bucket of f.buckets) for (let i = 0; i < span; i++) keys.add(`a${bucket * span + i}`)
    }
    for (const a of f.about) keys.add(`p${a}`)
    for (const t of f.threads) keys.add(`e${t}`)
    if (keys.size > MAX_KEYS_PER_QUERY) fail('E_OVERSIZE', 'subscribe: filter too wide')
    const shift = f.bits > INDEX_BITS ? 32 - f.bits : 32
    return { keys: [...keys], shift, wanted: shift === 32 ? [] : f.buckets }
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
      const { keys, shift, wanted } = plan(filter)
      const keyList = JSON.stringify(keys)
      const least = (cutoffOf.get(keyList, after, limit) as { s: number | null }).s
      const cutoff = least === null ? top : Math.min(top, Number(least))
      const seqs = (pageOf.all(keyList, after, cutoff, shift, JSON.stringify(wanted), limit + 1) as Array<{ seq: number }>).map((r) => Number(r.seq))
      const page = seqs.slice(0, limit)
      const more = seqs.length > limit || cutoff < top
      const events = page.length === 0 ? [] : (eventsAt.all(JSON.stringify(page)) as Array<{ v: Uint8Array }>).map((r) => r.v)
      const end = seqs.length > limit ? page[page.length - 1]! : cutoff
      return { events, cursor: String(end), more }
    },
    close: unsubscribe,
  }
}

/** An index written before relay_sub_events kept the events' ids as text: their keys, once, at start. */
function migrateIdLog(db: DatabaseSync): void {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relay_sub_log'").get() === undefined) return
  db.exec('BEGIN IMMEDIATE')
  try {
    db.exec(`INSERT OR IGNORE INTO relay_sub_events (seq, k) SELECT seq, ${STORAGE_KEY_FUNCTION}(id) FROM relay_sub_log`)
    db.exec('DROP TABLE relay_sub_log')
    db.exec('COMMIT')
  } catch (err) {
    db.exec('ROLLBACK')
    throw err
  }
}
