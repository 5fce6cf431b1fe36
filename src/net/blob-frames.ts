// Frames of /wildgrass/blob/1.0.0 (protocol/blobs.md §7): one request and one response per
// stream, each a single unsigned-varint length-prefixed frame. Not CBOR: the request is a hash
// and the response a status byte and the bytes, so a fixed layout is all there is to check.
// decodeBlobRequest / decodeBlobResponse are the only way in for a peer's bytes; they throw
// WildgrassError (E_TRUNCATED, E_OVERSIZE, E_MALFORMED) and nothing else.
import { BLOB_HASH_BYTES } from '../core/blob-token.ts'
import { fail, fromHex, toHex } from '../core/index.ts'
import { MAX_BLOB_BYTES } from '../core/limits.ts'

export const BLOB_PROTOCOL = '/wildgrass/blob/1.0.0'
/** blob requests a relay serves at once per peer (one more is answered `busy`); a client asks no more at once */
export const BLOB_STREAMS_PER_PEER = 4
/** blob streams a relay accepts at once per connection: past it libp2p resets them, short of it the relay answers `busy` */
export const BLOB_STREAMS_PER_CONNECTION = 8
/** the largest response frame: a status byte and one blob */
export const MAX_BLOB_RESPONSE_BYTES = 1 + MAX_BLOB_BYTES

const FOUND = 0
const ABSENT = 1
const BUSY = 2

/** found: the bytes (not yet checked against the hash); absent: not held here; busy: too many streams now, ask later or elsewhere */
export type BlobResponse = { readonly status: 'found'; readonly bytes: Uint8Array } | { readonly status: 'absent' } | { readonly status: 'busy' }

const SHA256_HEX = /^[0-9a-f]{64}$/

/** The request: the 32 bytes of the hash (`sha256` as 64 lowercase hex digits). */
export function encodeBlobRequest(sha256: string): Uint8Array {
  if (!SHA256_HEX.test(sha256)) fail('E_MALFORMED', 'a blob address is 64 lowercase hex digits')
  return fromHex(sha256)
}

/** The hash a request names, as 64 lowercase hex digits. */
export function decodeBlobRequest(frame: Uint8Array): string {
  if (frame.length < BLOB_HASH_BYTES) fail('E_TRUNCATED', `a blob request is ${BLOB_HASH_BYTES} bytes, got ${frame.length}`)
  if (frame.length > BLOB_HASH_BYTES) fail('E_OVERSIZE', `a blob request is ${BLOB_HASH_BYTES} bytes, got ${frame.length}`)
  return toHex(frame)
}

/** The response frame (one copy of the blob: a millisecond for 1 MiB, beside the network's time). */
export function encodeBlobResponse(response: BlobResponse): Uint8Array {
  if (response.status !== 'found') return Uint8Array.of(response.status === 'absent' ? ABSENT : BUSY)
  if (response.bytes.length === 0 || response.bytes.length > MAX_BLOB_BYTES) fail('E_OVERSIZE', 'a blob is 1 to 1,048,576 bytes')
  const frame = new Uint8Array(1 + response.bytes.length)
  frame[0] = FOUND
  frame.set(response.bytes, 1)
  return frame
}

export function decodeBlobResponse(frame: Uint8Array): BlobResponse {
  if (frame.length === 0) fail('E_TRUNCATED', 'an empty blob response')
  if (frame.length > MAX_BLOB_RESPONSE_BYTES) fail('E_OVERSIZE', `a blob response is at most ${MAX_BLOB_RESPONSE_BYTES} bytes`)
  const status = frame[0]
  if (status === FOUND) {
    if (frame.length === 1) fail('E_TRUNCATED', 'a found blob with no bytes')
    return { status: 'found', bytes: frame.subarray(1) }
  }
  if (status !== ABSENT && status !== BUSY) fail('E_MALFORMED', `unknown blob response status ${status}`)
  if (frame.length !== 1) fail('E_MALFORMED', 'bytes after a status that carries none')
  return { status: status === ABSENT ? 'absent' : 'busy' }
}
