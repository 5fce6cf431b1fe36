// Keys for direct messages, mailboxes and the private document, all derived from the identity
// (protocol/direct-messages.md §2): every device restored from the phrase has them, and a
// sender needs nothing but the recipient's did:key.
// - X25519 key pair: the Ed25519 identity converted (RFC 7748 birational map; libsodium's
//   crypto_sign_ed25519_sk_to_curve25519), used only under domain-separated HKDF.
// - Mailbox ids: the identity key blinded per week, as Tor v3 onion services blind theirs
//   (rend-spec-v3, "Key blinding"): A' = [h]A with h = H(tag ‖ A ‖ week). Anyone who knows A can
//   compute A', nobody can go back from A' to A or link two weeks without A, and the holder of the
//   secret signs with a' = h·a, so a relay checks ownership with plain Ed25519 under A'.
// - The private-document key: HKDF of the seed.
import { ed25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { concatBytes, utf8Encode } from './bytes.ts'
import { fail } from './errors.ts'
import { assertPublicKey, getPublicKey, signedBytes } from './keys.ts'
import { MAILBOX_EPOCH_MS } from './dm-limits.ts'
import type { PublicKey, SecretKey } from './types.ts'

const L = ed25519.Point.CURVE().n
const BLIND_TAG = utf8Encode('wildgrass/mailbox/blind/v1\u0000')
const NONCE_TAG = utf8Encode('wildgrass/mailbox/nonce/v1\u0000')
const PRIVATE_SALT = utf8Encode('wildgrass/private/v1')

export interface DmKeys {
  readonly publicKey: PublicKey
  /** X25519 secret (clamped scalar bytes) */
  readonly xSecret: Uint8Array
  readonly xPublic: Uint8Array
}

/** The identity's X25519 key pair (and its Ed25519 public key). */
export function deriveDmKeys(secret: SecretKey): DmKeys {
  const publicKey = getPublicKey(secret)
  return { publicKey, xSecret: ed25519.utils.toMontgomerySecret(secret), xPublic: ed25519.utils.toMontgomery(publicKey) }
}

/** The X25519 public key of an Ed25519 identity key; E_BAD_KEY / E_SMALL_ORDER_KEY for bad keys. */
export function x25519PublicOf(publicKey: Uint8Array): Uint8Array {
  assertPublicKey(publicKey)
  return ed25519.utils.toMontgomery(publicKey)
}

/** HKDF-SHA256 (RFC 5869). */
export function deriveKey(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdf(sha256, ikm, salt, info, length)
}

/** The week a timestamp falls in (protocol/direct-messages.md §4). */
export function mailboxEpochOf(ts: number): number {
  return Math.floor(ts / MAILBOX_EPOCH_MS)
}

function blindingFactor(publicKey: Uint8Array, epoch: number): bigint {
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > 0xffffffff) fail('E_MALFORMED', 'mailbox epoch out of range')
  const week = new Uint8Array(4)
  new DataView(week.buffer).setUint32(0, epoch)
  const h = bytesToNumberLE(sha512(concatBytes(BLIND_TAG, publicKey, week))) % L
  // h = 0 has probability 2^-252; the +1 keeps the map total without a special case
  return h === 0n ? 1n : h
}

/** The mailbox id of `publicKey` for `epoch`: the identity key blinded for that week (32 bytes). */
export function mailboxIdOf(publicKey: Uint8Array, epoch: number): Uint8Array {
  assertPublicKey(publicKey)
  return ed25519.Point.fromBytes(publicKey).multiply(blindingFactor(publicKey, epoch)).toBytes()
}

/**
 * Ed25519 signature under the blinded key mailboxIdOf(me, epoch), made with the blinded scalar
 * a' = h·a mod L and a nonce from the blinded prefix (deterministic, as RFC 8032). Verifies as a
 * plain Ed25519 signature by the strict rules (identity.md §2) under the mailbox id.
 */
export function signAsMailbox(secret: SecretKey, epoch: number, message: Uint8Array): Uint8Array {
  const { prefix, scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secret)
  const h = blindingFactor(pointBytes, epoch)
  const blindScalar = (scalar * h) % L
  const blindPublic = ed25519.Point.BASE.multiply(blindScalar).toBytes()
  const blindPrefix = sha512(concatBytes(NONCE_TAG, prefix, numberToBytesLE(h))).slice(0, 32)
  const r0 = bytesToNumberLE(sha512(concatBytes(blindPrefix, message))) % L
  const r = r0 === 0n ? 1n : r0 // probability 2^-252; multiply() refuses 0
  const R = ed25519.Point.BASE.multiply(r).toBytes()
  const k = bytesToNumberLE(sha512(concatBytes(R, blindPublic, message))) % L
  const s = (r + k * blindScalar) % L
  return concatBytes(R, numberToBytesLE(s))
}

/** What a fetcher signs to open a mailbox on one relay (protocol/direct-messages.md §5). */
export function mailboxProofBytes(box: Uint8Array, challenge: Uint8Array, relayPeerId: string): Uint8Array {
  return signedBytes('wildgrass/mailbox/v1', concatBytes(box, challenge, utf8Encode(relayPeerId)))
}

/** The symmetric key of the person's private document (protocol/lists.md §1). */
export function privateDocKeyOf(secret: SecretKey): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) fail('E_BAD_KEY', 'secret key must be 32 bytes')
  return deriveKey(secret, PRIVATE_SALT, getPublicKey(secret), 32)
}

function bytesToNumberLE(b: Uint8Array): bigint {
  let n = 0n
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!)
  return n
}

function numberToBytesLE(n: bigint): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn)
    n >>= 8n
  }
  return out
}
