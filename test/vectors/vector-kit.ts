// Shared pieces of the vector generators: fixed keys, fixed clock, and signing of arbitrary
// (possibly invalid) maps, so that each invalid vector has exactly one defect.
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8Encode } from '../../src/core/bytes.ts'
import { getPublicKey, sign, signedBytes, type SigningTag } from '../../src/core/keys.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { enc } from './raw-cbor.ts'

/** The verifier's clock for every vector: 2026-01-15T12:00:00Z. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
/** A timestamp a minute before NOW. */
export const TS = NOW - 60_000

/** A fixed test key: SHA-256 of its name. Never use these anywhere but in vectors. */
export function testKey(name: string): { secret: SecretKey; publicKey: Uint8Array } {
  const secret = sha256(utf8Encode(`wildgrass-vectors/${name}`)) as SecretKey
  return { secret, publicKey: getPublicKey(secret) }
}

/** Canonical bytes of `unsigned` plus a signature over it with `tag` by `secret`. */
export function signMap(secret: SecretKey, unsigned: Record<string, unknown>, tag: SigningTag): Uint8Array {
  const sig = sign(secret, signedBytes(tag, enc(unsigned)))
  return enc({ ...unsigned, sig })
}

export function hex(b: Uint8Array): string {
  return toHex(b)
}

/** Order of the Ed25519 group: adding it to S keeps the equation true but makes S non-canonical. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n

export function withNonCanonicalS(sig: Uint8Array): Uint8Array {
  let s = 0n
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!)
  s += L
  const out = sig.slice()
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn)
    s >>= 8n
  }
  return out
}

/** The identity point: a small-order public key that must be rejected (identity.md). */
export const SMALL_ORDER_KEY = Uint8Array.from([1, ...new Array<number>(31).fill(0)])

export interface InvalidCase {
  description: string
  valid: false
  code: string
  [k: string]: unknown
}
