import { describe, expect, it } from 'vitest'
import { createPendingChanges } from '../../../src/relay/archive-pending.ts'

const b = (n: number) => ({ bytes: new Uint8Array([n, n + 1]) })

describe('held out-of-order changes', () => {
  it('holds per author, once per change, and gives them back once', () => {
    const p = createPendingChanges()
    p.hold('a', b(1))
    p.hold('a', b(1))
    p.hold('a', b(2))
    p.hold('b', b(3))
    expect(p.size).toBe(3)
    expect(p.take('a')).toEqual([b(1), b(2)])
    expect(p.take('a')).toEqual([])
    expect(p.size).toBe(1)
  })

  it('is bounded per author, in total, and in age', () => {
    let now = 0
    const p = createPendingChanges({ maxPerAuthor: 2, maxTotal: 3, ttlMs: 1000, now: () => now })
    p.hold('a', b(1))
    p.hold('a', b(2))
    p.hold('a', b(3)) // drops a's oldest
    expect(p.size).toBe(2)
    p.hold('b', b(4))
    p.hold('c', b(5)) // over the total: the least recently seen author (a) goes
    expect(p.size).toBeLessThanOrEqual(3)
    expect(p.take('a')).toEqual([])
    now = 5000
    expect(p.take('b')).toEqual([]) // too old
  })
})
