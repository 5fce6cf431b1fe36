// Fuzz targets of /wildgrass/reconcile/1.0.0 (protocol/reconcile.md): its frames, the Negentropy
// message inside `neg`, and a message answered by both sides of a real set — whatever a peer sends,
// our answer must be a message the other side accepts (a bad answer is reported as a crash, not as
// a typed error, so the fuzzer stops on it).
import { sha256 } from '@noble/hashes/sha2.js'
import { isWildgrassError } from '../../src/core/errors.ts'
import { decodeReconcileFrame, encodeReconcileFrame, MAX_NEG_MESSAGE_BYTES } from '../../src/net/reconcile/frames.ts'
import { decodeMessage, encodeMessage, initiate, reconcile } from '../../src/net/reconcile/negentropy.ts'
import { createSetSnapshot } from '../../src/net/reconcile/set-snapshot.ts'
import type { SetItem } from '../../src/net/reconcile/set-snapshot.ts'
import type { FuzzTarget } from './fuzz-engine.ts'

/** `n` items with ids from a counter, `spread` distinct timestamps (many equal: bounds with prefixes) */
export function fuzzSetItems(n: number, spread: number, salt = 0): SetItem[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: i % 7 === 0 ? 0 : 1_768_000_000_000 + (i % spread),
    id: sha256(Uint8Array.of(salt, i & 0xff, i >> 8)),
  }))
}

export function buildReconcileTargets(): FuzzTarget[] {
  const mine = createSetSnapshot(fuzzSetItems(300, 40))
  const theirs = createSetSnapshot([...fuzzSetItems(260, 40), ...fuzzSetItems(30, 40, 1)])
  const small = createSetSnapshot(fuzzSetItems(10, 3))
  const first = encodeMessage(initiate(theirs))
  const answer = encodeMessage(reconcile(mine, decodeMessage(first, MAX_NEG_MESSAGE_BYTES), { initiator: false, maxOutputBytes: 1 << 16 }).ranges)
  const messages = [first, answer, encodeMessage(initiate(small)), encodeMessage(initiate(createSetSnapshot([])))]
  const id = sha256(Uint8Array.of(9))
  const frames = [
    { t: 'neg', msg: first },
    { t: 'get', ids: [id, sha256(id)] },
    { t: 'items', events: [new Uint8Array(40).fill(0xa6)], changes: [Uint8Array.of(0xa3, 1, 2)], done: false },
    { t: 'items', events: [], changes: [], done: true },
    { t: 'push', events: [new Uint8Array(40).fill(0xa6)], changes: [Uint8Array.of(0xa3, 1, 2)] },
    { t: 'push', events: [], changes: [new Uint8Array(70).fill(0xa2)] },
    // one over the items a frame may carry (600 + 425): its mutations probe that bound
    { t: 'push', events: Array.from({ length: 600 }, () => Uint8Array.of(1)), changes: Array.from({ length: 425 }, () => Uint8Array.of(2)) },
    { t: 'error', code: 'E_MALFORMED', message: 'reconcile: 野草' },
  ] as const
  // both roles, with a budget small enough that answers get cut (the frame size limit)
  const answerBoth = (bytes: Uint8Array): void => {
    const ranges = decodeMessage(bytes, MAX_NEG_MESSAGE_BYTES)
    for (const initiator of [false, true]) {
      const out = reconcile(mine, ranges, { initiator, maxOutputBytes: 600 })
      try {
        decodeMessage(encodeMessage(out.ranges), MAX_NEG_MESSAGE_BYTES)
      } catch (err) {
        if (isWildgrassError(err)) throw new Error(`our ${initiator ? 'initiator' : 'responder'} answer does not decode: ${err.message}`, { cause: err })
        throw err
      }
    }
  }
  return [
    { name: 'decodeReconcileFrame', corpus: frames.map((f) => encodeReconcileFrame(f as never)), decode: (b) => decodeReconcileFrame(b) },
    { name: 'decodeNegentropyMessage', corpus: messages, decode: (b) => decodeMessage(b, MAX_NEG_MESSAGE_BYTES) },
    { name: 'reconcileAnswer', corpus: messages, decode: answerBoth },
  ]
}
