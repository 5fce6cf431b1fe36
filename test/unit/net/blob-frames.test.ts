// The frames of /wildgrass/blob/1.0.0 (protocol/blobs.md §7) as properties: what is encoded
// decodes to itself; any bytes at all decode or fail with one of the decoder's typed codes;
// too short, too long and unknown statuses fail with the code the spec names.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { MAX_BLOB_BYTES } from '../../../src/core/limits.ts'
import { decodeBlobRequest, decodeBlobResponse, encodeBlobRequest, encodeBlobResponse, MAX_BLOB_RESPONSE_BYTES } from '../../../src/net/blob-frames.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const codeOf = (fn: () => unknown): string => {
  try {
    fn()
    return 'ok'
  } catch (err) {
    if (!isWildgrassError(err)) throw err
    return err.code
  }
}

describe('blob frames', () => {
  it('a request is the 32 bytes of the hash, and decodes to the same lowercase hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (h) => {
        expect(hex(encodeBlobRequest(hex(h)))).toBe(hex(h))
        expect(decodeBlobRequest(encodeBlobRequest(hex(h)))).toBe(hex(h))
      }),
    )
    expect(codeOf(() => encodeBlobRequest('AB'.repeat(32)))).toBe('E_MALFORMED')
  })

  it('any bytes are a request or E_TRUNCATED (shorter) / E_OVERSIZE (longer)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        expect(codeOf(() => decodeBlobRequest(b))).toBe(b.length < 32 ? 'E_TRUNCATED' : b.length > 32 ? 'E_OVERSIZE' : 'ok')
      }),
    )
  })

  it('responses round-trip; any bytes decode or fail with E_TRUNCATED, E_MALFORMED or E_OVERSIZE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), (bytes) => {
        const back = decodeBlobResponse(encodeBlobResponse({ status: 'found', bytes }))
        expect(back.status === 'found' && hex(back.bytes)).toBe(hex(bytes))
      }),
    )
    for (const status of ['absent', 'busy'] as const) expect(decodeBlobResponse(encodeBlobResponse({ status }))).toEqual({ status })
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(['ok', 'E_TRUNCATED', 'E_MALFORMED']).toContain(codeOf(() => decodeBlobResponse(b)))
      }),
      { numRuns: 2000 },
    )
  })

  it('each malformed response fails with its code, and none past one blob is read', () => {
    expect(codeOf(() => decodeBlobResponse(new Uint8Array(0)))).toBe('E_TRUNCATED')
    expect(codeOf(() => decodeBlobResponse(Uint8Array.of(0)))).toBe('E_TRUNCATED')
    expect(codeOf(() => decodeBlobResponse(Uint8Array.of(3)))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeBlobResponse(Uint8Array.of(1, 0)))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeBlobResponse(Uint8Array.of(2, 9, 9)))).toBe('E_MALFORMED')
    const full = new Uint8Array(MAX_BLOB_RESPONSE_BYTES)
    expect(decodeBlobResponse(full).status).toBe('found')
    expect(codeOf(() => decodeBlobResponse(new Uint8Array(MAX_BLOB_RESPONSE_BYTES + 1)))).toBe('E_OVERSIZE')
    expect(codeOf(() => encodeBlobResponse({ status: 'found', bytes: new Uint8Array(MAX_BLOB_BYTES + 1) }))).toBe('E_OVERSIZE')
    expect(codeOf(() => encodeBlobResponse({ status: 'found', bytes: new Uint8Array(0) }))).toBe('E_OVERSIZE')
  })
})
