// The signature vectors through WebCrypto in real Chromium (BoringSSL), and through the noble
// backend in the same page: both must give the vector's answer and code (protocol/identity.md).
import { describe, expect, it } from 'vitest'
import vectors from '../../protocol/vectors/signatures.json' with { type: 'json' }
import identity from '../../protocol/vectors/identity.json' with { type: 'json' }
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { isWildgrassError, type ErrorCode } from '../../src/core/errors.ts'
import {
  generateSecretKey,
  getPublicKey,
  hasWebCryptoEd25519,
  sign,
  signedBytes,
  verifyBatch,
  verifyBatchWith,
  verifySignatureWith,
} from '../../src/core/keys.ts'
import { checkCheap } from '../../src/core/ed25519-strict.ts'
import { decodeDidKey } from '../../src/core/did-key.ts'
import { phraseToSecretKey } from '../../src/core/phrase.ts'

interface SigVector {
  description: string
  valid: boolean
  publicKeyHex: string
  signedBytesHex: string
  signatureHex: string
  code?: string
}
const cases = vectors as SigVector[]
const parts = (v: SigVector) => ({ publicKey: fromHex(v.publicKeyHex), message: fromHex(v.signedBytesHex), signature: fromHex(v.signatureHex) })

describe('Ed25519 in Chromium', () => {
  it('Chromium has WebCrypto Ed25519', async () => {
    expect(await hasWebCryptoEd25519()).toBe(true)
  })

  it('every signature vector gives the same answer with both backends', async () => {
    for (const v of cases) {
      const { publicKey, message, signature } = parts(v)
      for (const backend of ['webcrypto', 'noble'] as const) {
        let got: ErrorCode | null = null
        try {
          await verifySignatureWith(backend, publicKey, message, signature)
        } catch (e) {
          if (!isWildgrassError(e)) throw e
          got = e.code
        }
        expect(got, `${backend}: ${v.description}`).toBe(v.valid ? null : v.code)
      }
    }
    expect(await verifyBatch(cases.map(parts))).toEqual(cases.map((c) => (c.valid ? null : c.code)))
  })

  it('raw BoringSSL agrees with the vectors wherever our byte checks let an input through', async () => {
    let checked = 0
    for (const v of cases) {
      const { publicKey, message, signature } = parts(v)
      if (checkCheap(publicKey, signature, message) !== null) continue
      const key = await crypto.subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
      expect(
        await crypto.subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>),
        v.description,
      ).toBe(v.valid)
      checked++
    }
    expect(checked).toBeGreaterThan(12)
  })

  it('signs, batch-verifies 500 fresh signatures, restores phrases and decodes did:keys', async () => {
    const secret = generateSecretKey()
    const publicKey = getPublicKey(secret)
    const items = Array.from({ length: 500 }, (_, i) => {
      const message = signedBytes('wildgrass/event/v1', Uint8Array.of(i & 0xff, i >> 8))
      return { publicKey, message, signature: sign(secret, message) }
    })
    expect((await verifyBatchWith('webcrypto', items)).every((r) => r === null)).toBe(true)
    for (const v of identity as Array<{ type: string; seedHex?: string; publicKeyHex?: string; didKey?: string; phrases?: Record<string, string> }>) {
      if (v.type !== 'identity') continue
      expect(toHex(decodeDidKey(v.didKey!))).toBe(v.publicKeyHex)
      for (const p of Object.values(v.phrases!)) expect(toHex(phraseToSecretKey(p).secret)).toBe(v.seedHex)
    }
  })
})
