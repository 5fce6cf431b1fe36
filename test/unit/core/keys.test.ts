// Every signature vector (protocol/vectors/signatures.json) through every verification entry
// point, with BOTH backends, which must give the same answer and the same code.
import { describe, expect, it } from 'vitest'
import { Point, verify as nobleVerifyZip215 } from '@noble/ed25519'
import vectors from '../../../protocol/vectors/signatures.json' with { type: 'json' }
import { fromHex, toHex } from '../../../src/core/bytes.ts'
import { isWildgrassError, type ErrorCode } from '../../../src/core/errors.ts'
import {
  assertPublicKey,
  generateSecretKey,
  getPublicKey,
  hasWebCryptoEd25519,
  sign,
  signedBytes,
  verifyBatch,
  verifyBatchWith,
  verifySignature,
  verifySignatureWith,
  type VerifyBackend,
} from '../../../src/core/keys.ts'
import { checkCheap, SMALL_ORDER_ENCODINGS_HEX } from '../../../src/core/ed25519-strict.ts'
import type { SecretKey } from '../../../src/core/types.ts'

interface SigVector {
  description: string
  valid: boolean
  publicKeyHex: string
  signedBytesHex: string
  signatureHex: string
  code?: string
  cofactoredAccepts: boolean
}
const cases = vectors as SigVector[]
const BACKENDS: VerifyBackend[] = ['webcrypto', 'noble']

function parts(v: SigVector): { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array } {
  return { publicKey: fromHex(v.publicKeyHex), message: fromHex(v.signedBytesHex), signature: fromHex(v.signatureHex) }
}

async function outcome(p: Promise<void>): Promise<ErrorCode | null> {
  try {
    await p
    return null
  } catch (e) {
    if (isWildgrassError(e)) return e.code
    throw e
  }
}

describe('signature vectors', () => {
  it('covers valid, invalid and every signature code', () => {
    expect(cases.filter((c) => c.valid).length).toBeGreaterThanOrEqual(8)
    const codes = new Set(cases.map((c) => c.code).filter(Boolean))
    expect([...codes].sort()).toEqual(['E_BAD_KEY', 'E_BAD_SIGNATURE', 'E_NON_CANONICAL_SIG', 'E_SMALL_ORDER_KEY'])
  })

  it('the platform has WebCrypto Ed25519 (Node 24), so both backends really run', async () => {
    expect(await hasWebCryptoEd25519()).toBe(true)
  })

  for (const v of cases) {
    const expected = v.valid ? null : v.code
    it(`${v.valid ? 'valid' : v.code}: ${v.description}`, async () => {
      const { publicKey, message, signature } = parts(v)
      for (const backend of BACKENDS) {
        expect(await outcome(verifySignatureWith(backend, publicKey, message, signature)), backend).toBe(expected)
        expect(await verifyBatchWith(backend, [{ publicKey, message, signature }]), backend).toEqual([expected])
      }
      expect(await outcome(verifySignature(publicKey, message, signature))).toBe(expected)
    })
  }

  it('verifyBatch answers all vectors at once, in order, with both backends', async () => {
    const items = cases.map(parts)
    const expected = cases.map((c) => (c.valid ? null : c.code))
    for (const backend of BACKENDS) expect(await verifyBatchWith(backend, items), backend).toEqual(expected)
    expect(await verifyBatch(items)).toEqual(expected)
  })

  it('raw WebCrypto agrees with the vectors wherever our pre-checks let an input through', async () => {
    // Shows that the WebCrypto backend's "yes" is genuinely the platform's answer: every input
    // that passes the cheap byte checks gets the vector's verdict from crypto.subtle itself.
    let checked = 0
    for (const v of cases) {
      const { publicKey, message, signature } = parts(v)
      if (checkCheap(publicKey, signature, message) !== null) continue
      const key = await crypto.subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
      const raw = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)
      expect(raw, v.description).toBe(v.valid)
      checked++
    }
    expect(checked).toBeGreaterThan(12)
  })

  it("noble's default (cofactored, ZIP-215) verify gives the recorded answers: where it differs, strict rules decide", () => {
    let disagreements = 0
    for (const v of cases) {
      const { publicKey, message, signature } = parts(v)
      let zip215 = false
      try {
        zip215 = nobleVerifyZip215(signature, message, publicKey)
      } catch {
        zip215 = false
      }
      expect(zip215, v.description).toBe(v.cofactoredAccepts)
      if (zip215 !== v.valid) disagreements++
    }
    // the torsion, small-order and R = identity vectors
    expect(disagreements).toBeGreaterThanOrEqual(4)
  })
})

