// Edits (protocol/events.md §10) in the store: a post's versions are the post and its own
// author's later edits, newest last; a stranger's "edit" or one dated before the post counts for
// nothing; edits are not timeline items and leave replies, reactions and reposts with the post;
// deleting a post deletes every version, on the author's device and on a reader's.
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { Store } from '../../../src/store/types.ts'
import { person, steppingClock, type Person } from '../../support/store-people.ts'

/** A store of `who`, with what it published since the last delivery: feed changes and events. */
async function storeOf(who: Person, now = steppingClock()): Promise<{ store: Store; changes: Uint8Array[]; events: Uint8Array[] }> {
  const store = createStore({ storage: createMemoryStorage(), secret: who.secret, now })
  await store.start()
  const changes: Uint8Array[] = []
  const events: Uint8Array[] = []
  store.subscribe((c) => {
    if (c.type === 'changes' && c.local) changes.push(...c.envelopes)
    if (c.type === 'events' && c.local) events.push(...c.events.map((e) => e.bytes))
  })
  return { store, changes, events }
}

describe('edits', () => {
  it("a post's versions are the post, then its author's edits, newest last, each signed after the one it replaces", async () => {
    const alice = person()
    // a clock that stands still: the edits are still ordered after the post and each other
    const { store } = await storeOf(alice, () => Date.UTC(2026, 0, 1))
    const post = (await store.post({ text: '今天的猫很可爱' })).event!
    const first = (await store.edit(post.id, { text: '今天的猫很可爱 #猫' })).event!
    const second = (await store.edit(post.id, { text: '今天的貓很可愛 #猫', cw: '猫图' })).event!
    expect(first.ts).toBeGreaterThan(post.ts)
    expect(second.ts).toBeGreaterThan(first.ts)
    expect((await store.versions(post.id)).map((e) => e.id)).toEqual([post.id, first.id, second.id])
    // not timeline items: home and the author's page show the post once
    expect((await store.homeTimeline()).items.map((e) => e.id)).toEqual([post.id])
    expect((await store.authorPosts(alice.id)).items.map((e) => e.id)).toEqual([post.id])
    // found by what the edit says, and by its hashtag
    expect((await store.search('可愛')).items.map((e) => e.id)).toContain(second.id)
    expect((await store.hashtag('猫')).items.map((e) => e.id)).toEqual(expect.arrayContaining([first.id, second.id]))
  })

  it("a stranger's edit, and one dated before the post, count for nothing", async () => {
    const [alice, mallory, reader] = [person(), person(), person()]
    const { store: a } = await storeOf(alice)
    const post = (await a.post({ text: 'the original' })).event!
    const forged = createEvent(
      mallory.secret,
      { kind: 'edit', ts: post.ts + 5000, body: { target: post.id, text: 'rewritten by someone else' } },
      { now: post.ts + 60_000 },
    )
    const early = createEvent(alice.secret, { kind: 'edit', ts: post.ts - 1000, body: { target: post.id, text: 'before the post' } }, { now: post.ts + 60_000 })
    const { store: r } = await storeOf(reader, () => post.ts + 60_000)
    expect((await r.ingestEvents([post.bytes, forged.bytes, early.bytes])).every((x) => x.ok)).toBe(true)
    expect((await r.versions(post.id)).map((e) => e.id)).toEqual([post.id])
    await expect(r.edit(post.id, { text: 'mine now?' })).rejects.toMatchObject({ code: 'E_WRONG_AUTHOR' })
    await expect(a.edit('ab'.repeat(32) as never, { text: 'nothing there' })).rejects.toMatchObject({ code: 'E_BAD_REFERENCE' })
  })

  it('replies, reactions and reposts stay with the post; an edited reply still mentions whom it answers', async () => {
    const [alice, bob] = [person(), person()]
    const { store: a } = await storeOf(alice)
    const { store: b } = await storeOf(bob)
    const post = (await a.post({ text: 'a question' })).event!
    await b.ingestEvents([post.bytes])
    const reply = (await b.reply(post.id, { text: 'an answer' })).event!
    const reaction = (await b.react(post.id, '👍')).event!
    await a.ingestEvents([reply.bytes, reaction.bytes])
    await a.edit(post.id, { text: 'a better question' })
    expect(await a.referenceCounts(post.id)).toMatchObject({ replies: 1, reactions: [{ emoji: '👍', count: 1 }] })
    const edited = (await b.edit(reply.id, { text: 'a better answer' })).event!
    expect(edited.kind === 'edit' && edited.body.mentions).toEqual([alice.id])
  })

  it('deleting a post deletes every version, on the author’s device and on a reader’s', async () => {
    const [alice, reader] = [person(), person()]
    const { store: a, changes, events } = await storeOf(alice)
    const post = (await a.post({ text: 'v1' })).event!
    const v2 = (await a.edit(post.id, { text: 'v2' })).event!
    const { store: r } = await storeOf(reader)
    await r.follow(alice.id)
    await r.ingestChanges(changes.splice(0))
    await r.ingestEvents(events.splice(0))
    expect((await r.versions(post.id)).map((e) => e.id)).toEqual([post.id, v2.id])
    await a.retract(post.id)
    expect(await a.versions(post.id)).toEqual([])
    expect(await a.getEvent(v2.id)).toBeUndefined()
    await r.ingestChanges(changes.splice(0))
    expect(await r.versions(post.id)).toEqual([])
    expect(await r.getEvent(v2.id)).toBeUndefined()
    // and neither comes back
    expect(await r.ingestEvents([v2.bytes])).toMatchObject([{ ok: false, code: 'E_RETRACTED' }])
  })
})
