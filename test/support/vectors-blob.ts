// Runner for protocol/vectors/blob-tokens.json (protocol/blobs.md §3): a valid case opens, names
// the stated author, hash, size and ts, and signs exactly `signedBytesHex` (both verifier
// backends agree); an invalid case fails with its code.
import { expect } from 'vitest'
import { blobTokenSignedBytes, openBlobToken } from '../../src/core/blob-token.ts'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { verifySignatureWith } from '../../src/core/keys.ts'
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
