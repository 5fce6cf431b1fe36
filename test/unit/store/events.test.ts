// Events in the store: verified ingest (idempotent), typed refusals, derived indexes and
// cursor-paginated queries with mutes and blocks, notifications, Chinese search, and
// retraction purging every byte (scanned in fake-indexeddb).
import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { openEvent } from '../../../src/core/event-verify.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { AuthorId, PostBody, SecretKey, SignedEvent } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { openIdbStorage } from '../../../src/store/idb-storage.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { STORAGE_TABLES } from '../../../src/store/storage.ts'
import type { Page, Store } from '../../../src/store/types.ts'

const T0 = Date.UTC(2026, 0, 1)
let clock = T0
const now = () => (clock += 1000)

interface Person {
  secret: SecretKey
  id: AuthorId
}
function person(): Person {
  const secret = generateSecretKey()
  return { secret, id: encodeDidKey(getPublicKey(secret)) }
}
const post = (p: Person, body: PostBody): SignedEvent => createEvent(p.secret, { kind: 'post', body }, { now: now() })

async function all<T>(get: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  do {
    const page = await get(cursor)
    out.push(...page.items)
    cursor = page.cursor
  } while (cursor !== undefined)
  return out
}

function newStore(me: Person): Store {
  return createStore({ storage: createMemoryStorage(), secret: me.secret, now })
}

