// The runner of protocol/vectors/reconcile.json (protocol/reconcile.md): fingerprints, first
// messages, whole exchanges byte for byte, refused messages and frames. Shared by Node and
// Chromium like the other runners; test/vectors/reconcile-vectors.ts writes the file.
import { expect } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { decodeReconcileFrame } from '../../src/net/reconcile/frames.ts'
import { decodeMessage, encodeMessage, initiate, reconcile } from '../../src/net/reconcile/negentropy.ts'
import type { Range } from '../../src/net/reconcile/negentropy.ts'
import { createSetSnapshot } from '../../src/net/reconcile/set-snapshot.ts'
import type { SetSnapshot } from '../../src/net/reconcile/set-snapshot.ts'
import { codeOf, type VectorCase } from './vectors-core.ts'

export interface VectorItem {
  ts: number
  idHex: string
}

export const snapshotOf = (items: readonly VectorItem[]): SetSnapshot => createSetSnapshot(items.map((i) => ({ ts: i.ts, id: fromHex(i.idHex) })))

/** Ranges in JSON: byte strings as hex, the open end as ts "infinity". */
export function rangesToJson(ranges: readonly Range[]): unknown[] {
  return ranges.map((r) => ({
    ts: r.upper.ts === Infinity ? 'infinity' : r.upper.ts,
    prefixHex: toHex(r.upper.prefix),
    mode: r.mode,
    ...(r.mode === 'fingerprint' ? { fingerprintHex: toHex(r.fingerprint) } : {}),
    ...(r.mode === 'ids' ? { idsHex: r.ids.map(toHex) } : {}),
  }))
}

/** Both sides to the end: every message in order (the initiator's first), and what the initiator found. */
export function exchange(a: SetSnapshot, b: SetSnapshot, maxOutputBytes: number): { messagesHex: string[]; haveHex: string[]; needHex: string[] } {
  const messagesHex: string[] = []
  const have: string[] = []
  const need: string[] = []
  let msg = encodeMessage(initiate(a))
  for (let round = 0; round < 64; round++) {
    messagesHex.push(toHex(msg))
    const answer = encodeMessage(reconcile(b, decodeMessage(msg, 1 << 20), { initiator: false, maxOutputBytes }).ranges)
    messagesHex.push(toHex(answer))
    const out = reconcile(a, decodeMessage(answer, 1 << 20), { initiator: true, maxOutputBytes })
    have.push(...out.have.map(toHex))
    need.push(...out.need.map(toHex))
    if (out.ranges.length === 0) return { messagesHex, haveHex: have.sort(), needHex: need.sort() }
    msg = encodeMessage(out.ranges)
  }
  throw new Error('exchange: more than 64 rounds')
}

export async function runReconcileCase(c: VectorCase): Promise<void> {
  switch (c.type) {
    case 'fingerprint': {
      const set = snapshotOf(c.items as VectorItem[])
      expect(toHex(set.fingerprint(c.begin as number, c.end as number))).toBe(c.fingerprintHex)
      return
    }
    case 'message': {
      const ranges = initiate(snapshotOf(c.items as VectorItem[]))
      expect(toHex(encodeMessage(ranges))).toBe(c.messageHex)
      expect(rangesToJson(decodeMessage(fromHex(c.messageHex as string), 1 << 20))).toEqual(c.ranges)
      return
    }
    case 'exchange': {
      const result = exchange(snapshotOf(c.initiatorItems as VectorItem[]), snapshotOf(c.responderItems as VectorItem[]), c.maxOutputBytes as number)
      expect(result).toEqual({ messagesHex: c.messagesHex, haveHex: c.haveHex, needHex: c.needHex })
      return
    }
    case 'decode': {
      const bytes = fromHex(c.bytesHex as string)
      const read = () => decodeMessage(bytes, c.maxBytes as number)
      if (c.valid === false) expect(await codeOf(read)).toBe(c.code)
      else expect(rangesToJson(read())).toEqual(c.ranges)
      return
    }
    case 'frame': {
      const bytes = fromHex(c.bytesHex as string)
      if (c.valid === false) expect(await codeOf(() => decodeReconcileFrame(bytes))).toBe(c.code)
      else expect(JSON.parse(JSON.stringify(decodeReconcileFrame(bytes), (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v)))).toEqual(c.frame)
      return
    }
    default:
      throw new Error(`reconcile.json: unknown type ${String(c.type)}`)
  }
}
