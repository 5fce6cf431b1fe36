// Generates protocol/vectors/blob-frames.json (protocol/blobs.md §7): the frames of
// `/wildgrass/blob/1.0.0`, written byte for byte, and the frames a reader refuses with their code.
// Run: ./node_modules/.bin/node test/vectors/generate-blob-frames.ts
// Deterministic; a changed file is a protocol change. A case may give `sizeBytes`: its input is
// `bytesHex` followed by zero bytes up to that size (the 1 MiB limit without 2 MiB of hex).
import { writeFileSync } from 'node:fs'
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8Encode } from '../../src/core/bytes.ts'
import { MAX_BLOB_BYTES } from '../../src/core/blob-token.ts'
import { encodeBlobRequest, encodeBlobResponse } from '../../src/net/blob-frames.ts'
import type { BlobResponse } from '../../src/net/blob-frames.ts'

const HASH = toHex(sha256(utf8Encode('wildgrass-vectors/blob-frames/blob')))
const cases: Array<Record<string, unknown>> = []

function request(description: string, sha256Hex: string): void {
  cases.push({ type: 'request', description, valid: true, sha256Hex, bytesHex: toHex(encodeBlobRequest(sha256Hex)) })
}
function response(description: string, r: BlobResponse): void {
  const bytesHex = toHex(encodeBlobResponse(r))
  cases.push({ type: 'response', description, valid: true, bytesHex, status: r.status, ...(r.status === 'found' ? { blobHex: toHex(r.bytes) } : {}) })
}
function refused(type: 'request' | 'response', description: string, bytesHex: string, code: string, sizeBytes?: number): void {
  cases.push({ type, description, valid: false, bytesHex, ...(sizeBytes === undefined ? {} : { sizeBytes }), code })
}

request('a request: the 32 bytes of the hash', HASH)
request('the hash of the empty string (any 32 bytes are a request; the relay has no such blob)', toHex(sha256(new Uint8Array())))
response('found: 0x00, then the blob', { status: 'found', bytes: utf8Encode('野草 blob') })
response('found: a one-byte blob', { status: 'found', bytes: Uint8Array.of(0) })
response('absent: 0x01 alone', { status: 'absent' })
response('busy: 0x02 alone', { status: 'busy' })

refused('request', 'an empty request', '', 'E_TRUNCATED')
refused('request', '31 bytes', HASH.slice(0, 62), 'E_TRUNCATED')
refused('request', '33 bytes', HASH + '00', 'E_OVERSIZE')
refused('response', 'an empty answer', '', 'E_TRUNCATED')
refused('response', 'found with no bytes', '00', 'E_TRUNCATED')
refused('response', 'an unknown status 0x03', '03', 'E_MALFORMED')
refused('response', 'an unknown status 0xff, with bytes after it', 'ff00', 'E_MALFORMED')
refused('response', 'absent with a byte after it', '0100', 'E_MALFORMED')
refused('response', 'busy with a byte after it', '0200', 'E_MALFORMED')
refused('response', `found with ${MAX_BLOB_BYTES + 1} bytes: one over the blob limit`, '00', 'E_OVERSIZE', MAX_BLOB_BYTES + 2)

writeFileSync(new URL('../../protocol/vectors/blob-frames.json', import.meta.url), JSON.stringify(cases, null, 2) + '\n')
console.log(`${cases.length} cases`)
