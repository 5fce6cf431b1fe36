// The document cache (src/store/document-cache.ts): strangers' feed documents are bounded in
// count and bytes and evicted oldest arrival first with all they wrote (chunks, envelopes, heads,
// follower rows); the documents of whom I follow, who follows me, whose list I subscribe to and
// whose event is kept here stay; what the cache counts matches what it holds.
import { describe, expect, it } from 'vitest'
import type { AuthorId } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import type { DocumentCacheLimits } from '../../../src/store/document-cache.ts'
import { idx, meta } from '../../../src/store/keys.ts'
import { createMemoryData, createMemoryStorage, type MemoryData } from '../../../src/store/memory-storage.ts'
import type { TableName } from '../../../src/store/storage.ts'
import type { Store } from '../../../src/store/types.ts'
import { person, steppingClock } from '../../support/store-people.ts'

const LIMITS: DocumentCacheLimits = { maxDocs: 20, maxBytes: 1024 * 1024 }

interface Someone {
  readonly store: Store
  readonly id: AuthorId
  /** what they published since the last `deliver` */
  readonly sent: Uint8Array[]
}

async function someone(): Promise<Someone> {
  const store = createStore({ storage: createMemoryStorage(), secret: person().secret, now: steppingClock() })
  await store.start()
  const sent: Uint8Array[] = []
  store.subscribe((c) => {
    if (c.type === 'changes' && c.local) sent.push(...c.envelopes)
  })
  return { store, id: store.me!, sent }
}

async function me(limits = LIMITS): Promise<Someone & { data: MemoryData }> {
  const data = createMemoryData()
  const store = createStore({ storage: createMemoryStorage({ data }), secret: person().secret, now: steppingClock(), documentCache: limits })
  await store.start()
  return { store, id: store.me!, sent: [], data }
}

async function deliver(from: Someone, to: Store): Promise<void> {
  expect((await to.ingestChanges(from.sent.splice(0))).every((r) => r.ok)).toBe(true)
}

/** `n` strangers, each with a name and a follow of `follows`, delivered to `to` one by one */
async function strangers(to: Store, n: number, follows: AuthorId): Promise<Someone[]> {
  const out: Someone[] = []
  for (let i = 0; i < n; i++) {
    const s = await someone()
    await s.store.editProfile({ name: `stranger ${i}` })
    await s.store.follow(follows)
    await deliver(s, to)
    out.push(s)
  }
  return out
}

function keysOf(data: MemoryData, table: TableName, prefix: string): string[] {
  return [...data.tables.get(table)!.values.keys()].filter((k) => k.startsWith(prefix))
}

function counted(data: MemoryData): { docs: number; bytes: number } {
  return JSON.parse(new TextDecoder().decode(data.tables.get('meta')!.values.get(meta.documentCache)!)) as { docs: number; bytes: number }
}

async function holds(store: Store, author: AuthorId): Promise<boolean> {
  return (await store.getHeads(author)).length > 0
}

