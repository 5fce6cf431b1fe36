// The Node signature backend of the gossip validators (src/net/verify-node.ts) gives core's
// answer and core's error code on every signature vector of protocol/vectors/signatures.json,
// and on random valid and tampered signatures (protocol/identity.md, "Strict verification").
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createEvent, fromHex, generateSecretKey, getPublicKey, sign, signedBytes, verifySignatureWith } from '../../../src/core/index.ts'
import type { ErrorCode } from '../../../src/core/index.ts'
import { createNodeVerifier } from '../../../src/net/verify-node.ts'

interface SignatureCase {
  type: string
  description: string
  valid: boolean
  code?: string
  publicKeyHex: string
  signedBytesHex: string
  signatureHex: string
}

const cases = (JSON.parse(readFileSync(new URL('../../../protocol/vectors/signatures.json', import.meta.url), 'utf8')) as SignatureCase[]).filter(
  (c) => c.type === 'signature',
)

async function coreCode(backend: 'noble' | 'webcrypto', pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<ErrorCode | null> {
  try {
    await verifySignatureWith(backend, pk, msg, sig)
    return null
  } catch (e) {
    return (e as { code: ErrorCode }).code
  }
}

describe('createNodeVerifier', () => {
  it('gives every signature vector its answer and code, as core does', async () => {
    expect(cases.length).toBeGreaterThan(40)
    const verifier = createNodeVerifier()
    for (const c of cases) {
      const pk = fromHex(c.publicKeyHex)
      const msg = fromHex(c.signedBytesHex)
      const sig = fromHex(c.signatureHex)
      // twice: the second run goes through the key cache
      for (let round = 0; round < 2; round++) {
        const code = verifier.verify(pk, msg, sig)
        expect(code, c.description).toBe(c.valid ? null : c.code)
        expect(code, c.description).toBe(await coreCode('noble', pk, msg, sig))
      }
    }
  })

  it('agrees with core on random valid and tampered signatures', async () => {
    const verifier = createNodeVerifier({ cacheSize: 4 })
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(64 * 8 + 32 * 8),
        fc.boolean(),
        async (seed, message, bit, tamper) => {
          const pk = getPublicKey(seed as never)
          const msg = signedBytes('wildgrass/event/v1', message)
          const sig = sign(seed as never, msg)
          const key = pk.slice()
          const s = sig.slice()
          if (tamper) {
            // flip one bit of the signature, or of the key
            if (bit < 512) s[bit >> 3]! ^= 1 << (bit & 7)
            else key[(bit - 512) >> 3]! ^= 1 << (bit & 7)
          }
          const code = verifier.verify(key, msg, s)
          expect(code).toBe(await coreCode('noble', key, msg, s))
          expect(code).toBe(await coreCode('webcrypto', key, msg, s))
          if (!tamper) expect(code).toBe(null)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('rejects a valid signature over other bytes and refuses non-bytes with a code', () => {
    const secret = generateSecretKey()
    const event = createEvent(secret, { kind: 'post', body: { text: 'hello' } })
    const verifier = createNodeVerifier()
    const pk = getPublicKey(secret)
    const msg = signedBytes('wildgrass/event/v1', new Uint8Array([1, 2, 3]))
    expect(verifier.verify(pk, msg, sign(secret, msg))).toBe(null)
    expect(verifier.verify(pk, signedBytes('wildgrass/event/v1', new Uint8Array([1, 2, 4])), sign(secret, msg))).toBe('E_BAD_SIGNATURE')
    expect(verifier.verify(pk, msg, event.sig.subarray(0, 63))).toBe('E_BAD_SIGNATURE')
    expect(verifier.verify(pk.subarray(0, 31), msg, sign(secret, msg))).toBe('E_BAD_KEY')
  })
})
