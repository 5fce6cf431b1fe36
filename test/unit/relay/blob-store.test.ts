// The relay's blob store (src/relay/blob-store.ts) on an in-memory SQLite database with an
// injected clock: per-author quotas by standing, the relay-wide cap, deletion on retraction and
// the garbage collection of blobs no stored event names.
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { BLOB_GRACE_MS, createBlobStore, DEFAULT_BLOB_LIMITS, type BlobLimits } from '../../../src/relay/blob-store.ts'

const MiB = 1024 * 1024
const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
let n = 0
/** a distinct blob of `size` bytes (of at least 4) */
const blob = (size: number) => {
  const b = new Uint8Array(Math.max(4, size))
  new DataView(b.buffer).setUint32(0, ++n)
  return b
}

function open(limits: Partial<BlobLimits> = {}) {
  const clock = { t: Date.UTC(2026, 0, 15) }
  const db = new DatabaseSync(':memory:')
  const store = createBlobStore(db, { ...DEFAULT_BLOB_LIMITS, ...limits }, () => clock.t)
  const put = (author: string, b: Uint8Array, standing = false) => store.put(hex(b), author, b, standing)
  return { db, store, clock, put }
}

describe('blob store', () => {
  it('stores, serves and holds the same bytes once', () => {
    const { store, put } = open()
    const b = blob(1000)
    expect(put('alice', b)).toBe('stored')
    expect(put('bob', b)).toBe('held')
    expect(store.get(hex(b))).toEqual(b)
    expect(store.sizeOf(hex(b))).toBe(1000)
    expect(store.usage('alice')).toBe(1000)
    expect(store.usage('bob')).toBe(0)
    expect(store.stats()).toMatchObject({ blobs: 1, bytes: 1000 })
    expect(store.get('0'.repeat(64))).toBeUndefined()
  })

  it('an author without standing gets 20 MiB, one with standing 500 MiB', () => {
    const { store, put } = open()
    for (let i = 0; i < 20; i++) expect(put('new', blob(MiB))).toBe('stored')
    expect(put('new', blob(4))).toBe('quota')
    expect(store.usage('new')).toBe(20 * MiB)
    for (let i = 0; i < 21; i++) expect(put('known', blob(MiB), true)).toBe('stored')
    const big = open({ standingAuthorBytes: 3 * MiB })
    for (let i = 0; i < 3; i++) expect(big.put('known', blob(MiB), true)).toBe('stored')
    expect(big.put('known', blob(4), true)).toBe('quota')
  })

  it('the relay-wide cap refuses everyone, and the count survives a reopen', () => {
    const { db, store, put, clock } = open({ capBytes: 3 * MiB })
    expect(put('a', blob(MiB))).toBe('stored')
    expect(put('b', blob(MiB), true)).toBe('stored')
    expect(put('c', blob(MiB))).toBe('stored')
    expect(put('d', blob(4), true)).toBe('full')
    expect(store.stats()).toEqual({ blobs: 3, bytes: 3 * MiB, capBytes: 3 * MiB })
    const again = createBlobStore(db, { ...DEFAULT_BLOB_LIMITS, capBytes: 3 * MiB }, () => clock.t)
    expect(again.stats()).toEqual({ blobs: 3, bytes: 3 * MiB, capBytes: 3 * MiB })
  })

  it('gc deletes a blob no stored event names a day after its upload, and keeps named ones', () => {
    const { store, put, clock } = open()
    const named = blob(100)
    const unnamed = blob(200)
    const namedLater = blob(300)
    put('alice', named)
    put('alice', unnamed)
    put('alice', namedLater)
    store.markReferenced('alice', [hex(named)])
    clock.t += BLOB_GRACE_MS - 1
    expect(store.gc()).toBe(0)
    store.markReferenced('bob', [hex(namedLater)]) // another author's post names it: kept too
    clock.t += 1
    expect(store.gc()).toBe(1)
    expect(store.sizeOf(hex(unnamed))).toBeUndefined()
    expect(store.sizeOf(hex(named))).toBe(100)
    expect(store.sizeOf(hex(namedLater))).toBe(300)
    expect(store.stats()).toMatchObject({ blobs: 2, bytes: 400 })
    expect(store.usage('alice')).toBe(400) // deleted bytes stop counting against the quota
  })

  it('a post may name a blob before it is uploaded: it is kept after the grace', () => {
    const { store, put, clock } = open()
    const b = blob(50)
    store.markReferenced('alice', [hex(b)])
    put('alice', b)
    clock.t += 2 * BLOB_GRACE_MS
    expect(store.gc()).toBe(0)
  })

  it('deleteForAuthor: the retracting uploader loses the blob unless another post still names it', () => {
    const { store, put, clock } = open()
    const mine = blob(10)
    const shared = blob(20)
    const someoneElses = blob(30)
    put('alice', mine)
    put('alice', shared)
    put('carol', someoneElses)
    store.markReferenced('alice', [hex(mine), hex(shared), hex(someoneElses)])
    store.markReferenced('bob', [hex(shared)])
    expect(store.deleteForAuthor('alice', [hex(mine), hex(shared), hex(someoneElses)])).toBe(1)
    expect(store.sizeOf(hex(mine))).toBeUndefined()
    expect(store.sizeOf(hex(shared))).toBe(20) // bob's post names it
    // carol uploaded it within the day: she may still post it; gc decides after the grace
    expect(store.sizeOf(hex(someoneElses))).toBe(30)
    clock.t += BLOB_GRACE_MS
    expect(store.gc()).toBe(1)
    expect(store.deleteForAuthor('bob', [hex(shared)])).toBe(1)
    expect(store.stats()).toMatchObject({ blobs: 0, bytes: 0 })
  })
})
