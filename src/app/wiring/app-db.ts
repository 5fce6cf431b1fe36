// The app's own small IndexedDB database, separate from the store's: the identity secret
// (device only: never logged, never sent), device settings, and a snapshot of the first page
// of the home timeline so that first paint needs neither Automerge nor the store (docs/architecture.md
// principle 5). Raw IndexedDB: this file is on the critical path, so it stays tiny.
export const APP_DB_NAME = 'wildgrass-app'
const STORE = 'kv'
/** 2: the photo cache's two stores (blob-cache.ts) */
export const APP_DB_VERSION = 2
/** photo bytes by SHA-256, and their records (size, last use, the posts that show them) */
export const BLOB_BYTES_STORE = 'blobBytes'
export const BLOB_META_STORE = 'blobMeta'

export type AppDbKey =
  | 'identity'
  | 'settings'
  | 'snapshot'
  | 'outbox'
  | 'peerKey'
  | 'community'
  | 'refCounts'
  | 'syncCursors'
  | 'subscriptionCursors'
  | 'vettedRelays'
  | 'mailboxCursors'

export interface AppDb {
  get<T>(key: AppDbKey): Promise<T | undefined>
  put(key: AppDbKey, value: unknown): Promise<void>
  delete(key: AppDbKey): Promise<void>
  close(): void
}

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('indexedDB request failed'))
  })
}

/**
 * Opens the database at APP_DB_VERSION, creating what an older version lacks; every connection
 * (this file's, the photo cache's) opens it this way. Closes itself when another tab deletes or
 * upgrades the database (wipe-signal.ts, a newer app): their request goes through at once.
 */
export async function openAppDatabase(name: string = APP_DB_NAME): Promise<IDBDatabase> {
  const open = indexedDB.open(name, APP_DB_VERSION)
  open.onupgradeneeded = () => {
    const db = open.result
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE)
    if (!db.objectStoreNames.contains(BLOB_BYTES_STORE)) db.createObjectStore(BLOB_BYTES_STORE)
    if (!db.objectStoreNames.contains(BLOB_META_STORE)) {
      const meta = db.createObjectStore(BLOB_META_STORE, { keyPath: 'sha256' })
      meta.createIndex('used', 'used')
      meta.createIndex('posts', 'posts', { multiEntry: true })
    }
  }
  const db = await request(open)
  db.onversionchange = () => db.close()
  return db
}

export async function openAppDb(name: string = APP_DB_NAME): Promise<AppDb> {
  const db = await openAppDatabase(name)
  const tx = (mode: IDBTransactionMode) => db.transaction(STORE, mode).objectStore(STORE)
  return {
    get: async <T>(key: AppDbKey) => (await request(tx('readonly').get(key))) as T | undefined,
    put: async (key, value) => {
      await request(tx('readwrite').put(value, key))
    },
    delete: async (key) => {
      await request(tx('readwrite').delete(key))
    },
    close: () => db.close(),
  }
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = () => resolve()
    req.onerror = () => reject(req.error ?? new Error('deleteDatabase failed'))
    req.onblocked = () => resolve() // other tabs hold it open; it is deleted when they close
  })
}
