// The device's cache of photos (protocol/blobs.md): bytes fetched and checked once are kept in
// the app's IndexedDB (app-db.ts, stores blobBytes and blobMeta), so a timeline seen before shows
// its photos offline and without asking a relay again. At most 50 MiB: a write past it drops
// the photos used longest ago first. Each record names the posts shown with it, so a retraction
// deletes the photos of a post this session never showed (forgetPosts), as honest peers must.
//
// Reads do not hash the bytes again: they were checked against their address on the way in,
// and this origin's storage is trusted as the store's own events are (anything that could change
// it could change the app's code and data as well); hashing 1 MiB on every paint would be waste.
// Not sealed at rest (at-rest.ts): these are photos of public posts, kept beside the public
// posts that name them, which the store keeps unsealed too; the app lock seals private state.
import { APP_DB_NAME, BLOB_BYTES_STORE, BLOB_META_STORE, openAppDatabase, request } from './app-db.ts'

/** bytes of photos kept on the device, at most (50 MiB) */
export const BLOB_CACHE_MAX_BYTES = 50 * 1024 * 1024

interface BlobRecord {
  readonly sha256: string
  readonly size: number
  /** last read or write (ms): the oldest go first */
  used: number
  /** ids of the posts shown with it */
  posts: string[]
}

export interface BlobCache {
  /** the bytes, marked as used now; undefined when not kept */
  get(sha256: string): Promise<Uint8Array | undefined>
  /** keeps bytes already checked against `sha256`, shown with `posts`; drops the least recently used past the cap */
  put(sha256: string, bytes: Uint8Array, posts: readonly string[]): Promise<void>
  /** deletes these blobs */
  forget(sha256s: readonly string[]): Promise<void>
  /** deletes the blobs shown with any of these posts (they were retracted) */
  forgetPosts(postIds: readonly string[]): Promise<void>
  /** bytes kept now */
  size(): Promise<number>
  close(): void
}

export async function openBlobCache(init: { name?: string; maxBytes?: number; now?: () => number } = {}): Promise<BlobCache> {
  const db = await openAppDatabase(init.name ?? APP_DB_NAME)
  const maxBytes = init.maxBytes ?? BLOB_CACHE_MAX_BYTES
  const now = init.now ?? Date.now
  /** both stores in one transaction; `done` settles when it commits or fails */
  const tx = (mode: IDBTransactionMode) => {
    const t = db.transaction([BLOB_BYTES_STORE, BLOB_META_STORE], mode)
    const done = new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve()
      t.onerror = t.onabort = () => reject(t.error ?? new Error('blob cache transaction failed'))
    })
    done.catch(() => undefined) // awaited by the caller; not unhandled when it throws first
    return { done, bytes: t.objectStore(BLOB_BYTES_STORE), meta: t.objectStore(BLOB_META_STORE) }
  }

  async function remove(shas: Iterable<string>): Promise<void> {
    const { done, bytes, meta } = tx('readwrite')
    for (const sha of shas) {
      bytes.delete(sha)
      meta.delete(sha)
    }
    await done
  }

  return {
    async get(sha256) {
      const { done, bytes, meta } = tx('readwrite')
      const record = (await request(meta.get(sha256))) as BlobRecord | undefined
      const value = record === undefined ? undefined : ((await request(bytes.get(sha256))) as Uint8Array | undefined)
      if (record !== undefined && value !== undefined) meta.put({ ...record, used: now() })
      await done
      return value
    },
    async put(sha256, value, posts) {
      // in one transaction, so that two tabs writing at once still keep the cap
      const { done, bytes, meta } = tx('readwrite')
      const old = (await request(meta.get(sha256))) as BlobRecord | undefined
      const records = (await request(meta.index('used').getAll())) as BlobRecord[]
      let total = records.reduce((n, r) => n + (r.sha256 === sha256 ? 0 : r.size), 0)
      for (const r of records) {
        if (total + value.length <= maxBytes) break
        if (r.sha256 === sha256) continue
        bytes.delete(r.sha256)
        meta.delete(r.sha256)
        total -= r.size
      }
      // a view (a network frame's tail) would be stored with its whole buffer: store just the bytes
      bytes.put(value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice(), sha256)
      meta.put({ sha256, size: value.length, used: now(), posts: [...new Set([...(old?.posts ?? []), ...posts])] } satisfies BlobRecord)
      await done
    },
    forget: (sha256s) => remove(sha256s),
    async forgetPosts(postIds) {
      if (postIds.length === 0) return
      const { done, meta } = tx('readonly')
      const shas = new Set<string>()
      for (const id of postIds) for (const key of await request(meta.index('posts').getAllKeys(id))) shas.add(String(key))
      await done
      if (shas.size > 0) await remove(shas)
    },
    async size() {
      const { done, meta } = tx('readonly')
      const records = (await request(meta.getAll())) as BlobRecord[]
      await done
      return records.reduce((n, r) => n + r.size, 0)
    },
    close: () => db.close(),
  }
}
