// The store's Storage interface (src/store/storage.ts) on node:sqlite, so the relay's archive
// is the same store as a browser's, over a real embedded database (docs/architecture.md "The network").
//
// - One table per storage table, `(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID`.
// - Keys are stored as UTF-16BE bytes: SQLite compares BLOBs with memcmp, and memcmp over
//   big-endian code units is exactly IndexedDB's order (by UTF-16 code unit), which the
//   interface requires. Prefix scans use [prefix, successor(prefix)) on those bytes.
// - WAL journal with synchronous=NORMAL: a committed transaction survives the process being
//   killed (kill -9) — the WAL is in the OS page cache and is replayed on open; only an OS
//   crash or power loss can lose the last transactions (https://sqlite.org/wal.html).
// - write() is one IMMEDIATE transaction: all operations or none.
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { fail, isWildgrassError } from '../core/errors.ts'
import { STORAGE_TABLES, checkWriteOps, isTableName } from '../store/storage.ts'
import type { RangeQuery, Storage, StorageEntry, TableName, WriteOp, WriteOptions } from '../store/storage.ts'

export interface SqliteStorage extends Storage {
  /** The open database, for the relay's own tables (archive log, quotas); throws E_STORAGE once closed. */
  readonly db: DatabaseSync
}

export interface SqliteStorageInit {
  /** database file, or ':memory:' */
  readonly path: string
}

interface TableStatements {
  readonly get: StatementSync
  readonly put: StatementSync
  readonly del: StatementSync
}

export function createSqliteStorage(init: SqliteStorageInit): SqliteStorage {
  let db: DatabaseSync
  try {
    db = new DatabaseSync(init.path, { timeout: 5000 })
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = NORMAL')
    // reads map the file rather than copy its pages through SQLite's 2 MB cache: an archive of
    // a million events is 2 GB, and a phone's catch-up reads thousands of them at random
    // (SQLite caps the map at 2 GB and reads the rest as before; https://sqlite.org/mmap.html)
    db.exec(`PRAGMA mmap_size = ${MMAP_BYTES}`)
    db.function(STORAGE_KEY_FUNCTION, { deterministic: true }, (key) => encodeKey(String(key)))
    for (const t of STORAGE_TABLES) db.exec(`CREATE TABLE IF NOT EXISTS "s_${t}" (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID`)
  } catch (cause) {
    return fail('E_STORAGE', `cannot open the archive database ${init.path}`, cause)
  }
  const statements = new Map<TableName, TableStatements>()
  for (const t of STORAGE_TABLES) {
    statements.set(t, {
      get: db.prepare(`SELECT v FROM "s_${t}" WHERE k = ?`),
      put: db.prepare(`INSERT INTO "s_${t}" (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`),
      del: db.prepare(`DELETE FROM "s_${t}" WHERE k = ?`),
    })
  }
  let closed = false

  function stmts(table: TableName): TableStatements {
    if (closed) fail('E_STORAGE', 'storage is closed')
    if (!isTableName(table)) fail('E_STORAGE', `unknown table ${String(table)}`)
    return statements.get(table)!
  }

  function scan(table: TableName, query: RangeQuery, withValues: boolean): Array<{ k: Uint8Array; v?: Uint8Array }> {
    stmts(table)
    const limit = query.limit ?? -1
    if (query.limit !== undefined && query.limit <= 0) return []
    const reverse = query.reverse === true
    const where: string[] = []
    const params: Uint8Array[] = []
    const prefix = encodeKey(query.prefix ?? '')
    if (prefix.length > 0) {
      where.push('k >= ?')
      params.push(prefix)
      const end = successor(prefix)
      if (end !== undefined) {
        where.push('k < ?')
        params.push(end)
      }
    }
    if (query.after !== undefined) {
      where.push(reverse ? 'k < ?' : 'k > ?')
      params.push(encodeKey(query.after))
    }
    const sql = `SELECT k${withValues ? ', v' : ''} FROM "s_${table}"${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY k ${reverse ? 'DESC' : 'ASC'} LIMIT ${Math.trunc(limit)}`
    return guard(() => db.prepare(sql).all(...params) as Array<{ k: Uint8Array; v?: Uint8Array }>)
  }

  return {
    get db() {
      if (closed) fail('E_STORAGE', 'storage is closed')
      return db
    },
    async get(table, key) {
      const s = stmts(table)
      const row = guard(() => s.get.get(encodeKey(key)) as { v: Uint8Array } | undefined)
      return row?.v
    },
    async getMany(table, keys) {
      const s = stmts(table)
      return guard(() => keys.map((k) => (s.get.get(encodeKey(k)) as { v: Uint8Array } | undefined)?.v))
    },
    async range(table, query) {
      return scan(table, query, true).map((r): StorageEntry => ({ key: decodeKey(r.k), value: r.v! }))
    },
    async rangeKeys(table, query) {
      return scan(table, query, false).map((r) => decodeKey(r.k))
    },
    async write(ops: readonly WriteOp[], options?: WriteOptions) {
      if (closed) fail('E_STORAGE', 'storage is closed')
      checkWriteOps(ops)
      if (options?.signal?.aborted) fail('E_STORAGE', 'write aborted; nothing applied')
      guard(() => db.exec('BEGIN IMMEDIATE'))
      try {
        for (const op of ops) {
          if (options?.signal?.aborted) fail('E_STORAGE', 'write aborted; nothing applied')
          const s = statements.get(op.table)!
          if (op.type === 'put') s.put.run(encodeKey(op.key), op.value)
          else s.del.run(encodeKey(op.key))
        }
        db.exec('COMMIT')
      } catch (err) {
        try {
          db.exec('ROLLBACK')
        } catch {
          // the transaction may already be gone (SQLite rolls back on some errors itself)
        }
        if (isWildgrassError(err)) throw err
        fail('E_STORAGE', 'write failed; nothing applied', err)
      }
    },
    async close() {
      if (closed) return
      closed = true
      db.close()
    },
  }
}

function guard<T>(fn: () => T): T {
  try {
    return fn()
  } catch (cause) {
    if (isWildgrassError(cause)) throw cause
    return fail('E_STORAGE', 'database error', cause)
  }
}

const MMAP_BYTES = 2 ** 31

/** SQL function of the database: a string's key bytes in the store's tables, for the relay's joins with them. */
export const STORAGE_KEY_FUNCTION = 'wg_storage_key'

/** UTF-16BE code units: memcmp order equals JavaScript/IndexedDB string order. */
export function encodeKey(key: string): Uint8Array {
  const out = new Uint8Array(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    out[2 * i] = c >> 8
    out[2 * i + 1] = c & 0xff
  }
  return out
}

export function decodeKey(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!)
  return s
}

/** Smallest byte string greater than every string that starts with `prefix`; undefined if none. */
function successor(prefix: Uint8Array): Uint8Array | undefined {
  const out = prefix.slice()
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]!++
      return out.slice(0, i + 1)
    }
  }
  return undefined
}
