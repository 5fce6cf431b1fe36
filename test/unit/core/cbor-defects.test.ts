// The decoding rules of protocol/conventions.md as src/core/cbor-defects.ts applies them. They
// must accept exactly what "decodes and re-encodes to itself" accepts, minus what protocol v1
// forbids on top (floats, tags, nesting beyond 16): checked against @ipld/dag-cbor on every
// vector and on mutations. The codes themselves are pinned by protocol/vectors/events.json.
import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { equalBytes, fromHex } from '../../../src/core/bytes.ts'
import { decodeCertainlyCanonical } from '../../../src/core/cbor-canonical.ts'
import { isPlainMap } from '../../../src/core/cbor.ts'
import { findCborDefect } from '../../../src/core/cbor-defects.ts'
import { MAX_CBOR_DEPTH } from '../../../src/core/limits.ts'
import { forEachMutation, vectorObjects } from '../../support/cbor-samples.ts'

/** What protocol v1 forbids although DAG-CBOR allows it: non-integral floats, links (tag 42), deep nesting. */
function beyondV1(value: unknown, depth = 0): boolean {
  if (depth > MAX_CBOR_DEPTH) return true
  // integers beyond 2^53 decode as BigInt, so a number that is not a safe integer was a float
  if (typeof value === 'number') return !Number.isSafeInteger(value)
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false
  if (Array.isArray(value)) return value.some((v) => beyondV1(v, depth + 1))
  if (Object.getPrototypeOf(value) !== Object.prototype) return true // a CID
  return Object.values(value).some((v) => beyondV1(v, depth + 1))
}

/** The old definition: one DAG-CBOR map that re-encodes to exactly these bytes. */
function reencodesToItself(bytes: Uint8Array): { ok: boolean; value?: unknown } {
  try {
    const value: unknown = dagCbor.decode(bytes)
    const isMap = typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
    return { ok: isMap && equalBytes(dagCbor.encode(value), bytes), value }
  } catch {
    return { ok: false }
  }
}

function agrees(bytes: Uint8Array): void {
  const defect = findCborDefect(bytes, true)
  const old = reencodesToItself(bytes)
  const hex = Buffer.from(bytes).toString('hex')
  if (defect === undefined) expect(old.ok, `accepted, but does not re-encode to itself: ${hex}`).toBe(true)
  else if (old.ok) expect(beyondV1(old.value), `rejected (${defect.code}) a plain canonical map: ${hex}`).toBe(true)
  // decodeCanonicalMap takes the fast path's answer only for a map
  if (isPlainMap(decodeCertainlyCanonical(bytes))) expect(defect, `the fast path took what the rules reject: ${hex}`).toBeUndefined()
  // a frame may have any key order: everything canonical is a valid frame, and the defects are the same but for order
  const transport = findCborDefect(bytes, false)
  if (defect === undefined) expect(transport).toBeUndefined()
  else if (transport === undefined) expect(defect.code).toBe('E_NON_CANONICAL')
  else expect(transport).toEqual(defect)
}

describe('findCborDefect', () => {
  it('agrees with "re-encodes to itself" on every vector', () => {
    const vectors = vectorObjects()
    expect(vectors.length).toBeGreaterThan(200)
    for (const { bytes } of vectors) agrees(bytes)
  })

  it('agrees on 200,000 mutations of valid objects', async () => {
    let accepted = 0
    await forEachMutation(515151, 200_000, (input) => {
      agrees(input)
      if (findCborDefect(input, true) === undefined) accepted++
    })
    expect(accepted).toBeGreaterThan(1000)
  }, 120_000)

  it.each([
    ['unsorted keys', 'a2616201616102', 'E_NON_CANONICAL', undefined],
    ['a duplicate key', 'a2616101616102', 'E_MALFORMED', 'E_MALFORMED'],
    ['a BOM-led text', 'a1616163efbbbf', 'E_BAD_TEXT', 'E_BAD_TEXT'],
    ['a non-minimal head', 'a16161180a', 'E_NON_CANONICAL', 'E_NON_CANONICAL'],
    ['true, false and null', 'a36161f56162f46163f6', undefined, undefined],
    ['an integer of 64 bits', 'a161611bffffffffffffffff', undefined, undefined],
    ['a negative integer of 64 bits', 'a161613bffffffffffffffff', undefined, undefined],
    ['a map head of four bytes holding 1', 'ba00000001', 'E_NON_CANONICAL', 'E_NON_CANONICAL'],
    ['a map claiming 2^32 entries, minimal', 'bb0000000100000000', 'E_TRUNCATED', 'E_TRUNCATED'],
    ['a string claiming 2^63 bytes', 'a161617b8000000000000000', 'E_TRUNCATED', 'E_TRUNCATED'],
  ])('%s', (_name, input, canonical, transport) => {
    const bytes = fromHex(input)
    expect(findCborDefect(bytes, true)?.code).toBe(canonical)
    expect(findCborDefect(bytes, false)?.code).toBe(transport)
  })

  it('reads 1 MiB of nested arrays without recursion', () => {
    const deep = new Uint8Array(1024 * 1024).fill(0x81)
    deep[0] = 0xa1
    deep[1] = 0x61
    deep[2] = 0x61
    expect(findCborDefect(deep, false)?.code).toBe('E_MALFORMED')
  })
})
