// Sync frame codecs (protocol/sync.md §Frames): round trips, limits, and random bytes that
// must fail with a typed error only (never another exception, never a hang).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as dagCbor from '@ipld/dag-cbor'
import { isWildgrassError } from '../../../src/core/index.ts'
import { decodeFrame, decodeRequest, decodeResponse, encodeFrame } from '../../../src/net/sync/frames.ts'
import type { Frame } from '../../../src/net/sync/frames.ts'
import { batches } from '../../../src/net/sync/server.ts'
import { FRAME_PAYLOAD_BUDGET, MAX_AUTHORS_PER_REQUEST, MAX_FRAME_BYTES, MAX_IDS_PER_REQUEST } from '../../../src/net/sync/limits.ts'
import { createRateLimiter } from '../../../src/net/rate-limiter.ts'
import { computeMessageId } from '../../../src/net/gossip-config.ts'

const author = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const id = 'a'.repeat(64)

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (isWildgrassError(err)) return err.code
    throw err
  }
  return 'ok'
}

describe('sync frames', () => {
  const samples: Frame[] = [
    { t: 'get-heads', authors: [author as never] },
    { t: 'get-changes', author: author as never, since: [id] },
    { t: 'get-events', ids: [id as never] },
    { t: 'get-recent', limit: 10 },
    { t: 'get-recent', after: '42', limit: 200 },
    { t: 'heads', heads: [{ author: author as never, heads: [id] }] },
    { t: 'changes', author: author as never, envelopes: [new Uint8Array([1, 2, 3])], done: true },
    { t: 'events', events: [new Uint8Array([9])], done: false },
    { t: 'recent', events: [], cursor: 'c' },
    { t: 'recent', events: [] },
    { t: 'error', code: 'E_MALFORMED', message: 'x' },
  ]

  it('round-trips every frame type', () => {
    for (const frame of samples) expect(decodeFrame(encodeFrame(frame))).toEqual(frame)
  })

  it('tells requests from responses', () => {
    expect(codeOf(() => decodeRequest(encodeFrame({ t: 'events', events: [], done: true })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeResponse(encodeFrame({ t: 'get-events', ids: [] })))).toBe('E_MALFORMED')
  })

  it('enforces limits and shapes with typed errors', () => {
    const enc = (v: unknown): Uint8Array => dagCbor.encode(v)
    expect(codeOf(() => decodeFrame(new Uint8Array()))).toBe('E_TRUNCATED')
    expect(codeOf(() => decodeFrame(new Uint8Array(MAX_FRAME_BYTES + 1).fill(0xa1)))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeFrame(enc({ t: 'nope' })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-events', ids: [id], extra: 1 })))).toBe('E_UNKNOWN_FIELD')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-events', ids: Array(MAX_IDS_PER_REQUEST + 1).fill(id) })))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-heads', authors: Array(MAX_AUTHORS_PER_REQUEST + 1).fill(author) })))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-events', ids: ['A'.repeat(64)] })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-heads', authors: ['did:web:x'] })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-recent', limit: 0 })))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-recent', limit: 1.5 })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeFrame(enc({ t: 'events', events: [new Uint8Array(5000)], done: true })))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeFrame(enc({ t: 'events', events: ['text'], done: true })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeFrame(enc({ t: 'events', events: [], done: 'yes' })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeFrame(enc([1, 2])))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeFrame(enc({ t: 'get-events', ids: [id] }).subarray(0, 10)))).toBe('E_TRUNCATED')
  })

  it('reads frames in any key order, and names a non-minimal integer E_NON_CANONICAL as a signed object would (sync.md §Frames step 2)', () => {
    // {"t": "get-recent", "limit": 5}: canonical order is t, limit (shorter key first); written the other way
    const text = (s: string) => [0x60 + s.length, ...new TextEncoder().encode(s)]
    const reordered = new Uint8Array([0xa2, ...text('limit'), 0x05, ...text('t'), ...text('get-recent')])
    expect(decodeFrame(reordered)).toEqual({ t: 'get-recent', limit: 5 })
    const nonMinimal = new Uint8Array([0xa2, ...text('t'), ...text('get-recent'), ...text('limit'), 0x18, 0x05])
    expect(codeOf(() => decodeFrame(nonMinimal))).toBe('E_NON_CANONICAL')
  })

  it('fails closed with a typed error on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const code = codeOf(() => decodeFrame(bytes))
        expect(code === 'ok' || code.startsWith('E_')).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })

  it('fails closed on mutated valid frames', () => {
    const valid = samples.map(encodeFrame)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (i, pos, byte) => {
        const bytes = valid[i]!.slice()
        bytes[pos % bytes.length] = byte
        const code = codeOf(() => decodeFrame(bytes))
        expect(code === 'ok' || code.startsWith('E_')).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })

  it('fails closed on random CBOR values shaped like frames', () => {
    const types = ['get-heads', 'get-changes', 'get-events', 'get-recent', 'heads', 'changes', 'events', 'recent', 'error']
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.uint8Array({ maxLength: 8 }),
        fc.constant(id),
        fc.constant(author),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('t', 'author', 'ids', 'heads', 'events', 'done', 'limit', 'after', 'since'), tie('v'), { maxKeys: 4 }),
      ),
    })).v
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.dictionary(
          fc.constantFrom('author', 'authors', 'ids', 'heads', 'events', 'envelopes', 'done', 'limit', 'after', 'since', 'cursor', 'code', 'message'),
          value,
          { maxKeys: 4 },
        ),
        (t, rest) => {
          const code = codeOf(() => decodeFrame(dagCbor.encode({ ...rest, t })))
          expect(code === 'ok' || code.startsWith('E_')).toBe(true)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('refuses to encode a frame over the limit', () => {
    const big = Array.from({ length: 300 }, () => new Uint8Array(4000))
    expect(codeOf(() => encodeFrame({ t: 'events', events: big, done: true }))).toBe('E_OVERSIZE')
  })
})

