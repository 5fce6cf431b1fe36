// Generates protocol/vectors/reconcile.json (protocol/reconcile.md): fingerprints (each also
// computed here with BigInt, independently of the code), first messages, whole exchanges byte for
// byte, refused messages and frames. Run: ./node_modules/.bin/node test/vectors/reconcile-vectors.ts
// Deterministic; a changed file is a protocol change (or a change of our choices: §Messages).
import { writeFileSync } from 'node:fs'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, toHex, utf8Encode } from '../../src/core/bytes.ts'
import { encodeReconcileFrame, MAX_NEG_MESSAGE_BYTES } from '../../src/net/reconcile/frames.ts'
import type { ReconcileFrame } from '../../src/net/reconcile/frames.ts'
import { decodeMessage, encodeMessage, encodeVarint, initiate } from '../../src/net/reconcile/negentropy.ts'
import { exchange, rangesToJson, snapshotOf, type VectorItem } from '../support/vectors-reconcile.ts'
import { enc, mapInOrder } from './raw-cbor.ts'

const T0 = 1768478400000 // the vectors' clock, 2026-01-15T12:00:00Z
const idOf = (name: string) => toHex(sha256(utf8Encode(`wildgrass-vectors/reconcile/${name}`)))
/** `n` items named `name`/i; `ts(i)` gives each one's timestamp */
const items = (name: string, n: number, ts: (i: number) => number): VectorItem[] => Array.from({ length: n }, (_, i) => ({ ts: ts(i), idHex: idOf(`${name}/${i}`) }))
const sorted = (list: VectorItem[]) => [...list].sort((a, b) => a.ts - b.ts || (a.idHex < b.idHex ? -1 : a.idHex > b.idHex ? 1 : 0))
// events a second apart, three to a timestamp (bounds need id prefixes), and every eighth a change (ts 0)
const spread = (i: number) => (i % 8 === 0 ? 0 : T0 + Math.floor(i / 3) * 1000)

const cases: Array<Record<string, unknown>> = []

// ---- fingerprints ----
function fingerprintByHand(list: VectorItem[], begin: number, end: number): { sumHex: string; fingerprintHex: string } {
  let sum = 0n
  for (const item of list.slice(begin, end)) sum += BigInt('0x' + toHex(Uint8Array.from(Buffer.from(item.idHex, 'hex')).reverse()))
  sum %= 1n << 256n
  const le = Uint8Array.from(Buffer.from(sum.toString(16).padStart(64, '0'), 'hex')).reverse()
  return { sumHex: toHex(le), fingerprintHex: toHex(sha256(concatBytes(le, encodeVarint(end - begin))).subarray(0, 16)) }
}
function fingerprint(description: string, list: VectorItem[], begin: number, end: number): void {
  const s = sorted(list)
  const byHand = fingerprintByHand(s, begin, end)
  const code = toHex(snapshotOf(s).fingerprint(begin, end))
  if (code !== byHand.fingerprintHex) throw new Error(`fingerprint mismatch: ${description}`)
  cases.push({ type: 'fingerprint', description, items: s, begin, end, ...byHand })
}
const forty = items('forty', 40, spread)
fingerprint('an empty range: SHA-256 of 32 zero bytes and the count 0', forty, 5, 5)
fingerprint('one item', forty, 0, 1)
fingerprint('a range inside the set', forty, 3, 17)
fingerprint('the whole set of 40', forty, 0, 40)
fingerprint('200 items: the count is a two-byte varint (0x81 0x48)', items('two-hundred', 200, spread), 0, 200)
fingerprint(
  'the sum wraps modulo 2^256 (three ids of all 0xff: the sum is fd ff … ff)',
  [0, 1, 2].map((i) => ({ ts: T0 + i, idHex: 'ff'.repeat(32) })).map((x, i) => (i === 0 ? x : { ...x, ts: T0 + i })),
  0,
  3,
)
fingerprint(
  'carries run across every byte (ff … ff plus 01 00 … 00 is 0)',
  [
    { ts: T0, idHex: 'ff'.repeat(32) },
    { ts: T0 + 1, idHex: '01' + '00'.repeat(31) },
  ],
  0,
  2,
)

// ---- first messages ----
function message(description: string, list: VectorItem[]): void {
  const ranges = initiate(snapshotOf(list))
  cases.push({ type: 'message', description, items: sorted(list), messageHex: toHex(encodeMessage(ranges)), ranges: rangesToJson(ranges) })
}
message('an empty set: one id list, empty, to the open end', [])
message('5 items: under 32, sent as their ids', items('five', 5, (i) => T0 + i * 1000))
message('40 items: 16 fingerprinted ranges; equal timestamps give bounds with id prefixes; changes (ts 0) first', forty)

