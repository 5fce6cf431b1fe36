// Subscribed lists applied by the store (protocol/lists.md §3): a block list leaves its authors
// out of every query, quoted posts and direct messages included; a mute list only out of
// timelines; an override brings one entry back; the list author's edits arrive with their
// feed document; a list's words are the store's to report, not to apply.
import { describe, expect, it } from 'vitest'
import { createDmIdentity } from '../../../src/core/dm-seal.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { PublicKey, SecretKey } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { Store } from '../../../src/store/types.ts'

async function person(): Promise<{ secret: SecretKey; store: Store; id: NonNullable<Store['me']>; sent: Uint8Array[] }> {
  const secret = generateSecretKey()
  const store = createStore({ storage: createMemoryStorage(), secret })
  await store.start()
  const sent: Uint8Array[] = []
  store.subscribe((c) => {
    if (c.type === 'changes' && c.local) sent.push(...c.envelopes)
  })
  return { secret, store, id: store.me!, sent }
}

/** B gets everything `from` published since last time */
async function deliver(from: { sent: Uint8Array[] }, to: Store): Promise<void> {
  expect((await to.ingestChanges(from.sent.splice(0))).every((r) => r.ok)).toBe(true)
}

describe('lists I subscribe to', () => {
  it("block: D is left out of home, D's page, quotes and messages; an override and C's removal bring D back", async () => {
    const [b, c, d, e] = await Promise.all([person(), person(), person(), person()])
    await b.store.follow(d.id)
    await b.store.follow(e.id)
    const dPost = (await d.store.post({ text: 'D 的帖子' })).event!
    const quote = (await e.store.post({ text: '引用 D', quote: dPost.id })).event!
    await b.store.ingestEvents([dPost.bytes, quote.bytes])
    const home = async () => (await b.store.homeTimeline()).items.map((x) => x.id)
    expect(await home()).toEqual(expect.arrayContaining([dPost.id, quote.id]))

    const { id: list } = await c.store.createList({ name: '骚扰名单', addKeys: [d.id], addWords: ['广告'] })
    await deliver(c, b.store)
    await b.store.editPrivate({ type: 'subscribe', author: c.id, list, action: 'block' })
    expect(await home()).toEqual([quote.id])
    expect((await b.store.authorPosts(d.id)).items).toEqual([])
    expect(await b.store.getVisibleEvent(dPost.id)).toBeUndefined()
    expect(b.store.listMutedWords()).toEqual(['广告'])
    // my own blocks stay mine: the list's entries are not copied into them
    expect(await b.store.listBlocked()).toEqual([])
    const seal = async (text: string) =>
      (await createDmIdentity(d.secret)).seal(getPublicKey(b.secret) as PublicKey, {
        id: crypto.getRandomValues(new Uint8Array(16)),
        to: getPublicKey(b.secret) as PublicKey,
        ts: Date.now(),
        text,
      })
    expect(await (await b.store.directMessages()).receive([await seal('你好')])).toMatchObject([{ ok: false, code: 'refused' }])

    await b.store.editPrivate({ type: 'override', author: c.id, list, entry: d.id, on: true })
    expect(await home()).toContain(dPost.id)
    await b.store.editPrivate({ type: 'override', author: c.id, list, entry: d.id, on: false })
    expect(await home()).not.toContain(dPost.id)

    await c.store.editList(list, { removeKeys: [d.id] })
    await deliver(c, b.store)
    expect(await home()).toContain(dPost.id)
    expect(await b.store.getVisibleEvent(dPost.id)).toBeDefined()
  })

  it("mute: D is left out of home but D's own page still shows D; unsubscribing undoes it; never me", async () => {
    const [b, c, d] = await Promise.all([person(), person(), person()])
    await b.store.follow(d.id)
    const dPost = (await d.store.post({ text: 'hello' })).event!
    const bPost = (await b.store.post({ text: 'mine' })).event!
    await b.store.ingestEvents([dPost.bytes])
    const { id: list } = await c.store.createList({ name: 'noise', addKeys: [d.id, b.id] })
    await deliver(c, b.store)
    await b.store.editPrivate({ type: 'subscribe', author: c.id, list, action: 'mute' })
    expect((await b.store.homeTimeline()).items.map((x) => x.id)).toEqual([bPost.id])
    expect((await b.store.authorPosts(d.id)).items.map((x) => x.id)).toEqual([dPost.id])
    await b.store.editPrivate({ type: 'unsubscribe', author: c.id, list })
    expect((await b.store.homeTimeline()).items.map((x) => x.id).sort()).toEqual([bPost.id, dPost.id].sort())
  })

  it('a restarted store applies the lists it subscribed to before', async () => {
    const secret = generateSecretKey()
    const storage = createMemoryStorage()
    const b = createStore({ storage, secret })
    await b.start()
    const [c, d] = await Promise.all([person(), person()])
    await b.follow(d.id)
    const dPost = (await d.store.post({ text: 'hello' })).event!
    await b.ingestEvents([dPost.bytes])
    const { id: list } = await c.store.createList({ name: 'spam', addKeys: [d.id] })
    await deliver(c, b)
    await b.editPrivate({ type: 'subscribe', author: c.id, list, action: 'block' })
    const again = createStore({ storage, secret })
    await again.start()
    expect((await again.homeTimeline()).items).toEqual([])
  })
})
