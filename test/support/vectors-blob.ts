// Runners for protocol/vectors/blob-tokens.json (protocol/blobs.md §3): a valid case opens, names
// the stated author, hash, size and ts, and signs exactly `signedBytesHex` (both verifier
// backends agree); an invalid case fails with its code. And for blob-frames.json (§7).
import { expect } from 'vitest'
import { blobTokenSignedBytes, openBlobToken } from '../../src/core/blob-token.ts'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { verifySignatureWith } from '../../src/core/keys.ts'
import { decodeBlobRequest, decodeBlobResponse, encodeBlobRequest, encodeBlobResponse } from '../../src/net/blob-frames.ts'
import { codeOf, type VectorCase } from './vectors-core.ts'

export async function runBlobTokenCase(c: VectorCase): Promise<void> {
  const run = () => openBlobToken(fromHex(c.bytesHex as string), { now: c.now as number })
  if (!c.valid) {
    expect(await codeOf(run)).toBe(c.code)
    return
  }
  const token = await run()
  expect({ author: token.author, sha256Hex: toHex(token.sha256), size: token.size, ts: token.ts }).toEqual(c.token)
  expect(toHex(token.key)).toBe(c.publicKeyHex)
  expect(toHex(token.sig)).toBe(c.signatureHex)
  expect(toHex(blobTokenSignedBytes(token))).toBe(c.signedBytesHex)
  for (const backend of ['webcrypto', 'noble'] as const) await verifySignatureWith(backend, token.key, fromHex(c.signedBytesHex as string), token.sig)
}

/** blob-frames.json (protocol/blobs.md §7): a valid frame reads as stated and is written back byte for byte; a refused one gives its code. */
export async function runBlobFrameCase(c: VectorCase): Promise<void> {
  const given = fromHex(c.bytesHex as string)
  const bytes = typeof c.sizeBytes === 'number' ? new Uint8Array(c.sizeBytes) : given
  if (bytes !== given) bytes.set(given)
  const read = c.type === 'request' ? () => decodeBlobRequest(bytes) : () => decodeBlobResponse(bytes)
  if (!c.valid) {
    expect(await codeOf(read)).toBe(c.code)
    return
  }
  if (c.type === 'request') {
    expect(decodeBlobRequest(bytes)).toBe(c.sha256Hex)
    expect(toHex(encodeBlobRequest(c.sha256Hex as string))).toBe(c.bytesHex)
    return
  }
  const r = decodeBlobResponse(bytes)
  expect(r.status).toBe(c.status)
  if (r.status === 'found') expect(toHex(r.bytes)).toBe(c.blobHex)
  expect(toHex(encodeBlobResponse(r))).toBe(c.bytesHex)
}
