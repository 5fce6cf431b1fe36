// The defensive readers of what arrives inside feed documents (protocol/lists.md): shared lists
// written by anyone, and the private document written by my own, possibly buggy, devices. Any
// shape must read as "skipped", never throw, and what is read keeps the limits.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toHex } from '../../../src/core/bytes.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { getPublicKey } from '../../../src/core/keys.ts'
import type { SecretKey } from '../../../src/core/types.ts'
import type { FeedDoc } from '../../../src/store/feed-doc.ts'
import { MAX_LISTS_PER_AUTHOR, readLists } from '../../../src/store/lists.ts'
import { readPrivateDoc, type PrivateDoc } from '../../../src/store/private-doc.ts'

const author = encodeDidKey(getPublicKey(new Uint8Array(32).fill(5) as SecretKey))
const listKey = fc.oneof(
  fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => `list/${toHex(b)}`),
  fc.string().map((s) => `list/${s}`),
)
const value = fc.oneof(
  fc.anything(),
  fc.record({
    v: fc.oneof(fc.constant(1), fc.anything()),
    name: fc.oneof(fc.string({ maxLength: 80 }), fc.anything()),
    description: fc.anything(),
    keys: fc.oneof(fc.dictionary(fc.oneof(fc.constant(author), fc.string()), fc.oneof(fc.constant(1), fc.anything())), fc.anything()),
    words: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.constant(1), fc.anything())), fc.anything()),
  }),
)

describe('defensive readers of the private document and shared lists', () => {
  it('readLists: any root keys and values give lists within the limits, never a throw', () => {
    let read = 0
    fc.assert(
      fc.property(fc.array(fc.tuple(listKey, value), { maxLength: 24 }), (entries) => {
        const lists = readLists(author, Object.fromEntries(entries) as unknown as FeedDoc)
        read += lists.length
        expect(lists.length).toBeLessThanOrEqual(MAX_LISTS_PER_AUTHOR)
        for (const l of lists) {
          expect(l.id).toMatch(/^[0-9a-f]{16}$/)
          expect(l.name).not.toBe('')
          expect(l.keys.every((k) => k === author)).toBe(true)
        }
      }),
      { numRuns: 500 },
    )
    // the generator reaches well-formed lists, not only junk
    expect(read).toBeGreaterThan(0)
  })

  it('readPrivateDoc: any maps give a view of valid keys and numbers, never a throw', () => {
    const map = fc.oneof(fc.anything(), fc.dictionary(fc.oneof(fc.constant(author), fc.constant(`${author} 0123456789abcdef`), fc.string()), fc.anything()))
    fc.assert(
      fc.property(fc.record({ v: fc.anything(), follows: map, read: map, subs: map, overrides: map, settings: map }), (doc) => {
        const view = readPrivateDoc(doc as unknown as PrivateDoc)
        for (const [a, since] of view.follows) {
          expect(a).toBe(author)
          expect(Number.isFinite(since)).toBe(true)
        }
        for (const s of view.subscriptions) expect(['mute', 'block']).toContain(s.action)
        expect(typeof view.privateFollows).toBe('boolean')
      }),
      { numRuns: 500 },
    )
  })
})
