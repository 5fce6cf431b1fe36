// The community cache (src/store/community-cache.ts): strangers' events are bounded in count and
// bytes and evicted oldest arrival first with all their index keys; what I follow, what concerns
// me and what I bookmarked stays, and what the cache counts matches what it holds.
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import type { EventId, SignedEvent } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { idx, meta } from '../../../src/store/keys.ts'
import { decodePostings } from '../../../src/store/postings.ts'
import { createMemoryData, createMemoryStorage, type MemoryData } from '../../../src/store/memory-storage.ts'
import type { CommunityCacheLimits } from '../../../src/store/community-cache.ts'
import type { Store } from '../../../src/store/types.ts'
import { person, steppingClock, type Person } from '../../support/store-people.ts'

const LIMITS: CommunityCacheLimits = { maxEvents: 50, maxBytes: 1024 * 1024 }

async function myStore(limits = LIMITS): Promise<{ store: Store; data: MemoryData; now: () => number }> {
  const data = createMemoryData()
  const now = steppingClock()
  const store = createStore({ storage: createMemoryStorage({ data }), secret: person().secret, now, communityCache: limits })
  await store.start()
  return { store, data, now }
}

function post(who: Person, text: string, now: () => number, extra: Record<string, unknown> = {}): SignedEvent {
  return createEvent(who.secret, { kind: 'post', body: { text, ...extra } }, { now: now() })
}

/** `n` posts of `n` different strangers, ingested in batches of `batch` */
async function flood(store: Store, now: () => number, n: number, batch = 10, tag = 'flood'): Promise<SignedEvent[]> {
  const all: SignedEvent[] = []
  for (let i = 0; i < n; i += batch) {
    const events = Array.from({ length: Math.min(batch, n - i) }, (_, j) => post(person(), `a stranger's post ${i + j} #${tag}`, now))
    const results = await store.ingestEvents(events.map((e) => e.bytes))
    expect(results.every((r) => r.ok)).toBe(true)
    all.push(...events)
  }
  return all
}

async function held(store: Store, events: readonly SignedEvent[]): Promise<EventId[]> {
  const out: EventId[] = []
  for (const e of events) if ((await store.getEvent(e.id)) !== undefined) out.push(e.id)
  return out
}

function cacheEntries(data: MemoryData): number {
  return [...data.tables.get('idx')!.values.keys()].filter((k) => k.startsWith(idx.communityPrefix())).length
}

function counted(data: MemoryData): { events: number; bytes: number } {
  return JSON.parse(new TextDecoder().decode(data.tables.get('meta')!.values.get(meta.communityCache)!)) as { events: number; bytes: number }
}

