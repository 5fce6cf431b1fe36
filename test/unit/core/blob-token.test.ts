// Blob upload tokens (src/core/blob-token.ts, protocol/blobs.md §3): the vectors of
// protocol/vectors/blob-tokens.json, and what a relay relies on besides them.
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import vectors from '../../../protocol/vectors/blob-tokens.json' with { type: 'json' }
import { BLOB_TOKEN_MAX_AGE_MS, createBlobToken, decodeBlobToken, MAX_BLOB_BYTES, openBlobToken, verifyBlobToken } from '../../../src/core/blob-token.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import { createNodeVerifier } from '../../../src/net/verify-node.ts'
import { runBlobTokenCase } from '../../support/vectors-blob.ts'
import { codeOf } from '../../support/vectors-core.ts'

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest())

describe('blob tokens', () => {
  it('has valid and at least 30 invalid vectors', () => {
    expect(vectors.filter((c) => c.valid).length).toBeGreaterThanOrEqual(5)
    expect(vectors.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(30)
  })

  for (const c of vectors) it(`${c.valid ? 'valid' : String(c.code)}: ${c.description}`, () => runBlobTokenCase(c))

  it('round-trips: the author is the signer as did:key, and node:crypto verifies it too', async () => {
    const secret = generateSecretKey()
    const blob = new Uint8Array(5000).fill(3)
    const t = createBlobToken(secret, { sha256: sha(blob), size: blob.length })
    const opened = await openBlobToken(t.bytes, { verifier: createNodeVerifier() })
    expect(opened.author).toBe(encodeDidKey(getPublicKey(secret)))
    expect(opened.size).toBe(5000)
    expect(opened.bytes).toEqual(t.bytes)
  })

  it('refuses to make a token a relay would refuse', async () => {
    const secret = generateSecretKey()
    expect(await codeOf(() => createBlobToken(secret, { sha256: new Uint8Array(32), size: MAX_BLOB_BYTES + 1 }))).toBe('E_OVERSIZE')
    expect(await codeOf(() => createBlobToken(secret, { sha256: new Uint8Array(31), size: 1 }))).toBe('E_MALFORMED')
    expect(await codeOf(() => createBlobToken(secret, { sha256: new Uint8Array(32), size: 1, ts: Date.now() - BLOB_TOKEN_MAX_AGE_MS - 1000 }))).toBe(
      'E_TIMESTAMP_PAST',
    )
  })

  it('a decoded token whose fields were changed does not verify', async () => {
    const t = createBlobToken(generateSecretKey(), { sha256: new Uint8Array(32).fill(1), size: 10 })
    const forged = { ...decodeBlobToken(t.bytes), size: 11 }
    expect(await codeOf(() => verifyBlobToken(forged))).toBe('E_BAD_SIGNATURE')
  })
})
