// Image blobs kept by the relay (protocol/blobs.md): content-addressed bytes in the relay's own
// SQLite file, counted per uploader against a quota set by standing (archive-standing.ts) and
// against a relay-wide cap, and deleted once no stored event names them. Which events name which
// blob is recorded by the archive (markReferenced when it stores a post with images,
// deleteForAuthor when a retraction purges it); a blob nobody names a day after its upload was
// uploaded for a post that never came, and the hourly gc() drops it.
import type { DatabaseSync } from 'node:sqlite'

/** Bytes of blobs an author without standing here may have stored (20 MiB). */
export const BLOB_QUOTA_NEW_BYTES = 20 * 1024 * 1024
/** Bytes of blobs an author with standing (seed, established, vouched) may have stored (500 MiB). */
export const BLOB_QUOTA_STANDING_BYTES = 500 * 1024 * 1024
/** A blob no stored event names is deleted this long after its upload (24 hours). */
export const BLOB_GRACE_MS = 24 * 3600_000
/** Relay-wide default (--blob-cap-mb 4096). */
export const DEFAULT_BLOB_CAP_BYTES = 4096 * 1024 * 1024

export interface BlobLimits {
  readonly newAuthorBytes: number
  readonly standingAuthorBytes: number
  /** all blobs of all authors (--blob-cap-mb) */
  readonly capBytes: number
  readonly graceMs: number
}

export const DEFAULT_BLOB_LIMITS: BlobLimits = {
  newAuthorBytes: BLOB_QUOTA_NEW_BYTES,
  standingAuthorBytes: BLOB_QUOTA_STANDING_BYTES,
  capBytes: DEFAULT_BLOB_CAP_BYTES,
  graceMs: BLOB_GRACE_MS,
}

/** stored: new here; held: these bytes were already here (nobody is charged twice); quota / full: refused. */
export type BlobPutResult = 'stored' | 'held' | 'quota' | 'full'

export interface BlobStats {
  readonly blobs: number
  readonly bytes: number
  readonly capBytes: number
}

export interface BlobStore {
  /** the blob's size, without reading its bytes (HEAD) */
  sizeOf(sha256: string): number | undefined
  get(sha256: string): Uint8Array | undefined
  /** stores bytes whose SHA-256 the caller checked, charging `author` (hasStanding: which quota) */
  put(sha256: string, author: string, bytes: Uint8Array, hasStanding: boolean): BlobPutResult
  /** an event of `author` that names these blobs was stored: they are kept */
  markReferenced(author: string, sha256s: readonly string[]): void
  /** `author`'s event naming these was retracted; a blob nobody else names is deleted. Returns how many were. */
  deleteForAuthor(author: string, sha256s: readonly string[]): number
  /** deletes blobs no event names, uploaded more than graceMs ago; returns how many */
  gc(): number
  /** bytes of blobs `author` uploaded that are held here */
  usage(author: string): number
  stats(): BlobStats
}

const SHA256_HEX = /^[0-9a-f]{64}$/

/** found: served, `size` bytes; address: not 64 lowercase hex digits; absent: not held (never uploaded, or deleted with its post) */
export type BlobLookup = { readonly found: true; readonly size: number } | { readonly found: false; readonly reason: 'address' | 'absent' }

/**
 * Does the relay serve this blob? The one decision of both ways a blob goes out, HTTP GET/HEAD
 * (blob-http.ts) and /wildgrass/blob/1.0.0 (blob-stream.ts): whatever one serves, the other does.
 */
export function lookupBlob(store: Pick<BlobStore, 'sizeOf'>, sha256: string): BlobLookup {
  if (!SHA256_HEX.test(sha256)) return { found: false, reason: 'address' }
  const size = store.sizeOf(sha256)
  return size === undefined ? { found: false, reason: 'absent' } : { found: true, size }
}

