// The whole store on real IndexedDB in headless Chromium: Automerge wasm loaded lazily in the
// page, signed local changes, ingest with WebCrypto batch verification, retraction, reopening.
import wasmUrl from '@automerge/automerge/automerge.wasm?url'
import { expect, it } from 'vitest'
import { createEvent } from '../../src/core/event-create.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../src/core/keys.ts'
import { createStore } from '../../src/store/create-store.ts'
import { openIdbStorage } from '../../src/store/idb-storage.ts'

it('keeps feeds, events and indexes in Chromium IndexedDB across reopening', async () => {
  const name = `store-${Math.random()}`
  const me = generateSecretKey()
  const alice = generateSecretKey()
  const aliceId = encodeDidKey(getPublicKey(alice))
  const store = createStore({ storage: await openIdbStorage({ name }), secret: me, automergeWasm: wasmUrl })
  await store.start()
  await store.follow(aliceId)
  await store.editProfile({ name: '野草' })
  const events = Array.from({ length: 300 }, (_, i) =>
    createEvent(alice, { kind: 'post', body: { text: `第${i}条 春风吹又生 #野草` }, ts: Date.now() - 1_000_000 + i }),
  )
  const results = await store.ingestEvents(events.map((e) => e.bytes))
  expect(results.every((r) => r.ok && !r.duplicate)).toBe(true)
  const gone = (await store.post({ text: '要删除的秘密' })).event!
  await store.retract(gone.id)
  const heads = await store.getHeads(store.me!)
  await store.close()

  const again = createStore({ storage: await openIdbStorage({ name }), secret: me, automergeWasm: wasmUrl })
  const t = performance.now()
  const page = await again.homeTimeline() // before start(): no Automerge needed to paint
  const ms = performance.now() - t
  expect(page.items.map((e) => e.id)).toEqual(
    events
      .slice(-20)
      .reverse()
      .map((e) => e.id),
  )
  expect(ms).toBeLessThan(2000)
  await again.start()
  expect(await again.getHeads(again.me!)).toEqual(heads)
  expect((await again.getProfile(again.me!)).name).toBe('野草')
  expect((await again.search('春风')).items.length).toBe(20)
  expect((await again.hashtag('野草', { limit: 200 })).items.length).toBe(200)
  expect(await again.getEvent(gone.id)).toBeUndefined()
  expect((await again.ingestEvents([gone.bytes]))[0]).toMatchObject({ ok: false, code: 'E_RETRACTED' })
  await again.close()
})

it('two tabs writing at once take turns through Web Locks and lose nothing', async () => {
  const name = `tabs-${Math.random()}`
  const me = generateSecretKey()
  const open = async () => createStore({ storage: await openIdbStorage({ name }), secret: me, automergeWasm: wasmUrl, crossTabLock: name })
  const [a, b] = [await open(), await open()]
  await Promise.all([a.start(), b.start()])
  const posts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).post({ text: `post ${i}` })))
  await Promise.all([a.follow(encodeDidKey(getPublicKey(generateSecretKey()))), b.editProfile({ name: 'tabs' })])
  // a follows alice; b, which never saw that follow itself, files her post into the home timeline
  const alice = generateSecretKey()
  await a.follow(encodeDidKey(getPublicKey(alice)))
  const hers = createEvent(alice, { kind: 'post', body: { text: 'hi' } })
  await b.ingestEvents([hers.bytes])
  expect((await b.homeTimeline({ limit: 1 })).items[0]?.id).toBe(hers.id)
  await Promise.all([a.close(), b.close()])
  const c = await open()
  await c.start()
  expect(new Set(await c.indexedEventIds(c.me!))).toEqual(new Set(posts.map((p) => p.event!.id)))
  expect((await c.getFollows(c.me!)).length).toBe(2)
  expect((await c.getProfile(c.me!)).name).toBe('tabs')
  expect((await c.getChangesSince(c.me!, [])).length).toBe(23)
  await c.close()
})
