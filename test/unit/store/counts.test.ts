// The store's own counts: replies, reposts and reactions of an event from its reference index
// (forgetting retracted ones, not counting muted or blocked people), followers from its
// followers index, the quoted/reposted post of a muted author left out, and a database from
// before the reference index indexed once in the background.
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import type { EventId, SignedEvent } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryData, createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { MemoryData } from '../../../src/store/memory-storage.ts'
import type { Store } from '../../../src/store/types.ts'
import { person, steppingClock, type Person } from '../../support/store-people.ts'

const now = steppingClock()
const rootOf = (e: SignedEvent): EventId => (e.kind === 'post' ? e.body.reply?.root : undefined) ?? e.id
const reply = (p: Person, parent: SignedEvent, text: string) =>
  createEvent(p.secret, { kind: 'post', body: { text, reply: { root: rootOf(parent), parent: parent.id } } }, { now: now() })
const react = (p: Person, target: EventId, emoji: string) => createEvent(p.secret, { kind: 'reaction', body: { target, emoji } }, { now: now() })
const repost = (p: Person, target: EventId) => createEvent(p.secret, { kind: 'repost', body: { target } }, { now: now() })

function storeOf(me: Person, data: MemoryData = createMemoryData()): Store {
  return createStore({ storage: createMemoryStorage({ data }), secret: me.secret, now })
}

/** `author`'s own store, whose feed-document changes reach `into` (as sync would bring them) */
async function retractIn(author: Person, authorStore: Store, into: Store, id: EventId): Promise<void> {
  const heads = await into.getHeads(author.id)
  await authorStore.retract(id)
  for (const r of await into.ingestChanges(await authorStore.getChangesSince(author.id, heads))) expect(r.ok).toBe(true)
}

