// Blob upload tokens (protocol/blobs.md §3): an author's signed permission to store one blob
// (an image of a post) on a relay. Canonical DAG-CBOR `{v, author, sha256, size, ts, sig}`;
// signed bytes are signedBytes('wildgrass/blob/v1', canonical unsigned map) (conventions.md).
// A token names the exact bytes (hash and size) and is short-lived, so a token seen on the way
// cannot be used to store anything else, nor stored again much later.
import { copyBytes, decodeCanonicalMap, encodeCanonical, expectBytes, expectInteger, expectVersion, rejectUnknownFields, type CborMap } from './cbor.ts'
import { encodeDidKey } from './did-key.ts'
import { fail } from './errors.ts'
import { checkTimestamp } from './event-validate.ts'
import { assertPublicKey, checkSignature, getPublicKey, sign, signedBytes, type SignatureVerifier } from './keys.ts'
import { MAX_BLOB_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './limits.ts'
import type { AuthorId, PublicKey, SecretKey } from './types.ts'

export { MAX_BLOB_BYTES }
/** SHA-256 of the blob, exactly. */
export const BLOB_HASH_BYTES = 32
/** Largest token on the wire (a real one is about 180 bytes). */
export const MAX_BLOB_TOKEN_BYTES = 256
/** A token older than this (by the relay's clock) is refused with E_TIMESTAMP_PAST; ahead by more: E_TIMESTAMP_FUTURE. */
export const BLOB_TOKEN_MAX_AGE_MS = 10 * 60 * 1000

export interface BlobToken {
  readonly v: 1
  /** the uploader's Ed25519 public key */
  readonly key: PublicKey
  /** the same key as did:key text, which is how the relay counts quotas */
  readonly author: AuthorId
  readonly sha256: Uint8Array
  readonly size: number
  readonly ts: number
  readonly sig: Uint8Array
  /** canonical wire bytes */
  readonly bytes: Uint8Array
}

export interface BlobTokenOptions {
  /** the verifier's clock in ms (default Date.now()) */
  now?: number
  /** a synchronous signature backend (a relay passes node:crypto's, src/net/verify-node.ts) */
  verifier?: SignatureVerifier
}

const FIELDS = new Set(['v', 'author', 'sha256', 'size', 'ts', 'sig'])

function checkFields(map: CborMap, now: number): void {
  expectBytes(map.sha256, BLOB_HASH_BYTES, 'E_MALFORMED', 'sha256')
  const size = expectInteger(map.size, 'size')
  if (size === 0) fail('E_MALFORMED', 'size: a blob has at least one byte')
  if (size > MAX_BLOB_BYTES) fail('E_OVERSIZE', `size: ${size} bytes, limit ${MAX_BLOB_BYTES}`)
  if (typeof map.ts !== 'number') fail('E_MALFORMED', 'ts: not an integer')
  checkTimestamp(map.ts, now)
  if (now - map.ts > BLOB_TOKEN_MAX_AGE_MS) fail('E_TIMESTAMP_PAST', 'blob token: older than 10 minutes')
}

const unsignedOf = (t: { key: Uint8Array; sha256: Uint8Array; size: number; ts: number }): Uint8Array =>
  encodeCanonical({ v: 1, author: t.key, sha256: t.sha256, size: t.size, ts: t.ts })

/** A signed token for `secret` to upload the blob with this SHA-256 and size. Throws typed errors. */
export function createBlobToken(secret: SecretKey, init: { sha256: Uint8Array; size: number; ts?: number }, options: BlobTokenOptions = {}): BlobToken {
  const now = options.now ?? Date.now()
  const unsigned = { v: 1, author: getPublicKey(secret), sha256: copyBytes(init.sha256), size: init.size, ts: init.ts ?? now }
  checkFields(unsigned, now)
  const sig = sign(secret, signedBytes('wildgrass/blob/v1', encodeCanonical(unsigned)))
  return decodeBlobToken(encodeCanonical({ ...unsigned, sig }), { now })
}

/** Strict decoding and content rules (blobs.md §3 steps 1–5), without the signature check. */
export function decodeBlobToken(bytes: Uint8Array, options: BlobTokenOptions = {}): BlobToken {
  const map = decodeCanonicalMap(bytes, MAX_BLOB_TOKEN_BYTES, 'blob token')
  expectVersion(map, 1, 'blob token')
  rejectUnknownFields(map, FIELDS, 'blob token')
  const key = copyBytes(expectBytes(map.author, PUBLIC_KEY_BYTES, 'E_BAD_KEY', 'author'))
  assertPublicKey(key)
  checkFields(map, options.now ?? Date.now())
  const sig = copyBytes(expectBytes(map.sig, SIGNATURE_BYTES, 'E_MALFORMED', 'sig'))
  return Object.freeze({
    v: 1,
    key,
    author: encodeDidKey(key),
    sha256: copyBytes(map.sha256 as Uint8Array),
    size: map.size as number,
    ts: map.ts as number,
    sig,
    bytes: copyBytes(bytes),
  })
}

/** Checks a decoded token's signature (step 6); throws E_BAD_SIGNATURE, E_NON_CANONICAL_SIG. */
export async function verifyBlobToken(token: BlobToken, options: BlobTokenOptions = {}): Promise<void> {
  await checkSignature({ publicKey: token.key, message: signedBytes('wildgrass/blob/v1', unsignedOf(token)), signature: token.sig }, options.verifier)
}

/** Decode + verify: what a relay calls on the token of every upload. */
export async function openBlobToken(bytes: Uint8Array, options: BlobTokenOptions = {}): Promise<BlobToken> {
  const token = decodeBlobToken(bytes, options)
  await verifyBlobToken(token, options)
  return token
}

/** The signed bytes of a token (test vectors, other implementations). */
export const blobTokenSignedBytes = (token: BlobToken): Uint8Array => signedBytes('wildgrass/blob/v1', unsignedOf(token))
