// Search posting lists (src/store/postings.ts): the binary row form round-trips, and a database
// written in the earlier layout (JSON rows keyed by each token's newest event, every row key
// listed in refs.k) is still searched and purged correctly next to rows written now.
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { AuthorId, EventId, PostBody, SecretKey, SignedEvent } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { encodeJson, decodeJson } from '../../../src/store/json.ts'
import { newestFirst } from '../../../src/store/keys.ts'
import type { EventRefs } from '../../../src/store/keys.ts'
import { createMemoryData, createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { decodePostings, encodePostings, idToBytes } from '../../../src/store/postings.ts'
import type { WriteOp } from '../../../src/store/storage.ts'

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
const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(32) as EventId

describe('search posting lists', () => {
  it('binary rows round-trip; JSON rows of the earlier layout still decode', () => {
    const list = [
      [T0 + 5, hex(0xab)],
      [T0, hex(0x01)],
      [0, hex(0xff)],
    ] as const
    const bytes = encodePostings(list, idToBytes)
    expect(bytes.length).toBe(1 + 3 * 40)
    expect(decodePostings(bytes)).toEqual(list)
    expect(decodePostings(encodeJson(list))).toEqual(list)
    expect(decodePostings(undefined)).toBeUndefined()
    expect(idToBytes(hex(0x5c))).toEqual(new Uint8Array(32).fill(0x5c))
  })

  it('a store written in the earlier layout is searched and purged like a new one', async () => {
    const [me, alice] = [person(), person()]
    const data = createMemoryData()
    const first = createStore({ storage: createMemoryStorage({ data }), secret: me.secret, now })
    const e1 = post(alice, { text: 'alpha beta' })
    const e2 = post(alice, { text: 'alpha gamma' })
    await first.ingestEvents([e1.bytes, e2.bytes])
    await first.close()

    // rewrite what was stored into the earlier layout
    const storage = createMemoryStorage({ data })
    const rows = await storage.range('idx', { prefix: 's|' })
    const ops: WriteOp[] = rows.map((r) => ({ type: 'delete', table: 'idx', key: r.key }))
    const refsKeys = new Map<EventId, string[]>()
    for (const row of rows) {
      const token = row.key.split('|')[1]!
      const list = decodePostings(row.value)!
      const key = `s|${token}|${newestFirst(list[0]![0])}|${list[0]![1]}`
      ops.push({ type: 'put', table: 'idx', key, value: encodeJson(list) })
      for (const [, id] of list) refsKeys.set(id, [...(refsKeys.get(id) ?? []), key])
    }
    for (const e of [e1, e2]) {
      const refs = decodeJson<EventRefs>(await storage.get('refs', e.id))!
      expect(refs.w).toBeDefined()
      const authorRow = `a|${refs.a}|${newestFirst(refs.t)}|${e.id}` // listed in k back then
      expect(await storage.get('idx', authorRow)).toBeDefined()
      ops.push({ type: 'put', table: 'refs', key: e.id, value: encodeJson({ a: refs.a, t: refs.t, k: [authorRow, ...refs.k, ...refsKeys.get(e.id)!] }) })
    }
    await storage.write(ops)

    const store = createStore({ storage: createMemoryStorage({ data }), secret: me.secret, now })
    const e3 = post(alice, { text: 'alpha beta delta' })
    await store.ingestEvents([e3.bytes]) // a new-layout row next to the old ones
    const ids = async (q: string) => (await store.search(q)).items.map((e) => e.id)
    expect(await ids('alpha')).toEqual([e3.id, e2.id, e1.id])
    expect(await ids('alpha beta')).toEqual([e3.id, e1.id])
    expect(await ids('gamma alpha')).toEqual([e2.id])

    const aliceStore = createStore({ storage: createMemoryStorage(), secret: alice.secret, now })
    await aliceStore.retract(e1.id)
    await aliceStore.retract(e3.id)
    for (const r of await store.ingestChanges(await aliceStore.getChangesSince(alice.id, []))) expect(r.ok).toBe(true)
    expect(await ids('alpha')).toEqual([e2.id])
    expect(await ids('beta')).toEqual([])
    expect(await ids('delta')).toEqual([])
    expect((await store.authorPosts(alice.id)).items.map((e) => e.id)).toEqual([e2.id])
    // no posting list names a purged event any more; rows left empty are gone
    const left = await storage.range('idx', { prefix: 's|' })
    expect(left.map((r) => r.key.split('|')[1]).sort()).toEqual(['alpha', 'gamma'])
    for (const r of left) expect(decodePostings(r.value)!.map(([, id]) => id)).toEqual([e2.id])
    await store.close()
  })

  it('a big batch finds tombstones by one scan while they are few, and by lookups once they are many', async () => {
    const [me, alice] = [person(), person()]
    const store = createStore({ storage: createMemoryStorage(), secret: me.secret, now })
    const posts = Array.from({ length: 20 }, (_, i) => post(alice, { text: `post ${i}` }))
    await store.ingestEvents(posts.map((e) => e.bytes))
    const aliceStore = createStore({ storage: createMemoryStorage(), secret: alice.secret, now })
    for (const e of posts.slice(0, 17)) await aliceStore.retract(e.id)
    for (const r of await store.ingestChanges(await aliceStore.getChangesSince(alice.id, []))) expect(r.ok).toBe(true)
    const outcome = (r: Awaited<ReturnType<typeof store.ingestEvents>>[number]) => (r.ok ? (r.duplicate ? 'dup' : 'new') : r.code)
    // 17 tombstones, a batch of 16: more tombstones than events, so one lookup each
    expect((await store.ingestEvents(posts.slice(0, 16).map((e) => e.bytes))).map(outcome)).toEqual(Array(16).fill('E_RETRACTED'))
    // a batch of 18: the 17 tombstones are read in one scan
    const fresh = post(alice, { text: 'a new one' })
    const batch = [...posts.slice(3), fresh]
    expect((await store.ingestEvents(batch.map((e) => e.bytes))).map(outcome)).toEqual([...Array(14).fill('E_RETRACTED'), 'dup', 'dup', 'dup', 'new'])
    expect((await store.authorPosts(alice.id)).items.map((e) => e.id)).toEqual([fresh.id, posts[19]!.id, posts[18]!.id, posts[17]!.id])
    await store.close()
  })
})
