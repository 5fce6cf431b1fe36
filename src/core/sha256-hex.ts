// The SHA-256 of bytes as lowercase hex (a blob's address, protocol/blobs.md §1): WebCrypto
// where there is one (Node, secure pages: about 10x faster on 1 MiB), else noble's — a page on
// an insecure origin (plain http from a public address) has no crypto.subtle.
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from './bytes.ts'

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle
  return toHex(subtle === undefined ? sha256(bytes) : new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource)))
}
