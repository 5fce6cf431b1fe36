// The app's own small IndexedDB database, separate from the store's: the identity secret
// (device only: never logged, never sent), device settings, and a snapshot of the first page
// of the home timeline so that first paint needs neither Automerge nor the store (docs/architecture.md
// principle 5). Raw IndexedDB: this file is on the critical path, so it stays tiny.
export const APP_DB_NAME = 'wildgrass-app'
const STORE = 'kv'

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

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('indexedDB request failed'))
  })
}

export async function openAppDb(name: string = APP_DB_NAME): Promise<AppDb> {
  const open = indexedDB.open(name, 1)
  open.onupgradeneeded = () => {
    open.result.createObjectStore(STORE)
  }
  const db = await request(open)
  // another tab is wiping this origin (wipe-signal.ts): let its deletion through at once
  db.onversionchange = () => db.close()
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