describe('document cache', () => {
  it("holds at most its limit of strangers' documents, the newest arrivals, and an evicted one leaves nothing behind", async () => {
    const mine = await me()
    const star = await someone()
    const all = await strangers(mine.store, 60, star.id)
    const held = []
    for (const s of all) if (await holds(mine.store, s.id)) held.push(s.id)
    expect(held.length).toBeLessThanOrEqual(LIMITS.maxDocs)
    expect(held.length).toBeGreaterThanOrEqual(LIMITS.maxDocs * 0.9 - 1)
    expect(held).toEqual(all.slice(-held.length).map((s) => s.id))
    const gone = all[0]!.id
    // chunks, envelopes, heads and the follower row it wrote are gone; what is held is counted
    expect(keysOf(mine.data, 'docs', `${gone}|`)).toEqual([])
    expect(keysOf(mine.data, 'changes', `${gone}|`)).toEqual([])
    expect(await mine.store.listAuthors()).not.toContain(gone)
    expect((await mine.store.getProfile(gone)).name).toBe('')
    expect(new Set(await mine.store.getFollowers(star.id))).toEqual(new Set(held))
    expect(keysOf(mine.data, 'idx', idx.cachedDocPrefix())).toHaveLength(held.length)
    const stored = held.reduce(
      (n, a) =>
        n +
        [
          ...keysOf(mine.data, 'docs', `${a}|`).map((k) => mine.data.tables.get('docs')!.values.get(k)!),
          ...keysOf(mine.data, 'changes', `${a}|`).map((k) => mine.data.tables.get('changes')!.values.get(k)!),
        ].reduce((m, v) => m + v.length, 0),
      0,
    )
    expect(counted(mine.data)).toEqual({ docs: held.length, bytes: stored })
  })

  it('bounds bytes too: one stranger whose document keeps growing is evicted by its size', async () => {
    const mine = await me({ maxDocs: 1000, maxBytes: 40 * 1024 })
    const big = await someone()
    await big.store.editProfile({ name: 'big' })
    await deliver(big, mine.store)
    for (let i = 0; i < 40; i++) {
      await big.store.editProfile({ bio: `${'很长的简介'.repeat(30)} ${i}` })
      await deliver(big, mine.store)
    }
    expect(counted(mine.data).bytes).toBeGreaterThan(10 * 1024)
    // newcomers' documents push the grown one out: the bytes it counted go with it
    await strangers(mine.store, 10, big.id)
    expect(await holds(mine.store, big.id)).toBe(false)
    expect(counted(mine.data).bytes).toBeLessThanOrEqual(40 * 1024)
  })

  it('keeps the documents of whom I follow (before or after they arrived), who follows me, whose list I use and whose event is kept here', async () => {
    const mine = await me()
    const [followedFirst, followedLater, follower, lister, replier, bookmarked] = await Promise.all([
      someone(),
      someone(),
      someone(),
      someone(),
      someone(),
      someone(),
    ])
    for (const s of [followedFirst, followedLater, follower, lister, replier, bookmarked]) await s.store.editProfile({ name: 'kept' })
    await mine.store.follow(followedFirst.id)
    await follower.store.follow(mine.id)
    const { id: list } = await lister.store.createList({ name: '垃圾账号', addKeys: [bookmarked.id] })
    const myPost = (await mine.store.post({ text: '我的帖子' })).event!
    await replier.store.ingestEvents([myPost.bytes])
    const reply = (await replier.store.reply(myPost.id, { text: '回复你' })).event!
    const theirPost = (await bookmarked.store.post({ text: '值得收藏' })).event!
    for (const s of [followedFirst, followedLater, follower, lister, replier, bookmarked]) await deliver(s, mine.store)
    await mine.store.ingestEvents([reply.bytes, theirPost.bytes])
    await mine.store.bookmark(theirPost.id)
    await mine.store.editPrivate({ type: 'subscribe', author: lister.id, list, action: 'mute' })
    await mine.store.follow(followedLater.id)

    await strangers(mine.store, 60, followedFirst.id)
    for (const s of [followedFirst, followedLater, follower, lister, replier, bookmarked]) {
      expect(await holds(mine.store, s.id)).toBe(true)
      expect((await mine.store.getProfile(s.id)).name).toBe('kept')
    }
    // what stays left the cache: counted no more, and never evicted later
    for (const s of [followedLater, follower, lister, replier, bookmarked]) expect(mine.data.tables.get('meta')!.values.has(meta.cachedDoc(s.id))).toBe(false)
    expect(counted(mine.data).docs).toBe(keysOf(mine.data, 'idx', idx.cachedDocPrefix()).length)
    expect((await mine.store.getFollowers(mine.id)).map(String)).toEqual([follower.id])
  })

  it('an evicted document that comes back whole is stored again, and counted again', async () => {
    const mine = await me()
    const returning = await someone()
    await returning.store.editProfile({ name: 'back again' })
    const everything = async () => returning.store.getChangesSince(returning.id, [])
    expect((await mine.store.ingestChanges(await everything())).every((r) => r.ok)).toBe(true)
    await strangers(mine.store, 40, mine.id)
    expect(await holds(mine.store, returning.id)).toBe(false)
    // a later change alone lacks its dependencies (the network then asks for the rest)
    returning.sent.splice(0)
    await returning.store.editProfile({ bio: 'new bio' })
    expect(await mine.store.ingestChanges(returning.sent.splice(0))).toMatchObject([{ ok: false, reason: 'missing-dependencies' }])
    expect((await mine.store.ingestChanges(await everything())).every((r) => r.ok)).toBe(true)
    expect(await mine.store.getProfile(returning.id)).toMatchObject({ name: 'back again', bio: 'new bio' })
    expect(mine.data.tables.get('meta')!.values.has(meta.cachedDoc(returning.id))).toBe(true)
  })

  it("a store without an identity (a relay's, which bounds its archive by standing) keeps every document", async () => {
    const data = createMemoryData()
    const relay = createStore({ storage: createMemoryStorage({ data }) })
    await relay.start()
    const all = await strangers(relay, 30, (await someone()).id)
    for (const s of all) expect(await holds(relay, s.id)).toBe(true)
    expect(keysOf(data, 'idx', idx.cachedDocPrefix())).toEqual([])
  })
})
