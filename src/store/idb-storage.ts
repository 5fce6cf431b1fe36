// IndexedDB storage through `idb` (docs/architecture.md "Interfaces and their twins"). One object
// store per table, out-of-line string keys, Uint8Array values (structured clone keeps them).
// A batch is ONE readwrite transaction over every touched object store, so it lands whole
// or not at all.
import { deleteDB, openDB, unwrap } from 'idb'
import type { IDBPDatabase } from 'idb'
import { WildgrassError, fail } from '../core/errors.ts'
import { PREFIX_END, STORAGE_TABLES, checkWriteOps, isTableName } from './storage.ts'
import type { RangeQuery, Storage, StorageEntry, TableName, WriteOp, WriteOptions } from './storage.ts'

const DB_VERSION = 1

/** Opens (creating on first use) the IndexedDB database `name` of the global indexedDB. */
export async function openIdbStorage(init: { name: string }): Promise<Storage> {
  let db: IDBPDatabase
  let closed = false
  try {
    db = await openDB(init.name, DB_VERSION, {
      upgrade(database) {
        for (const name of STORAGE_TABLES) {
          if (!database.objectStoreNames.contains(name)) database.createObjectStore(name)
        }
      },
      // another tab deletes the database (the app's panic wipe): close at once so that it is
      // not held up; this storage then refuses further use as if closed
      blocking(_current, _next, event) {
        closed = true
        ;(event.target as IDBDatabase).close()
      },
    })
  } catch (error) {
    fail('E_STORAGE', `cannot open IndexedDB ${init.name}`, error)
  }

  function check(name: TableName): void {
    if (closed) fail('E_STORAGE', 'storage is closed')
    if (!isTableName(name)) fail('E_STORAGE', `unknown table ${String(name)}`)
  }

  async function guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof WildgrassError) throw error
      fail('E_STORAGE', `IndexedDB ${what} failed`, error)
    }
  }

  function keyRange(query: RangeQuery): IDBKeyRange | undefined {
    const prefix = query.prefix ?? ''
    const after = query.after
    if (query.reverse === true) {
      const upper = after ?? prefix + PREFIX_END
      return prefix === '' ? IDBKeyRange.upperBound(upper, after !== undefined) : IDBKeyRange.bound(prefix, upper, false, after !== undefined)
    }
    if (after === undefined) return prefix === '' ? undefined : IDBKeyRange.bound(prefix, prefix + PREFIX_END)
    return prefix === '' ? IDBKeyRange.lowerBound(after, true) : IDBKeyRange.bound(after, prefix + PREFIX_END, true, false)
  }

  async function scan(name: TableName, query: RangeQuery, withValues: boolean): Promise<StorageEntry[] | string[]> {
    check(name)
    const limit = query.limit
    if (limit !== undefined && limit <= 0) return []
    const range = keyRange(query)
    const tx = db.transaction(name, 'readonly')
    const store = tx.objectStore(name)
    if (query.reverse !== true) {
      // getAll/getAllKeys are much faster than a cursor; both see the same snapshot in one tx.
      const [keys, values] = await Promise.all([store.getAllKeys(range, limit), withValues ? store.getAll(range, limit) : Promise.resolve([]), tx.done])
      if (!withValues) return keys as string[]
      return keys.map((key, i) => ({ key: key as string, value: values[i] as Uint8Array }))
    }
    const out: Array<StorageEntry | string> = []
    let cursor = withValues ? await store.openCursor(range, 'prev') : await store.openKeyCursor(range, 'prev')
    while (cursor && (limit === undefined || out.length < limit)) {
      out.push(withValues ? { key: cursor.key as string, value: (cursor as unknown as { value: Uint8Array }).value } : (cursor.key as string))
      cursor = await cursor.continue()
    }
    await tx.done
    return out as StorageEntry[] | string[]
  }

  return {
    get(name, key) {
      return guard('get', async () => {
        check(name)
        return (await db.get(name, key)) as Uint8Array | undefined
      })
    },
    getMany(name, keys) {
      return guard('getMany', async () => {
        check(name)
        if (keys.length === 0) return []
        const tx = db.transaction(name, 'readonly')
        // native requests, read once the transaction completes: no promise per key (an ingest
        // batch looks up every event id and tombstone, thousands of keys)
        const store = unwrap(tx.objectStore(name))
        const requests = keys.map((k) => store.get(k))
        await tx.done
        return requests.map((r) => r.result as Uint8Array | undefined)
      })
    },
    range(name, query) {
      return guard('range', async () => (await scan(name, query, true)) as StorageEntry[])
    },
    rangeKeys(name, query) {
      return guard('rangeKeys', async () => (await scan(name, query, false)) as string[])
    },
    write(ops: readonly WriteOp[], options?: WriteOptions) {
      return guard('write', async () => {
        if (closed) fail('E_STORAGE', 'storage is closed')
        if (ops.length === 0) return
        checkWriteOps(ops)
        const names = new Set<TableName>(ops.map((op) => op.table))
        // 'relaxed': committed once the browser has the data, without waiting for an fsync —
        // survives a tab or browser crash, not a power cut (like the relay's WAL with
        // synchronous=NORMAL); all-or-nothing either way.
        const tx = db.transaction([...names], 'readwrite', { durability: 'relaxed' })
        const done = tx.done
        // Requests go to the native stores: no promise per request, so an aborted batch
        // leaves no unhandled rejections behind.
        const stores = new Map([...names].map((n) => [n, unwrap(tx.objectStore(n))]))
        try {
          for (const op of ops) {
            if (options?.signal?.aborted) fail('E_STORAGE', 'write aborted; nothing applied')
            const store = stores.get(op.table)!
            if (op.type === 'put') store.put(op.value, op.key)
            else store.delete(op.key)
          }
          if (options?.signal?.aborted) fail('E_STORAGE', 'write aborted; nothing applied')
        } catch (error) {
          tx.abort()
          await done.catch(() => undefined)
          throw error
        }
        await done
      })
    },
    async close() {
      closed = true
      db.close()
    },
  }
}

/** Deletes the whole database (tests, "forget this device"). */
export async function deleteIdbStorage(name: string): Promise<void> {
  await deleteDB(name)
}