describe('sign', () => {
  it('is deterministic RFC 8032: reproduces the RFC 8032 vectors', () => {
    const seeds: Record<string, string> = {
      'TEST 1': '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      'TEST 2': '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      'TEST 3': 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    }
    for (const [name, seedHex] of Object.entries(seeds)) {
      const v = cases.find((c) => c.description.includes(name))!
      const secret = fromHex(seedHex) as SecretKey
      expect(toHex(getPublicKey(secret))).toBe(v.publicKeyHex)
      expect(toHex(sign(secret, fromHex(v.signedBytesHex)))).toBe(v.signatureHex)
    }
  })

  it('signs and verifies a fresh key with both backends', async () => {
    const secret = generateSecretKey()
    const pk = getPublicKey(secret)
    const msg = signedBytes('wildgrass/relay/v1', new Uint8Array([1, 2, 3]))
    const sig = sign(secret, msg)
    expect(sig.length).toBe(64)
    for (const b of BACKENDS) await verifySignatureWith(b, pk, msg, sig)
  })

  it('rejects secret keys that are not 32 bytes', () => {
    expect(() => sign(new Uint8Array(31) as SecretKey, new Uint8Array())).toThrow(/E_BAD_KEY/)
    expect(() => getPublicKey(new Uint8Array(64) as SecretKey)).toThrow(/E_BAD_KEY/)
  })

  it('signedBytes is tag || 0x00 || unsigned', () => {
    expect(toHex(signedBytes('wildgrass/event/v1', Uint8Array.of(0xab)))).toBe(toHex(new TextEncoder().encode('wildgrass/event/v1')) + '00ab')
  })
})

describe('assertPublicKey', () => {
  it('gives the vector code for every public key the vectors reject first', () => {
    for (const v of cases.filter((c) => c.code === 'E_BAD_KEY' || c.code === 'E_SMALL_ORDER_KEY')) {
      expect(() => assertPublicKey(fromHex(v.publicKeyHex)), v.description).toThrow(v.code)
    }
    for (const v of cases.filter((c) => c.valid)) expect(() => assertPublicKey(fromHex(v.publicKeyHex))).not.toThrow()
  })

  it('the small-order table is exactly the 8-torsion subgroup', () => {
    const T = Point.fromBytes(fromHex(SMALL_ORDER_ENCODINGS_HEX[4]!))
    const seen = new Set<string>()
    let P = Point.ZERO
    for (let i = 0; i < 8; i++) {
      seen.add(toHex(P.toBytes()))
      P = P.add(T)
    }
    expect(P.is0()).toBe(true)
    expect([...seen].sort()).toEqual([...SMALL_ORDER_ENCODINGS_HEX].sort())
    for (const h of SMALL_ORDER_ENCODINGS_HEX) expect(Point.fromBytes(fromHex(h)).isSmallOrder()).toBe(true)
  })
})

describe('verifyBatch', () => {
  it('handles an empty batch and a batch larger than its lanes, mixed valid and invalid', async () => {
    expect(await verifyBatch([])).toEqual([])
    const secret = generateSecretKey()
    const pk = getPublicKey(secret)
    const items = Array.from({ length: 700 }, (_, i) => {
      const message = signedBytes('wildgrass/event/v1', Uint8Array.of(i & 0xff, i >> 8))
      const signature = sign(secret, message)
      if (i % 7 === 3) signature[40]! ^= 0x10
      return { publicKey: pk, message, signature }
    })
    const expected = items.map((_, i) => (i % 7 === 3 ? 'E_BAD_SIGNATURE' : null))
    expect(await verifyBatchWith('webcrypto', items)).toEqual(expected)
    expect(await verifyBatch(items)).toEqual(expected)
    expect(await verifyBatchWith('noble', items.slice(0, 50))).toEqual(expected.slice(0, 50))
  })

  it('stays correct past its key cache (4,300 distinct keys, each verified twice, one bad signature per 100)', async () => {
    const items = Array.from({ length: 4300 }, (_, i) => {
      const secret = new Uint8Array(32)
      new DataView(secret.buffer).setUint32(0, i + 1)
      const message = signedBytes('wildgrass/event/v1', Uint8Array.of(i & 0xff))
      const signature = sign(secret as SecretKey, message)
      if (i % 100 === 42) signature[33]! ^= 0x01
      return { publicKey: getPublicKey(secret as SecretKey), message, signature }
    })
    const expected = items.map((_, i) => (i % 100 === 42 ? 'E_BAD_SIGNATURE' : null))
    expect(await verifyBatchWith('webcrypto', items)).toEqual(expected)
    expect(await verifyBatchWith('webcrypto', items.toReversed())).toEqual(expected.toReversed())
  })
})

describe('API misuse', () => {
  it('a message that is not bytes is E_MALFORMED on both backends, never a TypeError', async () => {
    const secret = generateSecretKey()
    const pk = getPublicKey(secret)
    const sig = sign(secret, new Uint8Array(1))
    for (const backend of BACKENDS) {
      await expect(verifySignatureWith(backend, pk, 'text' as unknown as Uint8Array, sig)).rejects.toThrow('E_MALFORMED')
      expect(await verifyBatchWith(backend, [{ publicKey: pk, message: undefined as unknown as Uint8Array, signature: sig }])).toEqual(['E_MALFORMED'])
    }
  })
})