describe('server batching', () => {
  it('keeps every batch under the frame budget, in order, and marks the last', () => {
    const items = Array.from({ length: 600 }, (_, i) => new Uint8Array(2000 + (i % 2000)))
    const out = [...batches(items)]
    expect(out.length).toBeGreaterThan(1)
    expect(out.flatMap(([b]) => b)).toEqual(items)
    expect(out.map(([, done]) => done)).toEqual(out.map((_, i) => i === out.length - 1))
    for (const [b, done] of out) {
      const frame = encodeFrame({ t: 'events', events: b, done })
      expect(frame.length).toBeLessThanOrEqual(MAX_FRAME_BYTES)
      expect(b.reduce((n, x) => n + x.length, 0)).toBeLessThanOrEqual(FRAME_PAYLOAD_BUDGET)
    }
  })
  it('yields one empty, final batch for nothing', () => {
    expect([...batches([])]).toEqual([[[], true]])
  })
})

describe('gossip helpers', () => {
  it('message ids are content hashes bound to the topic', () => {
    const a = computeMessageId('wg/1/events', new Uint8Array([1]))
    expect(a).toEqual(computeMessageId('wg/1/events', new Uint8Array([1])))
    expect(a).not.toEqual(computeMessageId('wg/1/changes', new Uint8Array([1])))
    expect(a.length).toBe(32)
  })
  it('rate limiter allows a burst, then the rate', () => {
    let t = 0
    const rl = createRateLimiter({ perSecond: 10, burst: 5 }, () => t)
    expect(Array.from({ length: 7 }, () => rl.take('p'))).toEqual([true, true, true, true, true, false, false])
    expect(rl.take('q')).toBe(true)
    t += 100
    expect(rl.take('p')).toBe(true)
    expect(rl.take('p')).toBe(false)
  })
})
