// Small state holders of src/net: omission tracking and the subscribable status value.
import { describe, expect, it } from 'vitest'
import { createMissingTracker } from '../../../src/net/sync/missing-tracker.ts'
import { createWritable } from '../../../src/net/status.ts'
import type { AuthorId, EventId } from '../../../src/core/index.ts'

const alice = 'did:key:z6MkA' as AuthorId
const id = (n: number): EventId => n.toString(16).padStart(64, '0') as EventId

describe('missing tracker', () => {
  it('counts per author and notifies on change only', () => {
    const t = createMissingTracker()
    const seen: Array<[string, number]> = []
    const off = t.subscribe((a, n) => seen.push([a, n]))
    expect(t.count(alice)).toBe(0)
    t.set(alice, [id(1), id(2)])
    t.set(alice, [id(3), id(4)]) // same count: no notification
    expect(t.ids(alice)).toEqual([id(3), id(4)])
    expect(t.authors()).toEqual([alice])
    t.set(alice, [])
    expect(t.count(alice)).toBe(0)
    expect(t.authors()).toEqual([])
    off()
    t.set(alice, [id(9)])
    expect(seen).toEqual([
      [alice, 2],
      [alice, 0],
    ])
  })
})

describe('writable status', () => {
  it('notifies subscribers of changed values only', () => {
    const w = createWritable({ n: 1 }, (a, b) => a.n === b.n)
    const got: number[] = []
    const off = w.subscribe((v) => got.push(v.n))
    w.set({ n: 1 })
    w.set({ n: 2 })
    off()
    w.set({ n: 3 })
    expect(got).toEqual([2])
    expect(w.get().n).toBe(3)
  })
})
