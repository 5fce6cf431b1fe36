// Property tests for strict Ed25519 (protocol/identity.md): round trip, single bit flips,
// random inputs, and the two backends agreeing on arbitrary (mostly invalid) inputs.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isWildgrassError, type ErrorCode } from '../../../src/core/errors.ts'
import { getPublicKey, sign, signedBytes, verifySignatureWith, type VerifyBackend } from '../../../src/core/keys.ts'
import type { SecretKey } from '../../../src/core/types.ts'

async function outcome(backend: VerifyBackend, pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<ErrorCode | null> {
  try {
    await verifySignatureWith(backend, pk, msg, sig)
    return null
  } catch (e) {
    if (!isWildgrassError(e)) throw e
    return e.code
  }
}

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 })
const msgArb = fc.uint8Array({ maxLength: 400 })

describe('sign/verify properties', () => {
  it('a signature verifies with both backends', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb, msgArb, async (seed, body) => {
        const msg = signedBytes('wildgrass/event/v1', body)
        const sig = sign(seed as SecretKey, msg)
        const pk = getPublicKey(seed as SecretKey)
        expect(await outcome('webcrypto', pk, msg, sig)).toBe(null)
        expect(await outcome('noble', pk, msg, sig)).toBe(null)
      }),
      { numRuns: 100, seed: 21 },
    )
  })

  it('any single bit flip in message, signature or key fails, with the same code on both backends', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb, msgArb, fc.constantFrom('message', 'signature', 'key'), fc.nat(), async (seed, body, where, bitSeed) => {
        const msg = signedBytes('wildgrass/event/v1', body)
        const sig = sign(seed as SecretKey, msg)
        const pk = getPublicKey(seed as SecretKey).slice()
        const target = where === 'message' ? msg : where === 'signature' ? sig : pk
        const bit = bitSeed % (target.length * 8)
        target[bit >> 3]! ^= 1 << (bit & 7)
        const a = await outcome('webcrypto', pk, msg, sig)
        const b = await outcome('noble', pk, msg, sig)
        expect(a).not.toBe(null)
        expect(a).toBe(b)
      }),
      { numRuns: 300, seed: 22 },
    )
  })

  it('random keys and signatures: both backends give the same answer, always a typed one', async () => {
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(bytes(32), fc.uint8Array({ maxLength: 40 })),
        msgArb,
        fc.oneof(bytes(64), fc.uint8Array({ maxLength: 70 })),
        async (pk, msg, sig) => {
          const a = await outcome('webcrypto', pk, msg, sig)
          const b = await outcome('noble', pk, msg, sig)
          expect(a).toBe(b)
          expect(a).not.toBe(null)
        },
      ),
      { numRuns: 300, seed: 23 },
    )
  })
})
