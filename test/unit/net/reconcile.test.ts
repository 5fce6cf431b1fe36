// Range-based set reconciliation (src/net/reconcile/negentropy.ts): two sets reconciled message
// by message come out with exactly their differences, the bytes grow with the difference, and
// the decoder refuses what is not a message with a typed error.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeMessage, encodeMessage, initiate, reconcile } from '../../../src/net/reconcile/negentropy.ts'
import { createSetSnapshot } from '../../../src/net/reconcile/set-snapshot.ts'
import type { SetItem } from '../../../src/net/reconcile/set-snapshot.ts'
import { isWildgrassError } from '../../../src/core/index.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
function randomItem(ts: number): SetItem {
  return { ts, id: crypto.getRandomValues(new Uint8Array(32)) }
}

/** Runs both sides to the end over encoded messages; returns the initiator's have/need and the bytes. */
function run(a: SetItem[], b: SetItem[], maxOutputBytes = 256 * 1024): { have: Set<string>; need: Set<string>; bytes: number; rounds: number } {
  const sa = createSetSnapshot(a)
  const sb = createSetSnapshot(b)
  const have = new Set<string>()
  const need = new Set<string>()
  let msg = encodeMessage(initiate(sa))
  let bytes = msg.length
  let rounds = 0
  for (;;) {
    rounds++
    const answer = encodeMessage(reconcile(sb, decodeMessage(msg, 1 << 20), { initiator: false, maxOutputBytes }).ranges)
    bytes += answer.length
    const outcome = reconcile(sa, decodeMessage(answer, 1 << 20), { initiator: true, maxOutputBytes })
    for (const id of outcome.have) have.add(hex(id))
    for (const id of outcome.need) need.add(hex(id))
    if (outcome.ranges.length === 0) break
    msg = encodeMessage(outcome.ranges)
    bytes += msg.length
    if (rounds > 100) throw new Error('does not converge')
  }
  return { have, need, bytes, rounds }
}

describe('reconcile', () => {
  it('finds exactly the differences of two sets (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 50 }),
        (shared, onlyA, onlyB, spread) => {
          const ts = () => 1_700_000_000_000 + Math.floor(Math.random() * spread)
          const common = Array.from({ length: shared }, () => randomItem(ts()))
          const a = Array.from({ length: onlyA }, () => randomItem(ts()))
          const b = Array.from({ length: onlyB }, () => randomItem(ts()))
          const result = run([...common, ...a], [...common, ...b], 4096)
          expect(result.have).toEqual(new Set(a.map((i) => hex(i.id))))
          expect(result.need).toEqual(new Set(b.map((i) => hex(i.id))))
        },
      ),
      { numRuns: 60 },
    )
  })

  it('exchanges bytes in proportion to the difference, not the sets', () => {
    const common = Array.from({ length: 50_000 }, (_, i) => randomItem(1_700_000_000_000 + i * 1000))
    const extra = Array.from({ length: 100 }, () => randomItem(1_700_000_000_000 + Math.floor(Math.random() * 50_000_000)))
    const small = run(common, [...common, ...extra.slice(0, 10)])
    const large = run(common, [...common, ...extra])
    expect(small.need.size).toBe(10)
    expect(large.need.size).toBe(100)
    // the whole id list would be 1.6 MB; a hundred differences cost a small fraction of it
    expect(large.bytes).toBeLessThan(100 * 2500)
    expect(large.bytes).toBeGreaterThan(small.bytes * 3)
  })

  it('two equal sets agree in one round trip', () => {
    const items = Array.from({ length: 5000 }, (_, i) => randomItem(i))
    const result = run(items, items)
    expect(result.rounds).toBe(1)
    expect(result.have.size + result.need.size).toBe(0)
  })

  it('an output budget spreads the exchange over more rounds with the same result', () => {
    const common = Array.from({ length: 20_000 }, (_, i) => randomItem(i))
    const b = Array.from({ length: 500 }, () => randomItem(Math.floor(Math.random() * 20_000)))
    const wide = run(common, [...common, ...b], 1 << 20)
    const narrow = run(common, [...common, ...b], 4096)
    expect(narrow.need.size).toBe(500)
    expect(wide.need.size).toBe(500)
    expect(narrow.rounds).toBeGreaterThan(wide.rounds)
  })

  it('refuses what is not a message, with a typed error', () => {
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array([]), 'E_TRUNCATED'],
      [new Uint8Array([0x62]), 'E_UNKNOWN_VERSION'],
      [new Uint8Array([0x61, 0x81]), 'E_TRUNCATED'],
      [new Uint8Array([0x61, 0x00, 0x00, 0x07]), 'E_MALFORMED'], // unknown mode
      [new Uint8Array([0x61, 0x00, 0x21]), 'E_MALFORMED'], // prefix over 32 bytes
      [new Uint8Array([0x61, 0x00, 0x00, 0x02, 0x05]), 'E_TRUNCATED'], // 5 ids announced, none there
      [new Uint8Array([0x61, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'E_MALFORMED'], // varint too long
      [new Uint8Array([0x61, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]), 'E_MALFORMED'], // a range after the open end
      [new Uint8Array([0x61, 0x05, 0x00, 0x00, 0x01, 0x00, 0x00]), 'E_MALFORMED'], // bounds out of order (delta 0 = same bound)
      [new Uint8Array(2000).fill(0x61), 'E_OVERSIZE'],
    ]
    for (const [bytes, code] of cases) {
      let error: unknown
      try {
        decodeMessage(bytes, 1000)
      } catch (e) {
        error = e
      }
      expect(isWildgrassError(error, code as never), `${hex(bytes)} → ${code}, got ${String(error)}`).toBe(true)
    }
  })

  it('encodes and decodes every range form unchanged', () => {
    const ranges = [
      { upper: { ts: 5, prefix: new Uint8Array([1, 2]) }, mode: 'skip' as const },
      { upper: { ts: 1_700_000_000_123, prefix: new Uint8Array(0) }, mode: 'fingerprint' as const, fingerprint: new Uint8Array(16).fill(7) },
      { upper: { ts: Infinity, prefix: new Uint8Array(0) }, mode: 'ids' as const, ids: [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)] },
    ]
    expect(decodeMessage(encodeMessage(ranges), 1 << 20)).toEqual(ranges)
  })
})