describe('events', () => {
  it('ingests verified events idempotently and refuses bad ones with a reason, keeping the rest', async () => {
    const [me, alice] = [person(), person()]
    const store = newStore(me)
    const a = post(alice, { text: 'hello' })
    const b = post(alice, { text: 'world' })
    const tampered = a.bytes.slice()
    const at = Buffer.from(tampered).indexOf('hello') + 4
    tampered[at] = 'p'.charCodeAt(0) // 'hellp': same shape, wrong signature
    const results = await store.ingestEvents([a.bytes, new Uint8Array([1, 2, 3]), tampered, b.bytes, a.bytes])
    expect(results.map((r) => (r.ok ? (r.duplicate ? 'dup' : 'new') : r.code))).toEqual(['new', 'E_MALFORMED', 'E_BAD_SIGNATURE', 'new', 'dup'])
    expect((await store.getEvent(a.id))?.bytes).toEqual(a.bytes)
    expect((await store.ingestEvents([b.bytes]))[0]).toMatchObject({ ok: true, duplicate: true })
    expect((await store.getEvents([a.id, b.id])).length).toBe(2)
    expect((await all((cursor) => store.authorPosts(alice.id, { cursor }))).map((e) => e.id)).toEqual([b.id, a.id])
  })

  it('stores events core has already opened (gossip validator) without a second verification, with the same outcomes', async () => {
    const [me, alice] = [person(), person()]
    const store = newStore(me)
    const a = await openEvent(post(alice, { text: '验证过一次就够了' }).bytes, { now: clock })
    const results = await store.ingestOpenedEvents([a, a])
    expect(results.map((r) => (r.ok ? (r.duplicate ? 'dup' : 'new') : r.code))).toEqual(['new', 'dup'])
    expect((await store.getEvent(a.id))?.bytes).toEqual(a.bytes)
    expect((await store.ingestEvents([a.bytes]))[0]).toMatchObject({ ok: true, duplicate: true })
    expect((await store.search('验证')).items.map((e) => e.id)).toEqual([a.id])
  })

  it('home timeline: me and whom I follow, newest first, paginated without gaps, mutes and blocks applied', async () => {
    const [me, alice, bob, carol] = [person(), person(), person(), person()]
    const store = newStore(me)
    await store.start()
    await store.follow(alice.id)
    const events: SignedEvent[] = []
    for (let i = 0; i < 25; i++) events.push(post([alice, bob, carol][i % 3]!, { text: `post ${i}` }))
    await store.ingestEvents(events.map((e) => e.bytes))
    const mine = await store.post({ text: 'my own' })
    await store.follow(bob.id) // backfills bob's earlier posts
    const expected = [...events.filter((e) => e.author !== carol.id), mine.event!].sort((x, y) => y.ts - x.ts).map((e) => e.id)
    const paged = await all((cursor) => store.homeTimeline({ cursor, limit: 4 }))
    expect(paged.map((e) => e.id)).toEqual(expected)
    await store.mute(bob.id)
    expect((await all((c) => store.homeTimeline({ cursor: c, limit: 3 }))).some((e) => e.author === bob.id)).toBe(false)
    await store.unmute(bob.id)
    await store.block(alice.id)
    expect((await all((c) => store.homeTimeline({ cursor: c }))).some((e) => e.author === alice.id)).toBe(false)
    expect((await store.authorPosts(alice.id)).items).toEqual([])
    expect(await store.listBlocked()).toEqual([alice.id])
    await store.unblock(alice.id)
    await store.unfollow(alice.id)
    expect((await all((c) => store.homeTimeline({ cursor: c }))).some((e) => e.author === alice.id)).toBe(false)
    const late = post(bob, { text: 'later' })
    await store.ingestEvents([late.bytes])
    expect((await store.homeTimeline({ limit: 1 })).items[0]!.id).toBe(late.id)
    // a limit that is not a number gives the default page size (it used to loop for ever)
    expect(await store.homeTimeline({ limit: Number.NaN })).toEqual(await store.homeTimeline())
  })

  it('threads, notifications (also when the reply arrives before its parent) and hashtags', async () => {
    const [me, alice, bob] = [person(), person(), person()]
    const store = newStore(me)
    await store.start()
    const root = (await store.post({ text: 'root #野草 #Wildgrass' })).event!
    const r1 = createEvent(alice.secret, { kind: 'post', body: { text: 'reply one', reply: { root: root.id, parent: root.id } } }, { now: now() })
    const r2 = createEvent(
      bob.secret,
      { kind: 'post', body: { text: 'reply two', reply: { root: root.id, parent: r1.id }, mentions: [me.id] } },
      { now: now() },
    )
    const like = createEvent(alice.secret, { kind: 'reaction', body: { target: root.id, emoji: '🌱' } }, { now: now() })
    const boost = createEvent(bob.secret, { kind: 'repost', body: { target: root.id } }, { now: now() })
    await store.ingestEvents([r2.bytes, like.bytes, boost.bytes])
    await store.ingestEvents([r1.bytes])
    const mineReply = (await store.reply(r1.id, { text: 'thanks' })).event!
    expect((await all((c) => store.thread(root.id, { cursor: c, limit: 2 }))).map((e) => e.id)).toEqual([root.id, r1.id, r2.id, mineReply.id])
    // a follower: from alice's feed document
    const aliceStore = newStore(alice)
    await aliceStore.follow(me.id)
    await store.ingestChanges(await aliceStore.getChangesSince(alice.id, []))
    expect(await store.getFollowers(me.id)).toEqual([alice.id])
    const notes = await all((c) => store.notifications({ cursor: c, limit: 2 }))
    expect(notes.map((n) => `${n.type}:${n.from === alice.id ? 'alice' : n.from === bob.id ? 'bob' : '?'}`).sort()).toEqual(
      ['follow:alice', 'mention:bob', 'reaction:alice', 'reply:alice', 'repost:bob'].sort(),
    )
    expect(notes.find((n) => n.type === 'reaction')?.event?.id).toBe(like.id)
    // mine to alice: a reply to her post, which she would be notified of; not to me
    expect(notes.some((n) => n.event?.id === mineReply.id)).toBe(false)
    expect((await store.hashtag('#野草')).items.map((e) => e.id)).toEqual([root.id])
    expect((await store.hashtag('wildgrass')).items.map((e) => e.id)).toEqual([root.id])
    const heads = await aliceStore.getHeads(alice.id)
    await aliceStore.unfollow(me.id)
    await store.ingestChanges(await aliceStore.getChangesSince(alice.id, heads))
    expect(await store.getFollowers(me.id)).toEqual([])
    expect((await all((c) => store.notifications({ cursor: c }))).some((n) => n.type === 'follow')).toBe(false)
    await store.mute(alice.id)
    expect((await all((c) => store.notifications({ cursor: c }))).some((n) => n.from === alice.id)).toBe(false)
    expect((await store.thread(root.id)).items.map((e) => e.id)).toEqual([root.id, r2.id, mineReply.id])
  })

  it('a reply that reaches a new device before my own post still notifies me once the post arrives', async () => {
    const [me, bob] = [person(), person()]
    const laptop = newStore(me)
    const mine = (await laptop.post({ text: 'my post' })).event!
    const reply = createEvent(bob.secret, { kind: 'post', body: { text: 'nice', reply: { root: mine.id, parent: mine.id } } }, { now: now() })
    const phone = newStore(me)
    await phone.ingestEvents([reply.bytes])
    expect((await phone.notifications()).items).toEqual([])
    await phone.ingestEvents([mine.bytes])
    const notes = (await phone.notifications()).items
    expect(notes.map((n) => [n.type, n.from, n.event?.id])).toEqual([['reply', bob.id, reply.id]])
  })

  it('full-text search works for 简体 and 繁體 Chinese and for English', async () => {
    const [me, alice] = [person(), person()]
    const store = newStore(me)
    const texts = [
      '野火烧不尽，春风吹又生。', // 白居易, 简体
      '離離原上草，一歲一枯榮。野火燒不盡，春風吹又生。', // 繁體
      '今天天气很好，我们去公园散步吧！',
      '我喜歡在咖啡館裡讀書。',
      'The quick brown fox jumps over the lazy dog',
      '明天北京会下雨吗？Bring an umbrella.',
    ]
    const events = texts.map((text) => post(alice, { text }))
    await store.ingestEvents(events.map((e) => e.bytes))
    const find = async (query: string) => (await store.search(query)).items.map((e) => texts[events.findIndex((x) => x.id === e.id)])
    // 繁體 is folded to 简体 at index and query time: either script finds both
    expect(await find('春风')).toEqual([texts[1], texts[0]])
    expect(await find('春風')).toEqual([texts[1], texts[0]])
    expect(await find('吹又生')).toEqual([texts[1], texts[0]])
    expect(await find('野火燒不盡')).toEqual([texts[1], texts[0]])
    expect(await find('公园')).toEqual([texts[2]])
    expect(await find('天气 公园')).toEqual([texts[2]])
    expect(await find('咖啡館')).toEqual([texts[3]])
    expect(await find('咖啡馆')).toEqual([texts[3]]) // 简体 query, 繁體 text
    expect(await find('咖啡馆里')).toEqual([texts[3]]) // 裡 → 里
    expect(await find('草')).toEqual([texts[1]])
    expect(await find('北京 umbrella')).toEqual([texts[5]])
    expect(await find('QUICK dog')).toEqual([texts[4]])
    expect(await find('quick cat')).toEqual([])
    expect(await find('  ')).toEqual([])
  })

  it('search pages through posting lists without gaps, and a purge rewrites shared lists', async () => {
    const [me, alice] = [person(), person()]
    const store = newStore(me)
    await store.start()
    const batches: SignedEvent[][] = [[], [], []]
    for (let i = 0; i < 45; i++) batches[i % 3]!.push(post(alice, { text: `春风 spring ${i % 2 ? '又生' : 'odd'} n${i}` }))
    for (const b of batches) await store.ingestEvents(b.map((e) => e.bytes))
    const mine = await Promise.all([store.post({ text: '春风 spring 又生 mine' }), store.post({ text: '春风 spring 又生 mine too' })])
    const pages = await all((cursor) => store.search('春风 spring', { cursor, limit: 4 }))
    expect(pages.length).toBe(47)
    expect(new Set(pages.map((e) => e.id)).size).toBe(47)
    expect((await all((cursor) => store.search('又生 spring', { cursor, limit: 5 }))).length).toBe(22 + 2)
    const victim = batches[0]![1]! // shares its posting lists with 14 others
    const aliceStore = newStore(alice)
    await aliceStore.retract(victim.id)
    expect((await store.ingestChanges(await aliceStore.getChangesSince(alice.id, [])))[0]?.ok).toBe(true)
    await store.retract(mine[0].event!.id)
    const after = await all((cursor) => store.search('spring', { cursor, limit: 7 }))
    expect(after.length).toBe(45)
    expect(after.map((e) => e.id)).not.toContain(mine[0].event!.id)
    expect(after.map((e) => e.id)).not.toContain(victim.id)
    expect(after.map((e) => e.id)).toContain(mine[1].event!.id)
    expect(after.map((e) => e.id)).toContain(batches[0]![2]!.id)
  })

  it('a retraction purges the event everywhere; a later copy is refused with E_RETRACTED', async () => {
    const [me, alice] = [person(), person()]
    const name = `retract-${Math.random()}`
    const store = createStore({ storage: await openIdbStorage({ name }), secret: me.secret, now })
    await store.start()
    await store.follow(alice.id)
    const secret = 'zqxjv marker 独一无二的秘密句子 #秘密标签'
    const target = (await store.post({ text: secret, mentions: [alice.id] })).event!
    const keep = (await store.post({ text: 'this one stays' })).event!
    const hers = post(alice, { text: 'her post zqxjv' })
    const reply = createEvent(
      alice.secret,
      { kind: 'post', body: { text: 'reply to the secret', reply: { root: target.id, parent: target.id } } },
      { now: now() },
    )
    await store.ingestEvents([hers.bytes, reply.bytes])
    await store.bookmark(target.id)
    expect((await store.search('秘密句子')).items.length).toBe(1)
    const purged: string[] = []
    store.subscribe((c) => {
      if (c.type === 'purged') purged.push(...c.ids)
    })
    await store.retract(target.id)
    expect(purged).toEqual([target.id])
    expect(await store.getEvent(target.id)).toBeUndefined()
    expect((await store.search('秘密句子')).items).toEqual([])
    expect((await store.hashtag('秘密标签')).items).toEqual([])
    expect((await store.homeTimeline()).items.map((e) => e.id)).not.toContain(target.id)
    expect((await store.bookmarks()).items).toEqual([])
    expect((await store.thread(target.id)).items.map((e) => e.id)).toEqual([reply.id])
    expect((await store.getEvent(keep.id))?.id).toBe(keep.id)
    expect((await store.getEvent(hers.id))?.id).toBe(hers.id)
    // a copy arriving later (gossip, sync) is refused
    expect((await store.ingestEvents([target.bytes]))[0]).toMatchObject({ ok: false, code: 'E_RETRACTED' })
    expect(await store.missingEventIds([target.id])).toEqual([])
    expect(await store.indexedEventIds(me.id)).toEqual([keep.id])
    await store.close()
    // scan every object store: no key or value holds the event's bytes, text or tokens
    const db = await openDB(name)
    const needles = [target.bytes, target.sig, new TextEncoder().encode('独一无二'), new TextEncoder().encode('zqxjv marker')]
    let records = 0
    for (const table of STORAGE_TABLES) {
      const [keys, values] = await Promise.all([db.getAllKeys(table), db.getAll(table)])
      records += keys.length
      for (const key of keys) {
        expect(String(key)).not.toMatch(/独一|无二|秘密|marker/)
      }
      for (const value of values as Uint8Array[]) for (const needle of needles) expect(contains(value, needle)).toBe(false)
    }
    expect(records).toBeGreaterThan(20)
    db.close()
    // reopening: still gone, still refused, the rest is back
    const again = createStore({ storage: await openIdbStorage({ name }), secret: me.secret, now })
    await again.start()
    expect((await again.ingestEvents([target.bytes]))[0]).toMatchObject({ ok: false, code: 'E_RETRACTED' })
    expect((await again.homeTimeline()).items.map((e) => e.id).sort()).toEqual([keep.id, hers.id, reply.id].sort())
    expect(await again.getFollows(me.id)).toEqual([alice.id])
    await again.close()
  })

  it("only the author can retract: a retraction in someone else's document is ignored", async () => {
    const [me, mallory, alice] = [person(), person(), person()]
    const store = newStore(me)
    const hers = post(alice, { text: 'not yours to delete' })
    await store.ingestEvents([hers.bytes])
    const malloryStore = newStore(mallory)
    await malloryStore.ingestEvents([hers.bytes])
    await expect(malloryStore.retract(hers.id)).rejects.toMatchObject({ code: 'E_WRONG_AUTHOR' })
    const other = createStore({ storage: createMemoryStorage(), secret: mallory.secret, now })
    await other.retract(hers.id) // does not hold it: writes the retraction anyway
    expect((await store.ingestChanges(await other.getChangesSince(mallory.id, [])))[0]?.ok).toBe(true)
    expect((await store.getEvent(hers.id))?.id).toBe(hers.id)
    expect((await store.ingestEvents([hers.bytes]))[0]).toMatchObject({ ok: true, duplicate: true })
    // a store that lacks her post still fetches it for her index, whatever mallory's document says
    const fresh = newStore(person())
    expect((await fresh.ingestChanges(await other.getChangesSince(mallory.id, [])))[0]?.ok).toBe(true)
    expect(await fresh.missingEventIds([hers.id], alice.id)).toEqual([hers.id])
    expect(await fresh.missingEventIds([hers.id], mallory.id)).toEqual([])
  })
})

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}
