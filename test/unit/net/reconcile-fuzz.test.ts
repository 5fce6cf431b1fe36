// Every decoder of /wildgrass/reconcile/1.0.0 bytes (protocol/reconcile.md §Limits): random,
// mutated, truncated and oversized input gives a typed error (WildgrassError), never a crash or a
// hang; and whatever ranges a peer sends, both sides answer with a message the other accepts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isWildgrassError } from '../../../src/core/index.ts'
import { decodeReconcileFrame, encodeReconcileFrame, MAX_NEG_MESSAGE_BYTES, MAX_RECONCILE_FRAME_BYTES } from '../../../src/net/reconcile/frames.ts'
import { decodeMessage, encodeMessage, reconcile } from '../../../src/net/reconcile/negentropy.ts'
import type { Range } from '../../../src/net/reconcile/negentropy.ts'
import { createSetSnapshot } from '../../../src/net/reconcile/set-snapshot.ts'
import { runFuzz } from '../../fuzz/fuzz-engine.ts'
import { buildReconcileTargets, fuzzSetItems } from '../../fuzz/reconcile-targets.ts'

/** Runs `f`; a WildgrassError is its code, anything else fails the test. */
function outcome(f: () => unknown): string {
  try {
    f()
    return 'ok'
  } catch (err) {
    if (!isWildgrassError(err)) throw err
    return err.code
  }
}

describe('reconcile decoders under fuzzing', () => {
  it('60,000 random and mutated frames and messages give only typed errors, each in well under a second', () => {
    const report = runFuzz(buildReconcileTargets(), 60_000, 20261206)
    for (const code of ['E_TRUNCATED', 'E_MALFORMED', 'E_OVERSIZE', 'E_UNKNOWN_VERSION', 'E_UNKNOWN_FIELD', 'E_NON_CANONICAL']) {
      expect(report.rejectedByCode[code] ?? 0, code).toBeGreaterThan(0)
    }
    expect(report.accepted).toBeGreaterThan(1000)
    expect(report.slowestMs, report.slowest).toBeLessThan(1000)
  }, 120_000)

  it('every prefix of a valid message and frame is accepted or refused with a typed error', () => {
    for (const target of buildReconcileTargets()) {
      for (const bytes of target.corpus) {
        for (let n = 0; n < bytes.length; n++) outcome(() => target.decode(bytes.subarray(0, n)))
      }
    }
  })

  it('random bytes, with and without the version byte, give only typed errors (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, versioned) => {
        if (versioned && bytes.length > 0) bytes[0] = 0x61
        outcome(() => decodeMessage(bytes, MAX_NEG_MESSAGE_BYTES))
        outcome(() => decodeReconcileFrame(bytes))
      }),
      { numRuns: 3000 },
    )
  })

  it('refuses oversized input before reading it', () => {
    const message = new Uint8Array(MAX_NEG_MESSAGE_BYTES + 1).fill(0x61)
    expect(outcome(() => decodeMessage(message, MAX_NEG_MESSAGE_BYTES))).toBe('E_OVERSIZE')
    const frame = new Uint8Array(MAX_RECONCILE_FRAME_BYTES + 1).fill(0xa1)
    expect(outcome(() => decodeReconcileFrame(frame))).toBe('E_OVERSIZE')
    // a `neg` frame whose message is over 256 KiB
    const big = encodeReconcileFrame({ t: 'neg', msg: new Uint8Array(MAX_NEG_MESSAGE_BYTES + 1) })
    expect(outcome(() => decodeReconcileFrame(big))).toBe('E_OVERSIZE')
    // an id list that claims more ids than the message holds: refused before any allocation
    expect(outcome(() => decodeMessage(Uint8Array.of(0x61, 0x00, 0x00, 0x02, 0x8f, 0xff, 0xff, 0xff, 0x7f), MAX_NEG_MESSAGE_BYTES))).toBe('E_TRUNCATED')
  })

  it('push frames are bounded as items frames are, and carry no done', () => {
    const one = Uint8Array.of(1)
    expect(outcome(() => decodeReconcileFrame(encodeReconcileFrame({ t: 'push', events: [one], changes: [one] })))).toBe('ok')
    const many = Array.from({ length: 600 }, () => one)
    expect(outcome(() => decodeReconcileFrame(encodeReconcileFrame({ t: 'push', events: many, changes: many })))).toBe('E_OVERSIZE')
    const withDone = encodeReconcileFrame({ t: 'push', events: [one], changes: [], done: false } as never)
    expect(outcome(() => decodeReconcileFrame(withDone))).toBe('E_UNKNOWN_FIELD')
  })

  it('error frames count their text in UTF-8 bytes', () => {
    expect(outcome(() => decodeReconcileFrame(encodeReconcileFrame({ t: 'error', code: 'E_MALFORMED', message: '错'.repeat(85) + 'x' })))).toBe('ok')
    expect(outcome(() => decodeReconcileFrame(encodeReconcileFrame({ t: 'error', code: 'E_MALFORMED', message: '错'.repeat(86) })))).toBe('E_OVERSIZE')
  })

  it('whatever ranges a peer sends, both sides answer with a message that decodes (property)', () => {
    const set = createSetSnapshot(fuzzSetItems(400, 30))
    const bound = fc.record({
      ts: fc.oneof(fc.constant(0), fc.integer({ min: 1_768_000_000_000, max: 1_768_000_000_040 }), fc.constant(Infinity)),
      prefix: fc.uint8Array({ maxLength: 3 }),
    })
    const range = fc.oneof(
      fc.record({ upper: bound, mode: fc.constant('skip' as const) }),
      fc.record({ upper: bound, mode: fc.constant('fingerprint' as const), fingerprint: fc.uint8Array({ minLength: 16, maxLength: 16 }) }),
      fc.record({ upper: bound, mode: fc.constant('ids' as const), ids: fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 3 }) }),
    )
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), fc.integer({ min: 1, max: 3000 }), (raw, budget) => {
        // as a decoder would hand them over: in order, nothing after the open end
        const ranges = orderRanges(raw)
        for (const initiator of [false, true]) {
          const out = reconcile(set, decodeMessage(encodeMessage(ranges), MAX_NEG_MESSAGE_BYTES), { initiator, maxOutputBytes: budget })
          expect(outcome(() => decodeMessage(encodeMessage(out.ranges), MAX_NEG_MESSAGE_BYTES))).toBe('ok')
        }
      }),
      { numRuns: 1500 },
    )
  })
})

function orderRanges(raw: Range[]): Range[] {
  const key = (r: Range) => [r.upper.ts, Buffer.from(r.upper.prefix).toString('hex')] as const
  const sorted = [...raw].sort((a, b) => {
    const [ta, pa] = key(a)
    const [tb, pb] = key(b)
    return ta !== tb ? (ta < tb ? -1 : 1) : Buffer.compare(Buffer.from(pa, 'hex'), Buffer.from(pb, 'hex'))
  })
  const out: Range[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && last.upper.ts === r.upper.ts && Buffer.compare(last.upper.prefix, r.upper.prefix) === 0) continue
    if (last?.upper.ts === Infinity) break
    out.push(r)
  }
  return out
}
