// The relay's own tables beside the store's, in the same SQLite file:
// - relay_log: every event the archive stored, in arrival order (seq), with its author,
//   timestamp and size. Store-and-forward pages through it by seq; quotas and retention
//   read it per author.
// - relay_change_bytes: bytes of signed feed-document changes stored per author (quota).
// - relay_pruned: per author, events the retention pass took out of relay_log. The store still
//   holds their bytes (it has no purge by age), so they keep counting against the quota:
//   otherwise an author could post backdated events, wait for the pass, and post again.
// Quotas and retention are documented in config.ts (RelayQuotas) and the relay README section.
import type { DatabaseSync } from 'node:sqlite'

export interface LogRow {
  readonly seq: number
  readonly id: string
}

export interface ArchiveLog {
  append(rows: ReadonlyArray<{ id: string; author: string; ts: number; size: number }>): void
  /** returns the bytes the removed rows counted (the archive's running total drops by it) */
  remove(ids: readonly string[]): number
  addChangeBytes(author: string, bytes: number): void
  after(seq: number, limit: number): LogRow[]
  /** is this event in the arrival log (stored here and not pruned)? */
  has(id: string): boolean
  usage(author: string): { events: number; bytes: number }
  pruneOlderThan(ts: number): number
  stats(): { events: number; authors: number; bytes: number }
}

export function createArchiveLog(db: DatabaseSync): ArchiveLog {
  db.exec(`
    CREATE TABLE IF NOT EXISTS relay_log (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      author TEXT NOT NULL,
      ts INTEGER NOT NULL,
      size INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS relay_log_author ON relay_log (author);
    CREATE INDEX IF NOT EXISTS relay_log_ts ON relay_log (ts);
    CREATE TABLE IF NOT EXISTS relay_change_bytes (author TEXT PRIMARY KEY NOT NULL, bytes INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS relay_pruned (author TEXT PRIMARY KEY NOT NULL, events INTEGER NOT NULL, bytes INTEGER NOT NULL) WITHOUT ROWID;
  `)
  const insert = db.prepare('INSERT OR IGNORE INTO relay_log (id, author, ts, size) VALUES (?, ?, ?, ?)')
  const del = db.prepare('DELETE FROM relay_log WHERE id = ? RETURNING size')
  const addBytes = db.prepare('INSERT INTO relay_change_bytes (author, bytes) VALUES (?, ?) ON CONFLICT(author) DO UPDATE SET bytes = bytes + excluded.bytes')
  const exists = db.prepare('SELECT 1 AS x FROM relay_log WHERE id = ?')
  const page = db.prepare('SELECT seq, id FROM relay_log WHERE seq > ? ORDER BY seq LIMIT ?')
  const eventUsage = db.prepare('SELECT count(*) AS n, coalesce(sum(size), 0) AS b FROM relay_log WHERE author = ?')
  const changeUsage = db.prepare('SELECT bytes FROM relay_change_bytes WHERE author = ?')
  const prunedUsage = db.prepare('SELECT events, bytes FROM relay_pruned WHERE author = ?')
  const keepPruned = db.prepare(
    'INSERT INTO relay_pruned (author, events, bytes) SELECT author, count(*), sum(size) FROM relay_log WHERE ts < ? GROUP BY author ' +
      'ON CONFLICT(author) DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes',
  )
  const prune = db.prepare('DELETE FROM relay_log WHERE ts < ?')
  const prunedTotals = db.prepare('SELECT coalesce(sum(events), 0) AS n, coalesce(sum(bytes), 0) AS b FROM relay_pruned')
  const totals = db.prepare('SELECT count(*) AS n, count(DISTINCT author) AS a, coalesce(sum(size), 0) AS b FROM relay_log')
  const changeTotals = db.prepare('SELECT coalesce(sum(bytes), 0) AS b FROM relay_change_bytes')

  function inTransaction(fn: () => void): void {
    db.exec('BEGIN IMMEDIATE')
    try {
      fn()
      db.exec('COMMIT')
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
  }

  return {
    append(rows) {
      if (rows.length === 0) return
      inTransaction(() => {
        for (const r of rows) insert.run(r.id, r.author, r.ts, r.size)
      })
    },
    remove(ids) {
      if (ids.length === 0) return 0
      let bytes = 0
      inTransaction(() => {
        for (const id of ids) for (const row of del.all(id) as Array<{ size: number }>) bytes += row.size
      })
      return bytes
    },
    addChangeBytes(author, bytes) {
      addBytes.run(author, bytes)
    },
    after(seq, limit) {
      return page.all(seq, limit) as unknown as LogRow[]
    },
    has(id) {
      return exists.get(id) !== undefined
    },
    usage(author) {
      const e = eventUsage.get(author) as { n: number; b: number }
      const c = changeUsage.get(author) as { bytes: number } | undefined
      const p = prunedUsage.get(author) as { events: number; bytes: number } | undefined
      return { events: e.n + (p?.events ?? 0), bytes: e.b + (c?.bytes ?? 0) + (p?.bytes ?? 0) }
    },
    pruneOlderThan(ts) {
      let n = 0
      inTransaction(() => {
        keepPruned.run(ts)
        n = Number(prune.run(ts).changes)
      })
      return n
    },
    stats() {
      const t = totals.get() as { n: number; a: number; b: number }
      const c = changeTotals.get() as { b: number }
      const p = prunedTotals.get() as { n: number; b: number }
      return { events: t.n + p.n, authors: t.a, bytes: t.b + c.b + p.b }
    },
  }
}