describe('community cache', () => {
  it("holds at most its limit of strangers' events, the newest arrivals, and counts exactly what it holds", async () => {
    const { store, data, now } = await myStore()
    const events = await flood(store, now, 200)
    const kept = await held(store, events)
    expect(kept.length).toBeLessThanOrEqual(LIMITS.maxEvents)
    expect(kept.length).toBeGreaterThanOrEqual(LIMITS.maxEvents * 0.9 - 10)
    // the oldest arrivals went first (a batch arrives at one moment: its own order is the keys')
    const newest = new Set(events.slice(-(kept.length + 10)).map((e) => e.id))
    expect(kept.filter((id) => !newest.has(id))).toEqual([])
    expect(kept.slice(-10)).toEqual(events.slice(-10).map((e) => e.id))
    expect(cacheEntries(data)).toBe(kept.length)
    // the search posting lists (shared by the events of a batch) name only what is held
    const listed = [...data.tables.get('idx')!.values].filter(([k]) => k.startsWith('s|')).flatMap(([, v]) => (decodePostings(v) ?? []).map(([, id]) => id))
    expect(new Set(listed)).toEqual(new Set(kept))
    const size = counted(data)
    expect(size.events).toBe(kept.length)
    expect(size.bytes).toBe(events.filter((e) => kept.includes(e.id)).reduce((n, e) => n + e.bytes.length, 0))
  })

  it('evicts with every index key: nothing of an evicted event is left in search, hashtags or counts', async () => {
    const { store, data, now } = await myStore({ maxEvents: 10, maxBytes: 1024 * 1024 })
    const first = post(person(), '第一条 a unique word zebrafish #old', now)
    const reaction = createEvent(person().secret, { kind: 'reaction', body: { target: first.id, emoji: '👍' } }, { now: now() })
    await store.ingestEvents([first.bytes, reaction.bytes])
    expect((await store.referenceCounts(first.id)).reactions).toHaveLength(1)
    await flood(store, now, 40)
    expect(await store.getEvent(first.id)).toBeUndefined()
    expect((await store.search('zebrafish')).items).toEqual([])
    expect((await store.hashtag('old')).items).toEqual([])
    expect((await store.referenceCounts(first.id)).reactions).toEqual([])
    for (const [, table] of data.tables) for (const key of table.values.keys()) expect(key).not.toContain(first.id)
  })

  it('is bounded in bytes too', async () => {
    const { store, now } = await myStore({ maxEvents: 10_000, maxBytes: 20_000 })
    const events: SignedEvent[] = []
    for (let i = 0; i < 30; i++) {
      const e = post(person(), `${'长'.repeat(400)} ${i}`, now)
      await store.ingestEvents([e.bytes])
      events.push(e)
    }
    const kept = new Set(await held(store, events))
    const bytes = events.filter((e) => kept.has(e.id)).reduce((n, e) => n + e.bytes.length, 0)
    expect(kept.size).toBeLessThan(events.length)
    expect(bytes).toBeLessThanOrEqual(20_000)
    expect(bytes).toBeGreaterThan(0)
  })

  it('never evicts whom I follow, what concerns me, or what I bookmarked', async () => {
    const { store, data, now } = await myStore({ maxEvents: 20, maxBytes: 1024 * 1024 })
    const me = store.me!
    const friend = person()
    await store.follow(friend.id)
    const mine = (await store.post({ text: 'my post' })).event!
    const friendPosts = Array.from({ length: 30 }, (_, i) => post(friend, `friend ${i}`, now))
    const reply = createEvent(person().secret, { kind: 'post', body: { text: 'a reply to me', reply: { root: mine.id, parent: mine.id } } }, { now: now() })
    const mention = post(person(), 'hello @me', now, { mentions: [me] })
    const bookmarked = post(person(), 'worth keeping', now)
    await store.ingestEvents([...friendPosts, reply, mention, bookmarked].map((e) => e.bytes))
    await store.bookmark(bookmarked.id)
    // someone I follow only after their posts came in as a stranger's
    const later = person()
    const laterPosts = [post(later, 'before you followed me 1', now), post(later, 'before you followed me 2', now)]
    await store.ingestEvents(laterPosts.map((e) => e.bytes))
    await store.follow(later.id)
    await flood(store, now, 100)
    const keep = [...friendPosts, reply, mention, bookmarked, ...laterPosts]
    expect(await held(store, keep)).toEqual(keep.map((e) => e.id))
    expect(await store.getEvent(mine.id)).toBeDefined()
    expect((await store.notifications()).items.length).toBe(2)
    expect(cacheEntries(data)).toBe(counted(data).events)
    expect(counted(data).events).toBeLessThanOrEqual(20)
  })

  it("a retracted event leaves the cache's count with it", async () => {
    const { store, data, now } = await myStore()
    const stranger = createStore({ storage: createMemoryStorage(), secret: person().secret, now })
    await stranger.start()
    const theirs = (await stranger.post({ text: 'soon gone' })).event!
    await store.ingestEvents([theirs.bytes])
    expect(counted(data).events).toBe(1)
    await stranger.retract(theirs.id)
    await store.ingestChanges(await stranger.getChangesSince(stranger.me!, []))
    expect(await store.getEvent(theirs.id)).toBeUndefined()
    expect(counted(data)).toEqual({ events: 0, bytes: 0 })
    expect(cacheEntries(data)).toBe(0)
  })

  it('a store without an identity (a relay) keeps no cache', async () => {
    const data = createMemoryData()
    const now = steppingClock()
    const relay = createStore({ storage: createMemoryStorage({ data }), now, communityCache: { maxEvents: 5, maxBytes: 1024 } })
    await relay.start()
    const events = await flood(relay, now, 30)
    expect(await held(relay, events)).toHaveLength(30)
    expect(cacheEntries(data)).toBe(0)
  })
})
