// The photo cache (src/app/wiring/blob-cache.ts) on fake-indexeddb: bytes kept and read back,
// the byte cap kept by dropping the least recently used first, a retracted post's photos deleted
// by post id, and the app database's kv store still there beside it after the upgrade.
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { openAppDb } from '../../../src/app/wiring/app-db.ts'
import { BLOB_CACHE_MAX_BYTES, openBlobCache } from '../../../src/app/wiring/blob-cache.ts'

let n = 0
const dbName = () => `blob-cache-test-${++n}`
const bytes = (size: number, fill: number) => new Uint8Array(size).fill(fill)
const clock = () => {
  let t = 1_000
  return () => ++t
}

describe('blob cache', () => {
  it('keeps bytes by hash and gives them back; a blob not kept is undefined', async () => {
    const cache = await openBlobCache({ name: dbName() })
    await cache.put('a'.repeat(64), bytes(1000, 1), ['post-1'])
    expect(await cache.get('a'.repeat(64))).toEqual(bytes(1000, 1))
    expect(await cache.get('b'.repeat(64))).toBeUndefined()
    expect(await cache.size()).toBe(1000)
    expect(BLOB_CACHE_MAX_BYTES).toBe(50 * 1024 * 1024)
    cache.close()
  })

  it('stores a view as its own bytes, not the buffer under it', async () => {
    const cache = await openBlobCache({ name: dbName() })
    const frame = bytes(5000, 9)
    await cache.put('c'.repeat(64), frame.subarray(1, 101), [])
    expect((await cache.get('c'.repeat(64)))!.buffer.byteLength).toBe(100)
    cache.close()
  })

  it('past the cap, drops the least recently used first: a blob read lately stays', async () => {
    const cache = await openBlobCache({ name: dbName(), maxBytes: 3000, now: clock() })
    await cache.put('1'.repeat(64), bytes(1000, 1), [])
    await cache.put('2'.repeat(64), bytes(1000, 2), [])
    await cache.put('3'.repeat(64), bytes(1000, 3), [])
    await cache.get('1'.repeat(64)) // 1 is now the most recent; 2 is the oldest
    await cache.put('4'.repeat(64), bytes(1000, 4), [])
    expect(await cache.get('2'.repeat(64))).toBeUndefined()
    for (const k of ['1', '3', '4']) expect(await cache.get(k.repeat(64)), k).toBeDefined()
    expect(await cache.size()).toBe(3000)
    // one larger blob makes room for itself by as many as it takes
    await cache.put('5'.repeat(64), bytes(2500, 5), [])
    expect(await cache.size()).toBeLessThanOrEqual(3000)
    expect(await cache.get('5'.repeat(64))).toBeDefined()
    cache.close()
  })

  it('forget deletes blobs; forgetPosts deletes the blobs of those posts and no others', async () => {
    const name = dbName()
    const cache = await openBlobCache({ name })
    await cache.put('a'.repeat(64), bytes(10, 1), ['p1'])
    await cache.put('b'.repeat(64), bytes(10, 2), ['p1', 'p2'])
    await cache.put('c'.repeat(64), bytes(10, 3), ['p3'])
    await cache.put('d'.repeat(64), bytes(10, 4), [])
    await cache.forgetPosts(['p2'])
    expect(await cache.get('b'.repeat(64))).toBeUndefined()
    expect(await cache.get('a'.repeat(64))).toBeDefined()
    await cache.forgetPosts(['p1', 'p9'])
    expect(await cache.get('a'.repeat(64))).toBeUndefined()
    await cache.forget(['d'.repeat(64)])
    expect(await cache.get('d'.repeat(64))).toBeUndefined()
    expect(await cache.size()).toBe(10)
    // a second connection (another tab, a reload) sees the same
    const again = await openBlobCache({ name })
    expect(await again.get('c'.repeat(64))).toEqual(bytes(10, 3))
    cache.close()
    again.close()
  })

  it("opens beside the app database's key-value store, which keeps working", async () => {
    const name = dbName()
    const app = await openAppDb(name)
    await app.put('settings', { x: 1 })
    const cache = await openBlobCache({ name })
    await cache.put('e'.repeat(64), bytes(5, 5), [])
    expect(await app.get('settings')).toEqual({ x: 1 })
    app.close()
    cache.close()
  })
})
