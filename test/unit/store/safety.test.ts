// Safety of the store as a whole: a batch that fails midway in IndexedDB
// leaves the store exactly as before — events, indexes, feed document, heads — and the store
// keeps working; reopening brings back what was committed.
import 'fake-indexeddb/auto'
import { expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { generateSecretKey } from '../../../src/core/keys.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { openIdbStorage } from '../../../src/store/idb-storage.ts'
import type { Storage, WriteOp } from '../../../src/store/storage.ts'

/** Real IndexedDB storage whose next write gets a poisoned op in the middle of its batch. */
function withFault(storage: Storage): Storage & { poisonNext(): void } {
  let poison = false
  return {
    ...storage,
    write(ops, options) {
      if (!poison) return storage.write(ops, options)
      poison = false
      const mid = Math.floor(ops.length / 2)
      const bad = { type: 'put', table: 'idx', key: 'poison', value: null } as unknown as WriteOp
      return storage.write([...ops.slice(0, mid), bad, ...ops.slice(mid)], options)
    },
    poisonNext() {
      poison = true
    },
  }
}

it('a failed batch leaves no trace, and the store carries on', async () => {
  const name = `safety-${Math.random()}`
  const secret = generateSecretKey()
  let t = Date.UTC(2026, 0, 1)
  const now = () => (t += 1000)
  const storage = withFault(await openIdbStorage({ name }))
  const store = createStore({ storage, secret, now })
  await store.start()
  const me = store.me!
  const first = (await store.post({ text: 'first' })).event!
  const heads = await store.getHeads(me)

  storage.poisonNext()
  await expect(store.post({ text: 'lost in a failed batch #gone' })).rejects.toMatchObject({ code: 'E_STORAGE' })
  expect(await store.getHeads(me)).toEqual(heads)
  expect((await store.homeTimeline()).items.map((e) => e.id)).toEqual([first.id])
  expect((await store.hashtag('gone')).items).toEqual([])
  expect(await store.indexedEventIds(me)).toEqual([first.id])
  expect((await store.getChangesSince(me, [])).length).toBe(1)

  const other = generateSecretKey()
  const theirs = createEvent(other, { kind: 'post', body: { text: 'theirs' } }, { now: now() })
  storage.poisonNext()
  await expect(store.ingestEvents([theirs.bytes])).rejects.toMatchObject({ code: 'E_STORAGE' })
  expect(await store.getEvent(theirs.id)).toBeUndefined()
  expect((await store.ingestEvents([theirs.bytes]))[0]).toMatchObject({ ok: true, duplicate: false })

  const second = (await store.post({ text: 'second' })).event!
  expect((await store.getChangesSince(me, heads)).length).toBe(1)
  await store.close()

  const again = createStore({ storage: await openIdbStorage({ name }), secret, now })
  await again.start()
  expect(await again.indexedEventIds(me)).toEqual(expect.arrayContaining([first.id, second.id]))
  expect((await again.indexedEventIds(me)).length).toBe(2)
  expect((await again.homeTimeline()).items.map((e) => e.id)).toEqual([second.id, first.id])
  expect((await again.getEvent(theirs.id))?.id).toBe(theirs.id)
  await again.close()
})

it("two stores on one database (two tabs) take turns without losing each other's changes", async () => {
  const name = `tabs-${Math.random()}`
  const secret = generateSecretKey()
  let t = Date.UTC(2026, 0, 1)
  const now = () => (t += 1000)
  const a = createStore({ storage: await openIdbStorage({ name }), secret, now })
  const b = createStore({ storage: await openIdbStorage({ name }), secret, now })
  await Promise.all([a.start(), b.start()])
  const me = a.me!
  const p1 = (await a.post({ text: 'from tab a' })).event!
  const p2 = (await b.post({ text: 'from tab b' })).event!
  await a.editProfile({ name: 'A' })
  await b.editProfile({ bio: 'B' })
  const p3 = (await a.post({ text: 'a again' })).event!
  expect(await a.getHeads(me)).toEqual(await b.getHeads(me))
  await Promise.all([a.close(), b.close()])
  const c = createStore({ storage: await openIdbStorage({ name }), secret, now })
  await c.start()
  expect(new Set(await c.indexedEventIds(me))).toEqual(new Set([p1.id, p2.id, p3.id]))
  expect(await c.getProfile(me)).toEqual({ name: 'A', bio: 'B', avatar: '' })
  expect((await c.getChangesSince(me, [])).length).toBe(5)
  await c.close()
})
