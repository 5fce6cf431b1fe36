// The in-memory twin of the IndexedDB storage (docs/architecture.md "Interfaces and their twins"). Passing the same
// MemoryData to a new instance is "reopening": tests and benchmarks use it to show that
// what was written comes back.
import { fail } from '../core/errors.ts'
import { SortedKeys } from './sorted-keys.ts'
import { PREFIX_END, STORAGE_TABLES, checkWriteOps } from './storage.ts'
import type { RangeQuery, Storage, StorageEntry, TableName, WriteOp, WriteOptions } from './storage.ts'

interface Table {
  readonly values: Map<string, Uint8Array>
  readonly keys: SortedKeys
}

export interface MemoryData {
  readonly tables: ReadonlyMap<TableName, Table>
}

export function createMemoryData(): MemoryData {
  return { tables: new Map(STORAGE_TABLES.map((name) => [name, { values: new Map(), keys: new SortedKeys() }])) }
}

export function createMemoryStorage(init: { data?: MemoryData } = {}): Storage {
  const data = init.data ?? createMemoryData()
  let closed = false

  function table(name: TableName): Table {
    if (closed) fail('E_STORAGE', 'storage is closed')
    const t = data.tables.get(name)
    if (t === undefined) fail('E_STORAGE', `unknown table ${String(name)}`)
    return t
  }

  function* scan(name: TableName, query: RangeQuery): Generator<string> {
    const t = table(name)
    const prefix = query.prefix ?? ''
    const reverse = query.reverse === true
    const limit = query.limit ?? Infinity
    if (limit <= 0) return
    const start = query.after ?? (reverse ? prefix + PREFIX_END : prefix)
    const inclusive = query.after === undefined
    let n = 0
    for (const key of t.keys.iterate(start, inclusive, reverse)) {
      if (!key.startsWith(prefix)) {
        // past the end of the prefix: stop; before its start (reverse from PREFIX_END): skip
        if (reverse ? key < prefix : key > prefix) break
        continue
      }
      yield key
      if (++n >= limit) return
    }
  }

  return {
    async get(name, key) {
      return table(name).values.get(key)
    },
    async getMany(name, keys) {
      const t = table(name)
      return keys.map((k) => t.values.get(k))
    },
    async range(name, query) {
      const t = table(name)
      const out: StorageEntry[] = []
      for (const key of scan(name, query)) out.push({ key, value: t.values.get(key)! })
      return out
    },
    async rangeKeys(name, query) {
      return [...scan(name, query)]
    },
    async write(ops: readonly WriteOp[], options?: WriteOptions) {
      // Validate everything first, then apply synchronously (nothing can run in between): all
      // or nothing. No copies of the ops or values: callers hand values over (storage.ts); like
      // IndexedDB's structured clone would make them independent of later mutation, we rely on
      // the contract instead.
      if (ops.length > 0 && closed) fail('E_STORAGE', 'storage is closed')
      const signal = options?.signal
      checkWriteOps(ops)
      if (signal?.aborted === true) fail('E_STORAGE', 'write aborted; nothing applied')
      for (const op of ops) {
        const t = data.tables.get(op.table)!
        if (op.type === 'put') {
          const size = t.values.size
          t.values.set(op.key, op.value)
          if (t.values.size !== size) t.keys.add(op.key) // a new key (one hash lookup, not two)
        } else if (t.values.delete(op.key)) {
          t.keys.delete(op.key)
        }
      }
    },
    async close() {
      closed = true
    },
  }
}
