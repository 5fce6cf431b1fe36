// Byte helpers (protocol/conventions.md "Encodings").
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { concatBytes, equalBytes, fromBase64Url, fromHex, toBase64Url, toHex, utf8Decode, utf8Encode } from '../../../src/core/bytes.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'

describe('hex', () => {
  it('encodes lowercase and decodes either case', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff')
    expect(fromHex('0001ABff')).toEqual(Uint8Array.of(0, 1, 0xab, 0xff))
    expect(fromHex('')).toEqual(new Uint8Array(0))
  })
  it('rejects odd length, non-hex digits, prefixes and whitespace with E_MALFORMED', () => {
    for (const s of ['0', 'zz', '0x00', ' 00', '00 ', 'g0', '０٠']) expect(() => fromHex(s), s).toThrow('E_MALFORMED')
  })
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b)
      }),
      { seed: 1 },
    )
  })
})

describe('base64url', () => {
  it('is unpadded RFC 4648 section 5', () => {
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8')
    expect(fromBase64Url('-_8')).toEqual(Uint8Array.of(0xfb, 0xff))
  })
  it('rejects padding, the standard alphabet, whitespace, bad lengths and non-zero trailing bits', () => {
    for (const s of ['-_8=', '+/8', '-_ 8', 'A', 'AB', 'AR']) expect(() => fromBase64Url(s), s).toThrow('E_MALFORMED')
  })
  it('round-trips, and random text only ever gives E_MALFORMED', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(fromBase64Url(toBase64Url(b))).toEqual(b)
      }),
      { seed: 2 },
    )
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          fromBase64Url(s)
        } catch (e) {
          expect(isWildgrassError(e, 'E_MALFORMED')).toBe(true)
        }
      }),
      { seed: 3, numRuns: 2000 },
    )
  })
})

describe('utf8', () => {
  it('round-trips text including CJK, emoji and a leading BOM', () => {
    for (const s of ['', '野草 grass 🌱', '\ufeffbom kept']) expect(utf8Decode(utf8Encode(s))).toBe(s)
  })
  it('random bytes either decode to text that re-encodes to the same bytes, or give E_BAD_TEXT', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        let s: string
        try {
          s = utf8Decode(b)
        } catch (e) {
          expect(isWildgrassError(e, 'E_BAD_TEXT')).toBe(true)
          return
        }
        expect(utf8Encode(s)).toEqual(b)
      }),
      { seed: 4, numRuns: 5000 },
    )
  })
  it('rejects invalid UTF-8 with E_BAD_TEXT (no U+FFFD substitution)', () => {
    for (const b of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe6, 0x97]]) expect(() => utf8Decode(Uint8Array.from(b))).toThrow('E_BAD_TEXT')
  })
})

describe('concat and equal', () => {
  it('concatenates in order and compares by content', () => {
    const c = concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))
    expect(c).toEqual(Uint8Array.of(1, 2, 3))
    expect(equalBytes(c, Uint8Array.of(1, 2, 3))).toBe(true)
    expect(equalBytes(c, Uint8Array.of(1, 2, 4))).toBe(false)
    expect(equalBytes(c, Uint8Array.of(1, 2))).toBe(false)
  })
})
