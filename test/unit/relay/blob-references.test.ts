// A relay's blobs follow the posts that name them (src/relay/blob-references.ts), with a real
// store and blob store on in-memory SQLite: a stored post keeps its photos past the grace period;
// its retraction deletes them, unless another post of the same author still shows one.
import { createHash } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { trackBlobReferences } from '../../../src/relay/blob-references.ts'
import { BLOB_GRACE_MS, createBlobStore, DEFAULT_BLOB_LIMITS } from '../../../src/relay/blob-store.ts'
import type { ImageRef } from '../../../src/core/types.ts'
import { person } from '../../support/store-people.ts'

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

async function world() {
  const clock = { t: Date.now() }
  const db = new DatabaseSync(':memory:')
  const blobs = createBlobStore(db, DEFAULT_BLOB_LIMITS, () => clock.t)
  const relayStore = createStore({ storage: createMemoryStorage() })
  await relayStore.start()
  trackBlobReferences(db, relayStore, blobs)
  const alice = person()
  const phone = createStore({ storage: createMemoryStorage(), secret: alice.secret })
  await phone.start()
  const changes: Uint8Array[] = []
  phone.subscribe((c) => {
    if (c.type === 'changes' && c.local) changes.push(...c.envelopes)
  })
  const photo = (seed: number): { bytes: Uint8Array; ref: ImageRef } => {
    const bytes = new Uint8Array(2000).fill(seed)
    blobs.put(hex(bytes), alice.id, bytes, false)
    return { bytes, ref: { sha256: hex(bytes), type: 'image/jpeg', size: bytes.length, w: 10, h: 10 } }
  }
  const publish = async (images: ImageRef[]) => {
    const event = (await phone.post({ text: 'photos', images })).event!
    await relayStore.ingestChanges(changes.splice(0))
    await relayStore.ingestEvents([event.bytes])
    return event
  }
  const retract = async (id: string) => {
    await phone.retract(id as never)
    await relayStore.ingestChanges(changes.splice(0))
  }
  return { clock, blobs, photo, publish, retract }
}

describe('blob references', () => {
  it('a stored post keeps its photos past the grace period; an unposted upload is collected', async () => {
    const w = await world()
    const kept = w.photo(1)
    const orphan = w.photo(2)
    await w.publish([kept.ref])
    w.clock.t += BLOB_GRACE_MS + 1000
    w.blobs.gc()
    expect(w.blobs.get(kept.ref.sha256)).toEqual(kept.bytes)
    expect(w.blobs.get(orphan.ref.sha256)).toBeUndefined()
  })

  it("a retraction deletes the post's photos, except one another of the author's posts still shows", async () => {
    const w = await world()
    const [shared, own] = [w.photo(3), w.photo(4)]
    const first = await w.publish([shared.ref, own.ref])
    await w.publish([shared.ref])
    await w.retract(first.id)
    expect(w.blobs.get(own.ref.sha256)).toBeUndefined()
    expect(w.blobs.get(shared.ref.sha256)).toEqual(shared.bytes)
  })
})
