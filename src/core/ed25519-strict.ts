// Strict Ed25519 rules shared by both verification backends (protocol/identity.md, "Strict
// verification"). The cheap byte checks run before any verifier; the full, ordered check with
// point decoding runs in the noble backend and whenever a fast check or WebCrypto says "no",
// so that both backends report the same code for every input.

import { Point, hashes } from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import type { ErrorCode } from './errors.ts'
import { concatBytes, toHex } from './bytes.ts'

// noble's synchronous API needs a SHA-512; setting it is idempotent (same function every time).
hashes.sha512 = sha512

/** Group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 section 5.1). */
export const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n

/** L in little-endian bytes, for the byte-wise S < L check. */
const L_BYTES = (() => {
  const out = new Uint8Array(32)
  let n = GROUP_ORDER
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn)
    n >>= 8n
  }
  return out
})()

/**
 * The canonical encodings of the 8 points of small order (the torsion subgroup E[8]).
 * Non-canonical encodings of the same points (y >= p, or x = 0 with the sign bit) are already
 * rejected by the canonical-encoding check, so comparing against these 8 is complete.
 */
export const SMALL_ORDER_ENCODINGS_HEX: readonly string[] = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity (0, 1)
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2 (0, -1)
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4 (sqrt(-1), 0)
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4 (-sqrt(-1), 0)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
]
const SMALL_ORDER = new Set(SMALL_ORDER_ENCODINGS_HEX)

/**
 * True when 32 bytes are a canonical encoding as far as bytes alone can tell: y < p, and not
 * (x = 0 with the sign bit set). x = 0 exactly when y = 1 or y = p - 1. Whether the point is
 * on the curve needs a square root and is checked separately.
 */
export function isCanonicalEncoding(b: Uint8Array): boolean {
  if (b.length !== 32) return false
  const top = b[31]! & 0x7f
  const sign = b[31]! & 0x80
  let middleAllFf = true // bytes 1..30 all 0xff
  let middleAllZero = true // bytes 1..30 all 0x00
  for (let i = 1; i < 31; i++) {
    if (b[i] !== 0xff) middleAllFf = false
    if (b[i] !== 0) middleAllZero = false
  }
  // y >= p = 2^255 - 19: top bits all ones, middle all 0xff, low byte >= 0xed
  if (top === 0x7f && middleAllFf && b[0]! >= 0xed) return false
  if (sign !== 0) {
    if (top === 0 && middleAllZero && b[0] === 1) return false // y = 1, x = 0, sign set
    if (top === 0x7f && middleAllFf && b[0] === 0xec) return false // y = p - 1, x = 0, sign set
  }
  return true
}

// First bytes of the 8 encodings: a one-byte test spares the hex conversion on the hot path.
const SMALL_ORDER_FIRST_BYTES = new Set(SMALL_ORDER_ENCODINGS_HEX.map((h) => parseInt(h.slice(0, 2), 16)))

export function isSmallOrderEncoding(b: Uint8Array): boolean {
  return b.length === 32 && SMALL_ORDER_FIRST_BYTES.has(b[0]!) && SMALL_ORDER.has(toHex(b))
}

/** S < L, reading S as a 32-byte little-endian integer (signature bytes 32..63). */
export function isCanonicalScalar(sig: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = sig[32 + i]!
    const l = L_BYTES[i]!
    if (s < l) return true
    if (s > l) return false
  }
  return false // S === L
}

/** Strict decoding of a point already known to be canonically encoded; null when not on the curve. */
function decodePoint(b: Uint8Array): Point | null {
  try {
    return Point.fromBytes(b, false)
  } catch {
    return null
  }
}

// Keys already found valid. The on-curve test needs a square root (~45 us in JS, measured),
// paid on every did:key decode; a feed names the same few authors again and again. Only valid
// keys are remembered, in a bounded LRU (a Map keeps insertion order).
const VALID_KEY_CACHE_LIMIT = 8192
const validKeys = new Map<string, true>()

function rememberValidKey(id: string): void {
  validKeys.set(id, true)
  if (validKeys.size > VALID_KEY_CACHE_LIMIT) {
    const oldest = validKeys.keys().next().value
    if (oldest !== undefined) validKeys.delete(oldest)
  }
}

/** The public-key half of the rules, in spec order. null when the key is acceptable. */
export function checkPublicKey(publicKey: Uint8Array): ErrorCode | null {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return 'E_BAD_KEY'
  const id = toHex(publicKey)
  if (validKeys.has(id)) {
    validKeys.delete(id)
    validKeys.set(id, true)
    return null
  }
  if (!isCanonicalEncoding(publicKey)) return 'E_BAD_KEY'
  if (isSmallOrderEncoding(publicKey)) return 'E_SMALL_ORDER_KEY'
  if (decodePoint(publicKey) === null) return 'E_BAD_KEY'
  rememberValidKey(id)
  return null
}

/**
 * The checks that need no point decoding, in spec order (steps 1-3 and 5-8 of identity.md).
 * null means "passes the cheap checks"; a code means the input is certainly rejected, though
 * the code may still be refined by {@link classifyStrict} (an off-curve A comes first).
 */
export function checkCheap(publicKey: Uint8Array, signature: Uint8Array, message: unknown): ErrorCode | null {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return 'E_BAD_KEY'
  if (!isCanonicalEncoding(publicKey)) return 'E_BAD_KEY'
  if (isSmallOrderEncoding(publicKey)) return 'E_SMALL_ORDER_KEY'
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return 'E_BAD_SIGNATURE'
  // Not a protocol rule (messages are always bytes): a caller passing something else gets a
  // typed error instead of a TypeError from deep inside a backend.
  if (!(message instanceof Uint8Array)) return 'E_MALFORMED'
  if (!isCanonicalScalar(signature)) return 'E_NON_CANONICAL_SIG'
  const r = signature.subarray(0, 32)
  if (!isCanonicalEncoding(r)) return 'E_NON_CANONICAL_SIG'
  if (isSmallOrderEncoding(r)) return 'E_NON_CANONICAL_SIG'
  return null
}

function bytesToNumberLE(b: Uint8Array): bigint {
  let n = 0n
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!)
  return n
}

/**
 * The whole strict verification in spec order with @noble/ed25519's point arithmetic:
 * every rejection rule, then the cofactorless equation [S]B = R + [k]A with
 * k = SHA-512(R || A || M) mod L. Deliberately NOT noble's verify(), which is cofactored
 * (ZIP-215) and accepts some signatures that RFC 8032 verifiers reject. null = valid.
 */
export function classifyStrict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): ErrorCode | null {
  const keyCode = checkPublicKey(publicKey)
  if (keyCode !== null) return keyCode
  const cheap = checkCheap(publicKey, signature, message)
  if (cheap !== null) return cheap
  const rBytes = signature.subarray(0, 32)
  const R = decodePoint(rBytes)
  if (R === null) return 'E_NON_CANONICAL_SIG'
  const A = decodePoint(publicKey)
  if (A === null) return 'E_BAD_KEY' // unreachable after checkPublicKey; keeps types honest
  const S = bytesToNumberLE(signature.subarray(32, 64))
  const k = bytesToNumberLE(sha512(concatBytes(rBytes, publicKey, message))) % GROUP_ORDER
  // multiplyUnsafe accepts 0 (S or k may be 0); inputs are public, so variable time is fine.
  const left = Point.BASE.multiplyUnsafe(S)
  const right = R.add(A.multiplyUnsafe(k))
  return left.equals(right) ? null : 'E_BAD_SIGNATURE'
}