// ---- exchanges ----
const BUDGET = MAX_NEG_MESSAGE_BYTES - 4096
function exchangeCase(description: string, a: VectorItem[], b: VectorItem[], maxOutputBytes: number): void {
  const result = exchange(snapshotOf(a), snapshotOf(b), maxOutputBytes)
  cases.push({ type: 'exchange', description, maxOutputBytes, initiatorItems: sorted(a), responderItems: sorted(b), ...result })
}
const common = items('common', 200, spread)
exchangeCase('equal sets of 200 agree in one round trip (the answer is the version byte alone)', common, common, BUDGET)
exchangeCase('an empty initiator learns the responder\'s 3 ids', [], items('three', 3, (i) => T0 + i), BUDGET)
exchangeCase(
  '200 in common, 3 only the initiator holds, 5 only the responder',
  [...common, ...items('only-a', 3, (i) => T0 + 7000 + i * 3333)],
  [...common, ...items('only-b', 5, (i) => (i === 0 ? 0 : T0 + 11_000 + i * 7777))],
  BUDGET,
)
exchangeCase(
  'an output budget of 600 bytes: answers are cut and the rest of the set follows as one fingerprint (our frame size limit)',
  [...items('common', 300, spread), ...items('only-a', 20, (i) => T0 + i * 4444)],
  [...items('common', 300, spread), ...items('only-b', 30, (i) => T0 + i * 3001)],
  600,
)

