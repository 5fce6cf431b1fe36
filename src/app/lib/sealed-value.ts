// How a value sealed at rest by the app lock starts (lib/app-lock-crypto.ts seals and opens it),
// apart from the cryptography so that the first paint's code can tell sealed from clear.
/** "WGL" 1, authenticated as the AES-GCM associated data */
export const SEALED_MAGIC: readonly number[] = [0x57, 0x47, 0x4c, 0x01]
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * Whether stored bytes are a sealed value. The store's clear values are DAG-CBOR, JSON text,
 * Automerge chunks or empty markers: none of them starts with "WGL\x01".
 */
export function isSealedValue(bytes: Uint8Array): boolean {
  return bytes.length >= SEALED_MAGIC.length + IV_BYTES + TAG_BYTES && SEALED_MAGIC.every((b, i) => bytes[i] === b)
}
