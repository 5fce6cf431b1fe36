// Sealed blobs of the private document (protocol/lists.md §1): one Automerge change of the
// person's private document, padded and encrypted with a key only their own devices can derive
// (privateDocKeyOf, HKDF of the seed), stored in the public feed document as opaque bytes.
//
//   blob = 0x01 ‖ nonce (24, random) ‖ XChaCha20-Poly1305(key, nonce, aad = 0x01 ‖ owner, pad(change))
//
// The owner's key in the associated data ties a blob to its document: copied into another
// person's feed document it does not open, even for someone holding both keys.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { concatBytes } from './bytes.ts'
import { fail, isWildgrassError } from './errors.ts'
import { MAX_PRIVATE_BLOB_BYTES, MAX_PRIVATE_CHANGE_BYTES } from './dm-limits.ts'
import { pad, unpad } from './dm-padding.ts'

const VERSION = 1

export function sealPrivateChange(key: Uint8Array, owner: Uint8Array, change: Uint8Array, nonce?: Uint8Array): Uint8Array {
  const n = nonce ?? globalThis.crypto.getRandomValues(new Uint8Array(24))
  const head = new Uint8Array([VERSION])
  const ct = xchacha20poly1305(key, n, concatBytes(head, owner)).encrypt(pad(change, MAX_PRIVATE_CHANGE_BYTES))
  return concatBytes(head, n, ct)
}

/** E_TRUNCATED, E_OVERSIZE, E_UNKNOWN_VERSION, E_BAD_SEAL (another key or document, or changed). */
export function openPrivateChange(key: Uint8Array, owner: Uint8Array, blob: Uint8Array): Uint8Array {
  if (!(blob instanceof Uint8Array)) fail('E_MALFORMED', 'private blob: not bytes')
  if (blob.length < 1 + 24 + 2 + 32 + 16) fail('E_TRUNCATED', 'private blob: too short')
  if (blob.length > MAX_PRIVATE_BLOB_BYTES) fail('E_OVERSIZE', `private blob: ${blob.length} bytes`)
  if (blob[0] !== VERSION) fail('E_UNKNOWN_VERSION', 'private blob: unknown version')
  let padded: Uint8Array
  try {
    padded = xchacha20poly1305(key, blob.subarray(1, 25), concatBytes(blob.subarray(0, 1), owner)).decrypt(blob.subarray(25))
  } catch (cause) {
    if (isWildgrassError(cause)) throw cause
    return fail('E_BAD_SEAL', 'private blob: does not open (another key or document, or changed)', cause)
  }
  return unpad(padded, MAX_PRIVATE_CHANGE_BYTES)
}
