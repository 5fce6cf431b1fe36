// The times a device signs are whole seconds (protocol/events.md §8), raised by a millisecond
// only where order needs it: two events of mine in one second, a reply to a post signed later
// within the second it was answered in.
import { expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { person } from '../../support/store-people.ts'

const NOON = Date.UTC(2026, 5, 1, 12, 0, 0)

it('posts carry whole seconds; two in one second keep their order; a reply comes after its parent', async () => {
  let now = NOON + 734
  const store = createStore({ storage: createMemoryStorage(), secret: person().secret, now: () => now })
  await store.start()
  const first = (await store.post({ text: 'first' })).event!
  expect(first.ts).toBe(NOON)
  now += 100 // still 12:00:00
  const second = (await store.post({ text: 'second' })).event!
  expect(second.ts).toBe(NOON + 1)
  expect((await store.homeTimeline()).items.map((e) => (e.kind === 'post' ? e.body.text : ''))).toEqual(['second', 'first'])
  now = NOON + 5_000 + 250
  const third = (await store.post({ text: 'third' })).event!
  expect(third.ts).toBe(NOON + 5_000)

  // someone else's post, signed with milliseconds late in a second I answer it in
  const theirs = createEvent(person().secret, { kind: 'post', ts: NOON + 9_999, body: { text: 'theirs' } }, { now: NOON + 9_999 })
  await store.ingestEvents([theirs.bytes])
  now = NOON + 9_999
  const reply = (await store.reply(theirs.id, { text: 'an answer' })).event!
  expect(reply.ts).toBe(NOON + 10_000)
  expect((await store.thread(theirs.id)).items.map((e) => e.id)).toEqual([theirs.id, reply.id])
})