// ---- reading messages ----
const hex = (...bytes: number[]) => toHex(Uint8Array.from(bytes))
function decodeCase(description: string, bytesHex: string, maxBytes: number, code?: string): void {
  if (code !== undefined) {
    cases.push({ type: 'decode', description, valid: false, bytesHex, maxBytes, code })
    return
  }
  const ranges = decodeMessage(Buffer.from(bytesHex, 'hex'), maxBytes)
  cases.push({ type: 'decode', description, valid: true, bytesHex, maxBytes, ranges: rangesToJson(ranges) })
}
const fp = '07'.repeat(16)
decodeCase('the version byte alone: no ranges (the exchange is over)', '61', 1024)
decodeCase(
  'a skip, a fingerprint and an id list; timestamps are deltas + 1 from the previous bound of the message, 0 the open end',
  hex(0x61, 0x06, 0x02, 0x01, 0x02, 0x00) + hex(0x03, 0x00, 0x01) + fp + hex(0x00, 0x00, 0x02, 0x01) + '01'.repeat(32),
  1024,
)
decodeCase('the largest varint, 2^53 - 1 (8f ff ff ff ff ff ff 7f): a timestamp of 2^53 - 2', hex(0x61, 0x8f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00), 1024)
decodeCase('a timestamp of 2^53 - 1, reached by a delta', hex(0x61, 0x8f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x02, 0x00, 0x00), 1024)
decodeCase('empty', '', 1024, 'E_TRUNCATED')
decodeCase('longer than the limit given', '61'.repeat(1025), 1024, 'E_OVERSIZE')
decodeCase('version 0x60 (Negentropy v0)', '60', 1024, 'E_UNKNOWN_VERSION')
decodeCase('version 0x62', '62', 1024, 'E_UNKNOWN_VERSION')
decodeCase('ends inside a varint', hex(0x61, 0x81), 1024, 'E_TRUNCATED')
decodeCase('ends inside a bound prefix', hex(0x61, 0x00, 0x04, 0x01, 0x02), 1024, 'E_TRUNCATED')
decodeCase('ends inside a fingerprint', hex(0x61, 0x00, 0x00, 0x01) + '07'.repeat(15), 1024, 'E_TRUNCATED')
decodeCase('an id list announcing 5 ids, none there', hex(0x61, 0x00, 0x00, 0x02, 0x05), 1024, 'E_TRUNCATED')
decodeCase('mode 3 (the reference\'s Continuation, not in v1)', hex(0x61, 0x00, 0x00, 0x03), 1024, 'E_MALFORMED')
decodeCase('a bound prefix of 33 bytes', hex(0x61, 0x00, 0x21) + '00'.repeat(33) + hex(0x00), 1024, 'E_MALFORMED')
decodeCase('a varint of 9 bytes', hex(0x61, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 1024, 'E_MALFORMED')
decodeCase('a varint of 2^53 (90 80 80 80 80 80 80 00)', hex(0x61, 0x90, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00, 0x00), 1024, 'E_MALFORMED')
decodeCase('a timestamp of 2^53, reached by a delta', hex(0x61, 0x8f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x03, 0x00, 0x00), 1024, 'E_MALFORMED')
decodeCase('a range after the open end', hex(0x61, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), 1024, 'E_MALFORMED')
decodeCase('the same bound twice (delta 0 is encoded 1)', hex(0x61, 0x05, 0x00, 0x00, 0x01, 0x00, 0x00), 1024, 'E_MALFORMED')
decodeCase('a bound below the previous one (same timestamp, shorter prefix)', hex(0x61, 0x05, 0x01, 0x09, 0x00, 0x01, 0x00, 0x00), 1024, 'E_MALFORMED')

// ---- reading frames ----
function frameCase(description: string, bytes: Uint8Array, code?: string, frame?: ReconcileFrame): void {
  if (code !== undefined) cases.push({ type: 'frame', description, valid: false, bytesHex: toHex(bytes), code })
  else cases.push({ type: 'frame', description, valid: true, bytesHex: toHex(bytes), frame: JSON.parse(JSON.stringify(frame, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v))) })
}
const valid = (description: string, frame: ReconcileFrame) => frameCase(description, encodeReconcileFrame(frame), undefined, frame)
const ID = sha256(utf8Encode('wildgrass-vectors/reconcile/id'))
valid('neg: the version byte alone', { t: 'neg', msg: Uint8Array.of(0x61) })
valid('get: two ids', { t: 'get', ids: [ID, sha256(ID)] })
valid('get: 1024 ids (the limit)', { t: 'get', ids: Array.from({ length: 1024 }, () => ID) })
valid('items: an event and a change, more to come', { t: 'items', events: [new Uint8Array(3).fill(0xa6)], changes: [Uint8Array.of(1)], done: false })
valid('items: the last frame, empty', { t: 'items', events: [], changes: [], done: true })
valid('push: an event and a change (initiator to responder, after the rounds)', { t: 'push', events: [new Uint8Array(3).fill(0xa6)], changes: [Uint8Array.of(1)] })
valid('error: a message of exactly 256 bytes (85 three-byte characters and one ASCII)', { t: 'error', code: 'E_MALFORMED', message: '错'.repeat(85) + 'x' })
frameCase('keys in any order (frames need not be canonical)', mapInOrder([['t', enc('neg')], ['msg', enc(Uint8Array.of(0x61))]]), undefined, { t: 'neg', msg: Uint8Array.of(0x61) })
frameCase('empty', new Uint8Array(0), 'E_TRUNCATED')
frameCase('a CBOR array, not a map', enc(['neg']), 'E_MALFORMED')
frameCase('an unknown type', enc({ t: 'have', ids: [] }), 'E_MALFORMED')
frameCase('an unknown field', enc({ t: 'neg', msg: Uint8Array.of(0x61), x: 1 }), 'E_UNKNOWN_FIELD')
frameCase('neg: an empty message', enc({ t: 'neg', msg: new Uint8Array(0) }), 'E_TRUNCATED')
frameCase('neg: the message as text', enc({ t: 'neg', msg: 'a' }), 'E_MALFORMED')
frameCase('get: an id of 31 bytes', enc({ t: 'get', ids: [ID.subarray(0, 31)] }), 'E_MALFORMED')
frameCase('get: an id of 33 bytes', enc({ t: 'get', ids: [concatBytes(ID, Uint8Array.of(0))] }), 'E_OVERSIZE')
frameCase('get: 1025 ids', enc({ t: 'get', ids: Array.from({ length: 1025 }, () => ID) }), 'E_OVERSIZE')
frameCase('items: an empty event', enc({ t: 'items', events: [new Uint8Array(0)], changes: [], done: true }), 'E_TRUNCATED')
frameCase('items: an event of 4097 bytes', enc({ t: 'items', events: [new Uint8Array(4097)], changes: [], done: true }), 'E_OVERSIZE')
frameCase('items: 600 events and 600 changes (over 1024 together)', enc({ t: 'items', events: Array.from({ length: 600 }, () => Uint8Array.of(1)), changes: Array.from({ length: 600 }, () => Uint8Array.of(2)), done: true }), 'E_OVERSIZE')
frameCase('items: done missing', enc({ t: 'items', events: [], changes: [] }), 'E_MALFORMED')
frameCase('push: a done field (a push has none)', enc({ t: 'push', events: [Uint8Array.of(1)], changes: [], done: true }), 'E_UNKNOWN_FIELD')
frameCase('push: 1025 events', enc({ t: 'push', events: Array.from({ length: 1025 }, () => Uint8Array.of(1)), changes: [] }), 'E_OVERSIZE')
frameCase('push: an empty change', enc({ t: 'push', events: [], changes: [new Uint8Array(0)] }), 'E_TRUNCATED')
frameCase('push: changes missing', enc({ t: 'push', events: [Uint8Array.of(1)] }), 'E_MALFORMED')
frameCase('error: a message of 257 bytes', enc({ t: 'error', code: 'E_MALFORMED', message: '错'.repeat(85) + 'xy' }), 'E_OVERSIZE')

writeFileSync(new URL('../../protocol/vectors/reconcile.json', import.meta.url), JSON.stringify(cases, null, 2) + '\n')
console.log(`reconcile.json: ${cases.length} cases`)
