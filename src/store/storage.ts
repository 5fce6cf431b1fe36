// The storage interface under the store (docs/architecture.md "Interfaces and their twins": a small interface at each I/O
// boundary, with an in-memory twin). In the spirit of automerge-repo's StorageAdapter, but
// with named tables, ordered keys and atomic batches, because the derived indexes are range
// scans and a retraction must purge a body and all its index entries together.
//
// Implementations: memory-storage.ts (tests, relays' tests), idb-storage.ts (browsers), and
// the relay's SQLite archive (src/relay). All must pass test/support/store-contract.ts.

import { fail } from '../core/errors.ts'

/**
 * Every table the store uses. An implementation creates them all up front (IndexedDB object
 * stores, SQLite tables). What each holds is documented in protocol/feed-document.md
 * ("Local storage layout") and in src/store/keys.ts.
 */
export const STORAGE_TABLES = ['events', 'refs', 'idx', 'retracted', 'changes', 'docs', 'meta', 'private'] as const
export type TableName = (typeof STORAGE_TABLES)[number]

const TABLE_NAMES: ReadonlySet<unknown> = new Set(STORAGE_TABLES)

export function isTableName(value: unknown): value is TableName {
  return TABLE_NAMES.has(value)
}

/**
 * Checks a whole batch before an implementation touches anything (a batch is all or nothing):
 * known tables, string keys, byte values, known op types. E_STORAGE otherwise.
 */
export function checkWriteOps(ops: readonly WriteOp[]): void {
  for (const op of ops) {
    if (!isTableName(op.table)) fail('E_STORAGE', `unknown table ${String(op.table)}`)
    if (typeof op.key !== 'string') fail('E_STORAGE', 'key must be a string')
    if (op.type === 'put') {
      const value: unknown = op.value
      if (!(value instanceof Uint8Array)) fail('E_STORAGE', 'value must be a Uint8Array')
    } else if (op.type !== 'delete') {
      fail('E_STORAGE', 'unknown write op')
    }
  }
}

/**
 * Keys are strings compared by UTF-16 code unit, exactly as IndexedDB compares string keys.
 * (A SQLite implementation can store them as TEXT: the store's range queries are prefix
 * scans whose order only matters over ASCII suffixes, see keys.ts.) Values are bytes; the
 * caller must not mutate a value after handing it over, nor one it got back.
 */
export interface StorageEntry {
  readonly key: string
  readonly value: Uint8Array
}

export type WriteOp =
  | { readonly type: 'put'; readonly table: TableName; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'delete'; readonly table: TableName; readonly key: string }

export interface RangeQuery {
  /** only keys that start with this string ('' or absent: the whole table) */
  readonly prefix?: string
  /** resume after this key (exclusive), in the direction of iteration: a pagination cursor */
  readonly after?: string
  /** descending key order */
  readonly reverse?: boolean
  /** at most this many entries */
  readonly limit?: number
}

export interface WriteOptions {
  /**
   * If aborted before the batch commits, nothing of the batch is applied and write() rejects
   * with E_STORAGE. Implementations check it between operations (tests use it to abort a
   * batch midway).
   */
  readonly signal?: AbortSignal
}

export interface Storage {
  get(table: TableName, key: string): Promise<Uint8Array | undefined>
  /** Same order as `keys`; undefined where absent. One read transaction. */
  getMany(table: TableName, keys: readonly string[]): Promise<Array<Uint8Array | undefined>>
  /** Entries in key order (or reverse), one read transaction. */
  range(table: TableName, query: RangeQuery): Promise<StorageEntry[]>
  /** Keys only: cheaper where values are not needed (indexes). */
  rangeKeys(table: TableName, query: RangeQuery): Promise<string[]>
  /**
   * Applies every operation or none: ONE transaction (one IndexedDB readwrite transaction
   * over all touched object stores; one SQLite transaction). Later operations on the same
   * key win. Rejects with a WildgrassError E_STORAGE on any failure, having applied nothing.
   */
  write(ops: readonly WriteOp[], options?: WriteOptions): Promise<void>
  /** Releases the database; the data stays (reopening brings everything back). */
  close(): Promise<void>
}

/** Upper bound for prefix scans: no key the store writes contains U+FFFF. */
export const PREFIX_END = '\uffff'
