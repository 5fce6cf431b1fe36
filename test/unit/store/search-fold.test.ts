// Search folds 繁體 to 简体 (src/store/tokenize.ts) through the store, and a database indexed
// before the fold (src/store/search-fold.ts) is re-indexed once in the background: found by a
// folded query after start(), each event in exactly the rows its refs name, purges still
// removing every row. The older version is this code with an empty OpenCC table: the fold is the
// only difference.
import { describe, expect, it, vi } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { AuthorId, EventId, SecretKey, SignedEvent } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { searchTokensOf } from '../../../src/store/event-index.ts'
import { decodeJson, encodeJson } from '../../../src/store/json.ts'
import { newestFirst, searchRowsOf } from '../../../src/store/keys.ts'
import type { EventRefs } from '../../../src/store/keys.ts'
import { createMemoryData, createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { MemoryData } from '../../../src/store/memory-storage.ts'
import { decodePostings } from '../../../src/store/postings.ts'
import { decodeStored } from '../../../src/store/queries.ts'
import type { WriteOp } from '../../../src/store/storage.ts'
import { foldChinese } from '../../../src/store/tokenize.ts'
import type { Store } from '../../../src/store/types.ts'

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
const post = (p: Person, text: string): SignedEvent => createEvent(p.secret, { kind: 'post', body: { text } }, { now: now() })
const ids = async (store: Store, q: string) => (await store.search(q)).items.map((e) => e.id)

/** createStore as it was before the fold: the same modules, evaluated again with an empty table. */
async function olderCreateStore(): Promise<typeof createStore> {
  vi.resetModules()
  vi.doMock('opencc-js/dict/TSCharacters', () => ({ default: '' }))
  try {
    return (await import('../../../src/store/create-store.ts')).createStore
  } finally {
    vi.doUnmock('opencc-js/dict/TSCharacters')
    vi.resetModules()
  }
}

/** Rewrites the search rows into the earliest layout (search-rows.test.ts): JSON rows keyed by each token's newest event, listed in refs.k. */
async function toEarliestLayout(data: MemoryData): Promise<void> {
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
  for (const [id, keys] of refsKeys) {
    const refs = decodeJson<EventRefs>(await storage.get('refs', id))!
    ops.push({ type: 'put', table: 'refs', key: id, value: encodeJson({ a: refs.a, t: refs.t, k: [...refs.k, ...keys] }) })
  }
  await storage.write(ops)
}

async function folded(data: MemoryData): Promise<void> {
  const probe = createMemoryStorage({ data })
  await vi.waitFor(async () => expect(await probe.get('meta', 'searchFolded')).toBeDefined(), { timeout: 20_000, interval: 5 })
}

/**
 * Every stored event is in exactly the rows its refs name, once each, and those rows are its
 * folded tokens; every row names only stored events, under a folded token.
 */
async function expectConsistent(data: MemoryData): Promise<void> {
  const storage = createMemoryStorage({ data })
  const holding = new Map<EventId, string[]>()
  for (const row of await storage.range('idx', { prefix: 's|' })) {
    const token = row.key.split('|')[1]!
    expect(foldChinese(token)).toBe(token)
    const list = decodePostings(row.value)!.map(([, id]) => id)
    expect(list.length).toBeGreaterThan(0)
    expect(new Set(list).size).toBe(list.length)
    for (const id of list) holding.set(id, [...(holding.get(id) ?? []), row.key])
  }
  const events = await storage.range('events', {})
  for (const { key, value } of events) {
    const refs = decodeJson<EventRefs>(await storage.get('refs', key))!
    const rows = searchRowsOf(refs)
    expect((holding.get(key as EventId) ?? []).sort()).toEqual([...rows].sort())
    expect(rows.map((r) => r.split('|')[1]).sort()).toEqual(searchTokensOf(decodeStored(value)).sort())
    holding.delete(key as EventId)
  }
  expect([...holding.keys()]).toEqual([]) // no row names an event not stored
}

async function snapshot(data: MemoryData): Promise<Record<string, string>> {
  const storage = createMemoryStorage({ data })
  const out: Record<string, string> = {}
  for (const table of ['idx', 'refs'] as const) for (const r of await storage.range(table, {})) out[`${table} ${r.key}`] = Buffer.from(r.value).toString('hex')
  return out
}

describe('search folds 繁體 and 简体', () => {
  it('a post in 繁體 is found by a 简体 query, and the reverse', async () => {
    const [me, alice] = [person(), person()]
    const store = createStore({ storage: createMemoryStorage(), secret: me.secret, now })
    await store.start()
    const trad = post(alice, '我的貓很可愛，正在搜索簡體')
    const simp = post(alice, '我的猫很可爱，正在搜索简体')
    const latin = post(alice, 'Searching Wildgrass')
    await store.ingestEvents([trad.bytes, simp.bytes, latin.bytes])
    for (const q of ['猫', '貓', '可爱', '可愛', '搜索简体', '搜索簡體', '我的貓很可爱']) expect(await ids(store, q)).toEqual([simp.id, trad.id])
    expect(await ids(store, 'wildgrass')).toEqual([latin.id])
    expect(await ids(store, '簡體 wildgrass')).toEqual([])
    const mine = (await store.post({ text: 'Wildgrass 簡體' })).event!
    expect(await ids(store, '简体 WILDGRASS')).toEqual([mine.id])
    await store.close()
  })

  it.each(['batch rows (w, q)', 'the earliest layout (rows in refs.k)'])(
    're-indexes a database from before the fold once, in the background: %s',
    async (layout) => {
      const [me, alice, bob] = [person(), person(), person()]
      const data = createMemoryData()
      const older = (await olderCreateStore())({ storage: createMemoryStorage({ data }), secret: me.secret, now })
      await older.start()
      const t1 = post(alice, '我的貓很可愛')
      const s1 = post(bob, '我的猫很可爱')
      const l1 = post(alice, 'plain latin words')
      const r1 = createEvent(bob.secret, { kind: 'reaction', body: { target: t1.id, emoji: '🌱' } }, { now: now() })
      const t2 = post(bob, '搜索簡體 and 頭髮')
      const m1 = post(alice, '貓 and 猫 together')
      // one batch shares rows: s1's row for 猫 is the row t1 joins
      for (const r of await older.ingestEvents([t1.bytes, s1.bytes, l1.bytes, r1.bytes])) expect(r.ok).toBe(true)
      for (const r of await older.ingestEvents([t2.bytes, m1.bytes])) expect(r.ok).toBe(true)
      await older.close()
      const before = createMemoryStorage({ data })
      expect(await before.rangeKeys('idx', { prefix: 's|貓|' })).not.toEqual([]) // unfolded
      await before.write([{ type: 'delete', table: 'meta', key: 'searchFolded' }]) // an older version wrote no mark
      if (layout !== 'batch rows (w, q)') await toEarliestLayout(data)

      const store = createStore({ storage: createMemoryStorage({ data }), secret: me.secret, now })
      expect(await ids(store, '貓')).toEqual([m1.id, s1.id]) // before start: only what held 猫 already
      const n1 = post(alice, '新的貓')
      await store.ingestEvents([n1.bytes]) // indexed folded, next to the old rows
      await store.start()
      await folded(data)
      for (const q of ['猫', '貓']) expect(await ids(store, q)).toEqual([n1.id, m1.id, s1.id, t1.id])
      for (const q of ['可爱', '可愛']) expect(await ids(store, q)).toEqual([s1.id, t1.id])
      for (const q of ['搜索简体', '搜索簡體', '头发', '頭髮']) expect(await ids(store, q)).toEqual([t2.id])
      expect(await ids(store, 'and 猫')).toEqual([m1.id])
      expect(await ids(store, 'latin')).toEqual([l1.id])
      expect(await createMemoryStorage({ data }).rangeKeys('idx', { prefix: 's|貓|' })).toEqual([])
      await expectConsistent(data)
      await store.close()

      // done once: without the mark it would run again and change nothing
      const done = await snapshot(data)
      await createMemoryStorage({ data }).write([{ type: 'delete', table: 'meta', key: 'searchFolded' }])
      const again = createStore({ storage: createMemoryStorage({ data }), secret: me.secret, now })
      await again.start()
      await folded(data)
      expect(await snapshot(data)).toEqual({ ...done })
      // retractions purge every row
      for (const [p, events] of [
        [alice, [t1, l1, m1, n1]],
        [bob, [s1, r1, t2]],
      ] as const) {
        const theirs = createStore({ storage: createMemoryStorage(), secret: p.secret, now })
        for (const e of events) await theirs.retract(e.id)
        for (const r of await again.ingestChanges(await theirs.getChangesSince(p.id, []))) expect(r.ok).toBe(true)
        await theirs.close()
      }
      expect(await ids(again, '猫')).toEqual([])
      const left = createMemoryStorage({ data })
      expect(await left.rangeKeys('idx', { prefix: 's|' })).toEqual([])
      expect(await left.rangeKeys('events', {})).toEqual([])
      await again.close()
    },
  )

  it('re-indexes page by page: rows shared across pages are merged, not overwritten', async () => {
    const [me, alice] = [person(), person()]
    const data = createMemoryData()
    const older = (await olderCreateStore())({ storage: createMemoryStorage({ data }), secret: me.secret, now })
    const posts = Array.from({ length: 620 }, (_, i) => post(alice, i % 2 === 0 ? `貓 ${i}` : `猫 ${i}`))
    for (let i = 0; i < posts.length; i += 310) await older.ingestEvents(posts.slice(i, i + 310).map((e) => e.bytes))
    await older.close()
    await createMemoryStorage({ data }).write([{ type: 'delete', table: 'meta', key: 'searchFolded' }])

    const store = createStore({ storage: createMemoryStorage({ data }), secret: me.secret, now })
    await store.start()
    await folded(data)
    const found: EventId[] = []
    let cursor: string | undefined
    do {
      const page = await store.search('貓', { limit: 200, ...(cursor === undefined ? {} : { cursor }) })
      found.push(...page.items.map((e) => e.id))
      cursor = page.cursor
    } while (cursor !== undefined)
    expect(found).toEqual(posts.map((e) => e.id).reverse())
    await expectConsistent(data)
    await store.close()
  })
})
