// The unread count's memory (src/app/lib/seen-notifications.ts): two notifications in one second
// are two, and what preferences kept before (the newest time alone) still reads.
import { describe, expect, it } from 'vitest'
import { countUnseen, markSeen, NOTHING_SEEN, parseSeen } from '../../../src/app/lib/seen-notifications.ts'

describe('seen notifications', () => {
  it('a notification of the same second as the newest seen is unseen until it was shown', () => {
    const first = { ts: 5_000 }
    const seen = markSeen(NOTHING_SEEN, [first])
    expect(seen).toEqual({ ts: 5_000, atTs: 1 })
    const second = { ts: 5_000 }
    expect(countUnseen([second, first], seen)).toBe(1)
    const both = markSeen(seen, [second, first])
    expect(both).toEqual({ ts: 5_000, atTs: 2 })
    expect(countUnseen([second, first], both)).toBe(0)
    expect(markSeen(both, [first, second])).toBe(both) // nothing new: nothing to save
    const later = markSeen(both, [{ ts: 6_000 }, second, first])
    expect(later).toEqual({ ts: 6_000, atTs: 1 })
    expect(countUnseen([{ ts: 4_000 }, { ts: 6_000 }, { ts: 7_000 }], later)).toBe(1)
  })

  it('reads the JSON it writes, the bare time kept before (all of it seen), and nothing from junk', () => {
    expect(parseSeen(JSON.stringify({ ts: 7, atTs: 2 }))).toEqual({ ts: 7, atTs: 2 })
    const before = parseSeen('1767225600000')
    expect(countUnseen([{ ts: 1767225600000 }, { ts: 1767225600000 }], before)).toBe(0)
    for (const junk of [null, '', 'nope', '{"ts":"1"}', '[1,2]', '{"ts":1}']) expect(parseSeen(junk)).toEqual(NOTHING_SEEN)
  })
})
