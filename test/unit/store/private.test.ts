// The private part of the feed document (protocol/lists.md): private follows that only the
// person's devices read, merging across two devices edited offline, with the public document
// showing no follows; shared lists published in a feed document and read by a subscriber.
import { describe, expect, it } from 'vitest'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { AuthorId, SecretKey } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { SINCE_GRANULARITY_MS } from '../../../src/store/private-doc.ts'
import type { Store } from '../../../src/store/types.ts'

const T0 = Date.UTC(2026, 0, 1, 13, 37, 11, 123)

function device(secret?: SecretKey): Store {
  let t = T0
  return createStore({ storage: createMemoryStorage(), ...(secret === undefined ? {} : { secret }), now: () => (t += 1000) })
}

const someone = (): AuthorId => encodeDidKey(getPublicKey(generateSecretKey()))

/** every envelope `from` made locally, to hand to another store */
function outbox(store: Store): Uint8Array[] {
  const sent: Uint8Array[] = []
  store.subscribe((c) => {
    if (c.type === 'changes' && c.local) sent.push(...c.envelopes)
  })
  return sent
}

describe('private follows', () => {
  it('two devices edit offline, merge to the same list, and the public document shows no follows', async () => {
    const secret = generateSecretKey()
    const me = encodeDidKey(getPublicKey(secret))
    const laptop = device(secret)
    const phone = device(secret)
    const stranger = device() // a relay or another peer: holds my feed document, not my key
    await Promise.all([laptop.start(), phone.start(), stranger.start()])
    const fromLaptop = outbox(laptop)
    const fromPhone = outbox(phone)
    const ySecret = generateSecretKey()
    const [x, y, z, w] = [someone(), encodeDidKey(getPublicKey(ySecret)), someone(), someone()]

    await laptop.follow(x) // public, before the switch
    await laptop.setPrivateFollows(true)
    await phone.ingestChanges(fromLaptop.splice(0))
    expect(await phone.getFollows(me)).toEqual([x])
    // offline, each device edits on its own
    await laptop.followPrivately(y)
    await laptop.unfollowEverywhere(x)
    await phone.followPrivately(z)
    await phone.followPrivately(w)
    const laptopChanges = fromLaptop.splice(0)
    const phoneChanges = fromPhone.splice(0)
    expect((await laptop.ingestChanges(phoneChanges)).every((r) => r.ok)).toBe(true)
    expect((await phone.ingestChanges(laptopChanges)).every((r) => r.ok)).toBe(true)
    const merged = [y, z, w].sort()
    expect((await laptop.getFollows(me)).sort()).toEqual(merged)
    expect((await phone.getFollows(me)).sort()).toEqual(merged)
    expect((await phone.privateView()).privateFollows).toBe(true)

    // what everyone else sees: no follows at all, and sealed blobs they cannot open
    const all = await laptop.getChangesSince(me, [])
    expect((await stranger.ingestChanges(all)).every((r) => r.ok)).toBe(true)
    expect(await stranger.getFollows(me)).toEqual([])
    const followedSomewhere = all.some((bytes) => [y, z, w].some((a) => new TextDecoder('latin1').decode(bytes).includes(a)))
    expect(followedSomewhere).toBe(false)
    // the home timeline follows the private list: y's posts are home posts
    const yStore = device(ySecret)
    await yStore.start()
    const post = (await yStore.post({ text: 'from y' })).event!
    await laptop.ingestEvents([post.bytes])
    expect((await laptop.homeTimeline()).items.map((e) => e.id)).toContain(post.id)
  })

  it('follow times are kept to the day, public or private', async () => {
    const secret = generateSecretKey()
    const store = device(secret)
    await store.start()
    const a = someone()
    await store.followPrivately(a)
    const since = (await store.privateView()).follows.get(a)!
    expect(since % SINCE_GRANULARITY_MS).toBe(0)
    expect(since).toBe(Date.UTC(2026, 0, 1))
  })
})

describe('shared lists', () => {
  it("C publishes a list, B reads it from C's feed document and sees C's edits", async () => {
    const c = device(generateSecretKey())
    const b = device(generateSecretKey())
    await Promise.all([c.start(), b.start()])
    const fromC = outbox(c)
    const d = someone()
    const { id } = await c.createList({ name: '骚扰账号', description: '反复骚扰的账号', addKeys: [d], addWords: ['广告'] })
    await b.ingestChanges(fromC.splice(0))
    const cId = c.me!
    expect(await b.lists(cId)).toEqual([{ author: cId, id, name: '骚扰账号', description: '反复骚扰的账号', keys: [d], words: ['广告'] }])
    await c.editList(id, { removeKeys: [d] })
    await b.ingestChanges(fromC.splice(0))
    expect((await b.lists(cId))[0]!.keys).toEqual([])
    await c.deleteList(id)
    await b.ingestChanges(fromC.splice(0))
    expect(await b.lists(cId)).toEqual([])
  })

  it('subscriptions and overrides are private and merge across my devices', async () => {
    const secret = generateSecretKey()
    const laptop = device(secret)
    const phone = device(secret)
    await Promise.all([laptop.start(), phone.start()])
    const fromLaptop = outbox(laptop)
    const author = someone()
    await laptop.editPrivate({ type: 'subscribe', author, list: '0123456789abcdef', action: 'block' })
    await laptop.editPrivate({ type: 'override', author, list: '0123456789abcdef', entry: someone(), on: true })
    await laptop.editPrivate({ type: 'setting', name: 'refuseRequests', on: true })
    await phone.ingestChanges(fromLaptop.splice(0))
    const view = await phone.privateView()
    expect(view.subscriptions).toEqual([{ author, list: '0123456789abcdef', action: 'block' }])
    expect(view.overrides.size).toBe(1)
    expect(view.refuseRequests).toBe(true)
  })
})
