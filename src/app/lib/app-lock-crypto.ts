// The app lock's cryptography (src/app/README.md "App lock"): the identity seed sealed with the
// person's passphrase in the export file's envelope (scrypt N=2^17 → AES-256-GCM, its own format
// name), and the at-rest key that seals the device's private state, derived from the seed. The
// at-rest key comes from the seed, not from the passphrase: changing the passphrase re-seals 32
// bytes, not every value, and a device restored from its backup phrase reads its own state again.
// Loaded only when the lock is used (scrypt and AES are not needed to paint the first screen).
import { gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { fail } from '../../core/index.ts'
import type { SecretKey } from '../../core/types.ts'
import { DEFAULT_SCRYPT, openExport, sealExport, type ScryptParams } from './export-crypto.ts'
import { SEALED_MAGIC } from './sealed-value.ts'

export const LOCK_FORMAT = 'wildgrass-lock'
const AT_REST_SALT = new TextEncoder().encode('wildgrass/app-lock/v1')
const AT_REST_INFO = new TextEncoder().encode('at-rest')
const IV_BYTES = 12

/** The seed sealed with the passphrase (E_BAD_TEXT for a passphrase under 10 characters). */
export function sealSeed(secret: SecretKey, passphrase: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<Uint8Array> {
  return sealExport(secret, passphrase, params, LOCK_FORMAT)
}

/** The seed, or E_BAD_PHRASE for a wrong passphrase (or a changed record). */
export async function openSeed(sealed: Uint8Array, passphrase: string): Promise<SecretKey> {
  const { payload } = await openExport(sealed, passphrase, LOCK_FORMAT)
  if (payload.length !== 32) fail('E_MALFORMED', 'app lock: sealed seed')
  return payload as SecretKey
}

/** The 32-byte key that seals this identity's private state on this device. */
export function deriveAtRestKey(secret: SecretKey): Uint8Array {
  return hkdf(sha256, secret, AT_REST_SALT, AT_REST_INFO, 32)
}

export interface ValueSealer {
  seal(value: Uint8Array): Uint8Array
  /** the clear bytes; E_BAD_KEY if the value was sealed under another key or changed */
  open(sealed: Uint8Array): Uint8Array
}

/** magic ‖ 12-byte random IV ‖ AES-256-GCM(value), the magic authenticated as associated data. */
export function createValueSealer(key: Uint8Array): ValueSealer {
  const aad = Uint8Array.from(SEALED_MAGIC)
  return {
    seal(value) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
      const ciphertext = gcm(key, iv, aad).encrypt(value)
      const out = new Uint8Array(aad.length + IV_BYTES + ciphertext.length)
      out.set(aad, 0)
      out.set(iv, aad.length)
      out.set(ciphertext, aad.length + IV_BYTES)
      return out
    },
    open(sealed) {
      const iv = sealed.subarray(aad.length, aad.length + IV_BYTES)
      try {
        return gcm(key, iv, aad).decrypt(sealed.subarray(aad.length + IV_BYTES))
      } catch (cause) {
        return fail('E_BAD_KEY', 'app lock: a value sealed under another key, or changed', cause)
      }
    },
  }
}