export function createBlobStore(db: DatabaseSync, limits: BlobLimits = DEFAULT_BLOB_LIMITS, now: () => number = Date.now): BlobStore {
  db.exec(`CREATE TABLE IF NOT EXISTS relay_blobs (
    sha256 TEXT PRIMARY KEY NOT NULL,
    author TEXT NOT NULL,
    size INTEGER NOT NULL,
    created INTEGER NOT NULL,
    bytes BLOB NOT NULL
  ) WITHOUT ROWID`)
  db.exec('CREATE INDEX IF NOT EXISTS relay_blobs_author ON relay_blobs (author)')
  db.exec('CREATE INDEX IF NOT EXISTS relay_blobs_created ON relay_blobs (created)')
  // one row per (blob, author of a stored event naming it): a post may name an image before the
  // blob is uploaded here (or name one another author uploaded), so refs do not need the blob
  db.exec('CREATE TABLE IF NOT EXISTS relay_blob_refs (sha256 TEXT NOT NULL, author TEXT NOT NULL, PRIMARY KEY (sha256, author)) WITHOUT ROWID')
  const sizeOf = db.prepare('SELECT size FROM relay_blobs WHERE sha256 = ?')
  const bytesOf = db.prepare('SELECT bytes FROM relay_blobs WHERE sha256 = ?')
  const insert = db.prepare('INSERT INTO relay_blobs (sha256, author, size, created, bytes) VALUES (?, ?, ?, ?, ?)')
  const usageOf = db.prepare('SELECT COALESCE(SUM(size), 0) AS n FROM relay_blobs WHERE author = ?')
  const addRef = db.prepare('INSERT OR IGNORE INTO relay_blob_refs (sha256, author) VALUES (?, ?)')
  const dropRef = db.prepare('DELETE FROM relay_blob_refs WHERE sha256 = ? AND author = ?')
  const anyRef = db.prepare('SELECT 1 AS x FROM relay_blob_refs WHERE sha256 = ? LIMIT 1')
  const rowOf = db.prepare('SELECT author, size, created FROM relay_blobs WHERE sha256 = ?')
  const remove = db.prepare('DELETE FROM relay_blobs WHERE sha256 = ?')
  const unnamed = db.prepare(
    'SELECT sha256, size FROM relay_blobs b WHERE created <= ? AND NOT EXISTS (SELECT 1 FROM relay_blob_refs r WHERE r.sha256 = b.sha256)',
  )
  const totals = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM relay_blobs').get() as { n: number; bytes: number }
  // kept in memory after one aggregate at start (the table is the truth after a restart)
  let count = Number(totals.n)
  let bytes = Number(totals.bytes)

  /** Deletes one blob and forgets its bytes. */
  function drop(sha256: string, size: number): void {
    remove.run(sha256)
    count--
    bytes -= size
  }

  /** All or nothing; inside a caller's transaction (the archive's), part of that one. */
  function transaction<T>(fn: () => T): T {
    if (db.isTransaction) return fn()
    db.exec('BEGIN IMMEDIATE')
    try {
      const out = fn()
      db.exec('COMMIT')
      return out
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
  }

  return {
    sizeOf: (sha256) => (sizeOf.get(sha256) as { size: number } | undefined)?.size,
    get(sha256) {
      const row = bytesOf.get(sha256) as { bytes: Uint8Array } | undefined
      return row?.bytes
    },
    put(sha256, author, blob, hasStanding) {
      if (sizeOf.get(sha256) !== undefined) return 'held'
      if (bytes + blob.length > limits.capBytes) return 'full'
      const quota = hasStanding ? limits.standingAuthorBytes : limits.newAuthorBytes
      if (Number((usageOf.get(author) as { n: number }).n) + blob.length > quota) return 'quota'
      insert.run(sha256, author, blob.length, now(), blob)
      count++
      bytes += blob.length
      return 'stored'
    },
    markReferenced(author, sha256s) {
      if (sha256s.length === 0) return
      transaction(() => {
        for (const s of sha256s) addRef.run(s, author)
      })
    },
    deleteForAuthor(author, sha256s) {
      if (sha256s.length === 0) return 0
      const t = now()
      return transaction(() => {
        let deleted = 0
        for (const s of sha256s) {
          dropRef.run(s, author)
          if (anyRef.get(s) !== undefined) continue
          const row = rowOf.get(s) as { author: string; size: number; created: number } | undefined
          if (row === undefined) continue
          // another uploader's blob in its grace period may still be posted by them: gc() decides later
          if (row.author !== author && row.created > t - limits.graceMs) continue
          drop(s, Number(row.size))
          deleted++
        }
        return deleted
      })
    },
    gc() {
      return transaction(() => {
        const rows = unnamed.all(now() - limits.graceMs) as Array<{ sha256: string; size: number }>
        for (const r of rows) drop(r.sha256, Number(r.size))
        return rows.length
      })
    },
    usage: (author) => Number((usageOf.get(author) as { n: number }).n),
    stats: () => ({ blobs: count, bytes, capBytes: limits.capBytes }),
  }
}