describe('reference counts', () => {
  it('counts replies, reposts and reactions by people, and forgets a retracted one', async () => {
    const [me, alice, bob] = [person(), person(), person()]
    const store = storeOf(me)
    await store.start()
    const root = (await store.post({ text: 'count me' })).event!
    const r1 = reply(alice, root, 'one')
    const r2 = reply(bob, root, 'two')
    const deeper = reply(bob, r1, 'under one') // a reply to the reply: not a direct reply of root
    await store.ingestEvents([r1, r2, deeper].map((e) => e.bytes))
    await store.ingestEvents(
      [react(alice, root.id, '🌱'), react(bob, root.id, '🌱'), react(bob, root.id, '🔥'), react(alice, root.id, '🌱')].map((e) => e.bytes),
    )
    await store.ingestEvents([repost(alice, root.id), repost(bob, root.id), repost(bob, root.id)].map((e) => e.bytes))
    const mine = (await store.react(root.id, '🔥')).event!
    const myRepost = (await store.repost(root.id)).event!
    const counts = await store.referenceCounts(root.id)
    expect(counts.replies).toBe(2)
    expect(counts.reposts).toBe(3) // people, not events: bob reposted twice
    expect(counts.myRepost).toBe(myRepost.id) // what undoing my repost retracts
    expect([...counts.reactions].sort((a, b) => a.emoji.localeCompare(b.emoji))).toEqual(
      [
        { emoji: '🌱', count: 2, mine: false }, // alice reacted twice with the same emoji: one person
        { emoji: '🔥', count: 2, mine: true, myId: mine.id }, // what taking it back retracts
      ].sort((a, b) => a.emoji.localeCompare(b.emoji)),
    )
    expect((await store.referenceCounts(r1.id)).replies).toBe(1)

    // alice deletes her reply: her signed retraction purges it, and the count with it
    const aliceStore = storeOf(alice)
    await aliceStore.ingestEvents([r1.bytes])
    await retractIn(alice, aliceStore, store, r1.id)
    expect(await store.getEvent(r1.id)).toBeUndefined()
    expect((await store.referenceCounts(root.id)).replies).toBe(1)
    await Promise.all([store.close(), aliceStore.close()])
  })

  it('does not count muted or blocked people, and counts them again once unmuted', async () => {
    const [me, alice, bob] = [person(), person(), person()]
    const store = storeOf(me)
    await store.start()
    const root = (await store.post({ text: 'who counts' })).event!
    await store.ingestEvents([reply(alice, root, 'hi'), react(alice, root.id, '👍'), react(bob, root.id, '👍'), repost(bob, root.id)].map((e) => e.bytes))
    await store.mute(alice.id)
    await store.block(bob.id)
    expect(await store.referenceCounts(root.id)).toEqual({ replies: 0, reposts: 0, reactions: [] })
    await store.unmute(alice.id)
    expect(await store.referenceCounts(root.id)).toEqual({ replies: 1, reposts: 0, reactions: [{ emoji: '👍', count: 1, mine: false }] })
    await store.close()
  })

  it('a store without an identity (a relay) keeps no reference index', async () => {
    const [alice, bob] = [person(), person()]
    const store = createStore({ storage: createMemoryStorage(), now })
    const root = createEvent(alice.secret, { kind: 'post', body: { text: 'on a relay' } }, { now: now() })
    await store.ingestEvents([root.bytes, react(bob, root.id, '🌱').bytes])
    expect(await store.referenceCounts(root.id)).toEqual({ replies: 0, reposts: 0, reactions: [] })
    await store.close()
  })

  it('indexes a database written before the reference index, once, and counts from then on', async () => {
    const [me, alice] = [person(), person()]
    const data = createMemoryData()
    const first = storeOf(me, data)
    await first.start()
    const root = (await first.post({ text: 'from an older version' })).event!
    await first.ingestEvents([reply(alice, root, 'old reply').bytes, react(alice, root.id, '🌱').bytes])
    await first.close()
    // what an older version wrote: no reference keys (nor their names in refs), no mark
    const older = createMemoryStorage({ data })
    const keys = await older.rangeKeys('idx', { prefix: `c|` })
    expect(keys.length).toBe(2)
    const refs = await older.range('refs', {})
    await older.write([
      ...keys.map((key) => ({ type: 'delete' as const, table: 'idx' as const, key })),
      { type: 'delete', table: 'meta', key: 'referencesIndexed' },
      ...refs
        .filter((r) => !r.key.startsWith('d|'))
        .map((r) => {
          const value = JSON.parse(new TextDecoder().decode(r.value)) as { k: string[] }
          return {
            type: 'put' as const,
            table: 'refs' as const,
            key: r.key,
            value: new TextEncoder().encode(JSON.stringify({ ...value, k: value.k.filter((k) => !k.startsWith('c|')) })),
          }
        }),
    ])
    await older.close()

    const again = storeOf(me, data)
    expect(await again.referenceCounts(root.id)).toEqual({ replies: 0, reposts: 0, reactions: [] })
    await again.start()
    await again.mute(person().id) // a write: queued after the background indexing's page
    expect(await again.referenceCounts(root.id)).toEqual({ replies: 1, reposts: 0, reactions: [{ emoji: '🌱', count: 1, mine: false }] })
    await again.close()
    const once = createMemoryStorage({ data })
    expect(await once.get('meta', 'referencesIndexed')).toBeDefined()
    await once.close()
  })
})

describe('followers and visible posts', () => {
  it('counts followers from the followers index of the feed documents held', async () => {
    const [me, alice, bob] = [person(), person(), person()]
    const store = storeOf(me)
    for (const p of [alice, bob]) {
      const theirs = storeOf(p)
      await theirs.follow(me.id)
      await store.ingestChanges(await theirs.getChangesSince(p.id, []))
      await theirs.close()
    }
    expect(new Set(await store.getFollowers(me.id))).toEqual(new Set([alice.id, bob.id]))
    await store.close()
  })

  it('getVisibleEvent leaves out the posts of muted and blocked people', async () => {
    const [me, alice, bob] = [person(), person(), person()]
    const store = storeOf(me)
    const hers = createEvent(alice.secret, { kind: 'post', body: { text: 'quoted' } }, { now: now() })
    const his = createEvent(bob.secret, { kind: 'post', body: { text: 'reposted' } }, { now: now() })
    await store.ingestEvents([hers.bytes, his.bytes])
    await store.mute(alice.id)
    await store.block(bob.id)
    expect(await store.getVisibleEvent(hers.id)).toBeUndefined()
    expect(await store.getVisibleEvent(his.id)).toBeUndefined()
    expect((await store.getEvent(hers.id))?.id).toBe(hers.id) // still held: sync serves it
    await store.unmute(alice.id)
    expect((await store.getVisibleEvent(hers.id))?.id).toBe(hers.id)
    await store.close()
  })
})
