// The one-pass canonical check (src/core/cbor-canonical.ts) may only ever spare work: whenever it
// says "certainly canonical", re-encoding the decoded value must give the same bytes. Checked on
// every vector, on random values, and on mutations of valid objects; plus each "not sure" case.
import * as dagCbor from '@ipld/dag-cbor'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { equalBytes, fromHex } from '../../../src/core/bytes.ts'
import { decodeCertainlyCanonical } from '../../../src/core/cbor-canonical.ts'

const isSurelyCanonical = (bytes: Uint8Array): boolean => decodeCertainlyCanonical(bytes) !== undefined
import { forEachMutation, vectorObjects } from '../../support/cbor-samples.ts'

/**
 * The property: when the one-pass decoder is certain, the generic decoder gives the same value
 * and re-encoding that value gives the same bytes.
 */
function sound(bytes: Uint8Array): boolean {
  const certain = decodeCertainlyCanonical(bytes)
  if (certain === undefined) return true
  const value: unknown = dagCbor.decode(bytes) // throws (failing the test) if it disagrees that far
  expect(certain).toStrictEqual(value)
  return equalBytes(dagCbor.encode(value), bytes)
}

const hex = (s: string): Uint8Array => fromHex(s.replace(/\s/g, ''))

describe('decodeCertainlyCanonical', () => {
  it('is sound and takes the fast path on every valid vector', () => {
    const vectors = vectorObjects()
    expect(vectors.length).toBeGreaterThan(100)
    for (const { bytes, valid } of vectors) {
      expect(sound(bytes)).toBe(true)
      if (valid) expect(isSurelyCanonical(bytes), 'a valid object missed the fast path').toBe(true)
    }
  })

  it('is sound on 200,000 mutations of valid objects (same value as @ipld/dag-cbor, same bytes again)', async () => {
    let surely = 0
    await forEachMutation(424242, 200_000, (input) => {
      if (isSurelyCanonical(input)) surely++
      if (!sound(input)) throw new Error(`unsound on ${Buffer.from(input).toString('hex')}`)
    })
    expect(surely).toBeGreaterThan(1000) // the mutator still produces canonical inputs too
  }, 120_000)

  it('says yes to the encoding of random values of the subset, and is sound on any value', () => {
    const key = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
    const leaf = fc.oneof(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 40 }))
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
    }))
    fc.assert(
      fc.property(tree, (value) => {
        const bytes = dagCbor.encode(value)
        const keys = JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v))
        // "__proto__" and text starting with a BOM are deliberately "not sure"
        if (!keys.includes('__proto__') && !keys.includes('\ufeff')) expect(isSurelyCanonical(bytes)).toBe(true)
        expect(sound(bytes)).toBe(true)
      }),
      { seed: 7, numRuns: 3000 },
    )
    const any = fc.jsonValue().map((v) => dagCbor.encode(v))
    fc.assert(
      fc.property(any, (bytes) => sound(bytes)),
      { seed: 8, numRuns: 3000 },
    )
  })

  it.each([
    ['a map', 'a1616101', true],
    ['a 53-bit timestamp', 'a16274731b0000019bc14f0520', true],
    ['non-minimal integer', 'a16161180a', false],
    ['non-minimal length', 'a1616158020102', false],
    ['keys out of order (longer first)', 'a2626262016161 02', false],
    ['keys out of order (bytewise)', 'a2616201616102', false],
    ['duplicate key', 'a2616101616102', false],
    ['text starting with a BOM', 'a1616163efbbbf', false],
    ['overlong UTF-8', 'a1616162c0af', false],
    ['UTF-8 surrogate', 'a1616163eda080', false],
    ['UTF-8 above U+10FFFF', 'a1616164f4908080', false],
    ['cut UTF-8 sequence', 'a1616162e4b8', false],
    ['trailing byte', 'a161610100', false],
    ['truncated', 'a1616101a1', false],
    ['a tag', 'a16161c240', false],
    ['a float', 'a16161fb3ff0000000000000', false],
    ['true', 'a16161f5', false],
    ['an empty key', 'a16001', false],
    ['"__proto__" as a key', 'a1695f5f70726f746f5f5f01', false],
    ['an integer beyond 2^53', 'a161611b0020000000000000', false],
    ['indefinite length', 'a161619f01ff', false],
    ['nesting deeper than 16', `a16161${'81'.repeat(20)}01`, false],
  ])('%s → %s', (_name, input, expected) => {
    const bytes = hex(input)
    expect(isSurelyCanonical(bytes)).toBe(expected)
    expect(sound(bytes)).toBe(true)
  })
})
