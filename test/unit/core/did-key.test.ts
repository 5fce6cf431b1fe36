// did:key (protocol/identity.md "did:key") against protocol/vectors/identity.json, plus properties.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import vectors from '../../../protocol/vectors/identity.json' with { type: 'json' }
import { fromHex, toHex } from '../../../src/core/bytes.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { decodeDidKey, encodeDidKey, isAuthorId } from '../../../src/core/did-key.ts'
import { getPublicKey } from '../../../src/core/keys.ts'
import type { PublicKey, SecretKey } from '../../../src/core/types.ts'

interface Case {
  type: string
  description: string
  valid: boolean
  didKey?: string
  publicKeyHex?: string
  seedHex?: string
  code?: string
}
const cases = vectors as Case[]

describe('did:key vectors', () => {
  for (const v of cases.filter((c) => c.didKey !== undefined)) {
    it(`${v.valid ? 'valid' : v.code}: ${v.description}`, () => {
      if (v.valid) {
        expect(toHex(decodeDidKey(v.didKey!))).toBe(v.publicKeyHex)
        expect(encodeDidKey(fromHex(v.publicKeyHex!) as PublicKey)).toBe(v.didKey)
        expect(isAuthorId(v.didKey!)).toBe(true)
      } else {
        expect(() => decodeDidKey(v.didKey!)).toThrow(v.code)
        expect(isAuthorId(v.didKey!)).toBe(false)
      }
    })
  }

  it('identities derive the recorded key and did:key, which starts z6Mk', () => {
    for (const v of cases.filter((c) => c.type === 'identity')) {
      const pk = getPublicKey(fromHex(v.seedHex!) as SecretKey)
      expect(toHex(pk)).toBe(v.publicKeyHex)
      expect(encodeDidKey(pk)).toBe(v.didKey)
      expect(v.didKey!.startsWith('did:key:z6Mk')).toBe(true)
    }
  })

  it('encodeDidKey refuses a small-order key', () => {
    expect(() => encodeDidKey(new Uint8Array(32) as PublicKey)).toThrow('E_SMALL_ORDER_KEY')
  })
})

describe('did:key properties', () => {
  it('round-trips any generated key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const pk = getPublicKey(seed as SecretKey)
        expect(toHex(decodeDidKey(encodeDidKey(pk)))).toBe(toHex(pk))
      }),
      { numRuns: 300, seed: 42 },
    )
  })

  it('random strings only ever produce WildgrassError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `did:key:z${s}`),
          fc.stringMatching(/^did:key:z[1-9A-HJ-NP-Za-km-z]{40,50}$/),
        ),
        (s) => {
          try {
            decodeDidKey(s)
          } catch (e) {
            expect(isWildgrassError(e)).toBe(true)
          }
        },
      ),
      { numRuns: 2000, seed: 7 },
    )
  })
})
