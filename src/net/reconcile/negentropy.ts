// Range-based set reconciliation (protocol/reconcile.md §Messages): the Negentropy protocol,
// version 1 (message byte 0x61), as its reference implementation defines it — items are
// (timestamp, 32-byte id) sorted by timestamp then id; a message is a list of ranges, each
// closed by an upper bound and carrying a fingerprint, a list of ids, or nothing (skip). Two
// sides exchange messages until every range matches; what differs comes out as ids, so the bytes
// grow with the difference, not with the sets.
//
// Written here, not taken from the registry's one JavaScript implementation (nostr-tools' nip77):
// that one reads varints through 32-bit shifts (no millisecond timestamps, wrong past 2038),
// throws untyped errors, works on hex strings, and sums every id of a range for each fingerprint.
// This one decodes into plain ranges first (typed errors, bounded, fuzzed: test/fuzz/reconcile-targets.ts),
// and leaves fingerprints to the set, which answers any range from block prefix sums.
import { sha256 } from '@noble/hashes/sha2.js'
import { fail, isWildgrassError } from '../../core/index.ts'

export const NEGENTROPY_V1 = 0x61
export const ITEM_ID_BYTES = 32
export const FINGERPRINT_BYTES = 16
/** a range with fewer items than this is sent as its ids instead of split */
const SPLIT_BUCKETS = 16
const IDLIST_THRESHOLD = SPLIT_BUCKETS * 2
/** Largest timestamp a bound may carry; `Infinity` is the open end of the last range. */
export const MAX_ITEM_TS = Number.MAX_SAFE_INTEGER

/** A range's upper bound (exclusive): items below (ts, prefix) belong to it. */
export interface Bound {
  readonly ts: number
  /** 0–32 bytes: the shortest id prefix that separates this range from the next */
  readonly prefix: Uint8Array
}

export type Range =
  | { readonly upper: Bound; readonly mode: 'skip' }
  | { readonly upper: Bound; readonly mode: 'fingerprint'; readonly fingerprint: Uint8Array }
  | { readonly upper: Bound; readonly mode: 'ids'; readonly ids: readonly Uint8Array[] }

/** The sorted set one side reconciles (set-snapshot.ts). Index arguments are positions in it. */
export interface ReconcileSet {
  size(): number
  ts(i: number): number
  id(i: number): Uint8Array
  /** the fingerprint of items [begin, end) */
  fingerprint(begin: number, end: number): Uint8Array
}

export interface ReconcileOutcome {
  /** the next message's ranges; empty when the initiator is done */
  readonly ranges: Range[]
  /** initiator only: ids it holds that the other side lacks */
  readonly have: Uint8Array[]
  /** initiator only: ids the other side holds that it lacks */
  readonly need: Uint8Array[]
}

const INFINITE: Bound = { ts: Infinity, prefix: new Uint8Array(0) }

/** The first message: the whole set split into fingerprinted ranges (or its ids, when small). */
export function initiate(set: ReconcileSet): Range[] {
  const out: Range[] = []
  splitRange(set, 0, set.size(), INFINITE, out)
  return out
}

/**
 * Answers one message. The responder (`initiator: false`) answers differing ranges with finer
 * ranges and id lists with its own ids; the initiator also collects `have` and `need`. At most
 * `maxOutputBytes` of ranges come out: the rest of the set goes as one fingerprint, and the
 * next round continues there (as the reference implementation's frame size limit does).
 */
export function reconcile(set: ReconcileSet, incoming: readonly Range[], options: { initiator: boolean; maxOutputBytes: number }): ReconcileOutcome {
  const out: Range[] = []
  const have: Uint8Array[] = []
  const need: Uint8Array[] = []
  let outBytes = 1
  let prevIndex = 0
  let prevUpper: Bound = { ts: 0, prefix: new Uint8Array(0) }
  let pendingSkip = false
  const size = set.size()
  const flushSkip = (): void => {
    if (!pendingSkip) return
    pendingSkip = false
    out.push({ upper: prevUpper, mode: 'skip' })
  }
  for (const range of incoming) {
    if (compareBounds(range.upper, prevUpper) < 0) fail('E_MALFORMED', 'reconcile: ranges out of order')
    const lower = prevIndex
    const upper = lowerBound(set, prevIndex, size, range.upper)
    const produced: Range[] = []
    if (range.mode === 'skip') {
      pendingSkip = true
    } else if (range.mode === 'fingerprint') {
      if (equalFingerprint(range.fingerprint, set.fingerprint(lower, upper))) pendingSkip = true
      else splitRange(set, lower, upper, range.upper, produced)
    } else {
      if (options.initiator) {
        // only the initiator compares: the responder answers with its own ids whatever it got,
        // so a range of a million items costs it the ids it sends, not a pass over the million
        const theirs = new Map(range.ids.map((id) => [hexKey(id), id]))
        for (let i = lower; i < upper; i++) {
          const id = set.id(i)
          if (!theirs.delete(hexKey(id))) have.push(id)
        }
        need.push(...theirs.values())
        pendingSkip = true
      } else {
        // our ids for the range, as many as fit; the rest of the set follows as one fingerprint
        const room = Math.max(0, Math.floor((options.maxOutputBytes - outBytes - 128) / ITEM_ID_BYTES))
        if (upper - lower > room) {
          // as many of our ids as fit, closed by the first that does not (an empty list would
          // repeat the previous bound); the rest of the set follows as one fingerprint
          const cut = lower + room
          flushSkip()
          if (cut > lower) {
            const ids: Uint8Array[] = []
            for (let i = lower; i < cut; i++) ids.push(set.id(i))
            out.push({ upper: { ts: set.ts(cut), prefix: set.id(cut) }, mode: 'ids', ids })
          }
          out.push({ upper: INFINITE, mode: 'fingerprint', fingerprint: set.fingerprint(cut, size) })
          return { ranges: out, have, need }
        }
        const ids: Uint8Array[] = []
        for (let i = lower; i < upper; i++) ids.push(set.id(i))
        produced.push({ upper: range.upper, mode: 'ids', ids })
      }
    }
    if (produced.length > 0) {
      const bytes = produced.reduce((n, r) => n + rangeSize(r), 0)
      // the first split of a message always goes out (≤ 16 ranges, under 1 KiB), so that every
      // message makes progress whatever the budget: without it, a budget under one split livelocks
      if (
        outBytes > 1 &&
        outBytes + bytes + rangeSize({ upper: INFINITE, mode: 'fingerprint', fingerprint: new Uint8Array(FINGERPRINT_BYTES) }) > options.maxOutputBytes
      ) {
        // over budget: everything from here on is one range, looked at in the next round
        flushSkip()
        out.push({ upper: INFINITE, mode: 'fingerprint', fingerprint: set.fingerprint(lower, size) })
        return { ranges: out, have, need }
      }
      flushSkip()
      out.push(...produced)
      outBytes += bytes
    }
    prevIndex = upper
    prevUpper = range.upper
  }
  // a message of skips only says nothing: the exchange is over
  return { ranges: out.some((r) => r.mode !== 'skip') ? out : [], have, need }
}

function splitRange(set: ReconcileSet, lower: number, upper: number, upperBound: Bound, out: Range[]): void {
  const n = upper - lower
  if (n < IDLIST_THRESHOLD) {
    const ids: Uint8Array[] = []
    for (let i = lower; i < upper; i++) ids.push(set.id(i))
    out.push({ upper: upperBound, mode: 'ids', ids })
    return
  }
  const per = Math.floor(n / SPLIT_BUCKETS)
  const extra = n % SPLIT_BUCKETS
  let at = lower
  for (let b = 0; b < SPLIT_BUCKETS; b++) {
    const end = at + per + (b < extra ? 1 : 0)
    const fingerprint = set.fingerprint(at, end)
    const bound = end === upper ? upperBound : minimalBound(set, end - 1, end)
    out.push({ upper: bound, mode: 'fingerprint', fingerprint })
    at = end
  }
}

/** The shortest bound that is above item `prev` and not above item `next`. */
function minimalBound(set: ReconcileSet, prev: number, next: number): Bound {
  const ts = set.ts(next)
  if (ts !== set.ts(prev)) return { ts, prefix: new Uint8Array(0) }
  const a = set.id(prev)
  const b = set.id(next)
  let shared = 0
  while (shared < ITEM_ID_BYTES && a[shared] === b[shared]) shared++
  return { ts, prefix: b.slice(0, shared + 1) }
}

/** First index in [begin, end) whose item is not below `bound`. */
function lowerBound(set: ReconcileSet, begin: number, end: number, bound: Bound): number {
  let lo = begin
  let hi = end
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareItemToBound(set.ts(mid), set.id(mid), bound) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

function compareItemToBound(ts: number, id: Uint8Array, bound: Bound): number {
  if (ts !== bound.ts) return ts < bound.ts ? -1 : 1
  return compareBytes(id, bound.prefix)
}

function compareBounds(a: Bound, b: Bound): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1
  return compareBytes(a.prefix, b.prefix)
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

function equalFingerprint(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
function hexKey(id: Uint8Array): string {
  let s = ''
  for (const b of id) s += HEX[b]
  return s
}

/**
 * Fingerprint of a range (protocol/reconcile.md §Fingerprint): the first 16 bytes of
 * SHA-256(sum ‖ varint(count)), the sum being the ids added as 256-bit little-endian integers
 * modulo 2^256.
 */
export function fingerprintOf(sum: Uint8Array, count: number): Uint8Array {
  const n = encodeVarint(count)
  const input = new Uint8Array(ITEM_ID_BYTES + n.length)
  input.set(sum, 0)
  input.set(n, ITEM_ID_BYTES)
  return sha256(input).subarray(0, FINGERPRINT_BYTES)
}

// ---- the wire form of a message (protocol/reconcile.md §Messages) ----

const MODE = { skip: 0, fingerprint: 1, ids: 2 } as const

/** Encodes ranges as one Negentropy v1 message (timestamps delta-encoded within the message). */
export function encodeMessage(ranges: readonly Range[]): Uint8Array {
  const parts: number[] = [NEGENTROPY_V1]
  let lastTs = 0
  for (const r of ranges) {
    if (r.upper.ts === Infinity) {
      parts.push(0)
      lastTs = Infinity
    } else {
      pushVarint(parts, r.upper.ts - lastTs + 1)
      lastTs = r.upper.ts
    }
    pushVarint(parts, r.upper.prefix.length)
    for (const b of r.upper.prefix) parts.push(b)
    pushVarint(parts, MODE[r.mode])
    if (r.mode === 'fingerprint') for (const b of r.fingerprint) parts.push(b)
    if (r.mode === 'ids') {
      pushVarint(parts, r.ids.length)
      for (const id of r.ids) for (const b of id) parts.push(b)
    }
  }
  return Uint8Array.from(parts)
}

/**
 * Decodes one message, at most `maxBytes` long. Errors (WildgrassError): E_TRUNCATED (empty,
 * ends inside a field), E_OVERSIZE, E_UNKNOWN_VERSION (another protocol byte), E_MALFORMED
 * (a varint over 2^53 − 1, an unknown mode, a bound prefix over 32 bytes, a bound after the
 * open end, bounds out of order).
 */
export function decodeMessage(bytes: Uint8Array, maxBytes: number): Range[] {
  try {
    return decodeMessageUnchecked(bytes, maxBytes)
  } catch (err) {
    if (isWildgrassError(err)) throw err
    return fail('E_MALFORMED', 'reconcile message', err)
  }
}

function decodeMessageUnchecked(bytes: Uint8Array, maxBytes: number): Range[] {
  if (bytes.length === 0) fail('E_TRUNCATED', 'reconcile: empty message')
  if (bytes.length > maxBytes) fail('E_OVERSIZE', `reconcile: message of ${bytes.length} bytes, limit ${maxBytes}`)
  if (bytes[0] !== NEGENTROPY_V1) fail('E_UNKNOWN_VERSION', `reconcile: protocol byte 0x${bytes[0]!.toString(16)}`)
  const r = { at: 1 }
  const ranges: Range[] = []
  let lastTs = 0
  let previous: Bound | undefined
  while (r.at < bytes.length) {
    if (lastTs === Infinity) fail('E_MALFORMED', 'reconcile: a range after the open end')
    const encodedTs = readVarint(bytes, r)
    // compared before adding: a sum over 2^53 would be rounded, and could round back under the limit
    if (encodedTs !== 0 && encodedTs - 1 > MAX_ITEM_TS - lastTs) fail('E_MALFORMED', 'reconcile: timestamp over 2^53 - 1')
    const ts = encodedTs === 0 ? Infinity : lastTs + (encodedTs - 1)
    lastTs = ts
    const prefixLength = readVarint(bytes, r)
    if (prefixLength > ITEM_ID_BYTES) fail('E_MALFORMED', 'reconcile: bound prefix over 32 bytes')
    const upper: Bound = { ts, prefix: take(bytes, r, prefixLength) }
    if (previous !== undefined && compareBounds(upper, previous) <= 0) fail('E_MALFORMED', 'reconcile: bounds out of order')
    previous = upper
    const mode = readVarint(bytes, r)
    if (mode === MODE.skip) ranges.push({ upper, mode: 'skip' })
    else if (mode === MODE.fingerprint) ranges.push({ upper, mode: 'fingerprint', fingerprint: take(bytes, r, FINGERPRINT_BYTES) })
    else if (mode === MODE.ids) {
      const count = readVarint(bytes, r)
      // each id is 32 bytes: a count the rest of the message cannot hold is a lie, refused before any allocation
      if (count * ITEM_ID_BYTES > bytes.length - r.at) fail('E_TRUNCATED', 'reconcile: id list longer than the message')
      const ids: Uint8Array[] = []
      for (let i = 0; i < count; i++) ids.push(take(bytes, r, ITEM_ID_BYTES))
      ranges.push({ upper, mode: 'ids', ids })
    } else fail('E_MALFORMED', `reconcile: unknown mode ${mode}`)
  }
  return ranges
}

function take(bytes: Uint8Array, r: { at: number }, n: number): Uint8Array {
  if (r.at + n > bytes.length) fail('E_TRUNCATED', 'reconcile: message ends inside a field')
  const out = bytes.slice(r.at, r.at + n)
  r.at += n
  return out
}

/** Negentropy's varint: base 128, most significant group first, high bit = more follows. */
function readVarint(bytes: Uint8Array, r: { at: number }): number {
  let value = 0
  for (let n = 0; ; n++) {
    if (r.at >= bytes.length) fail('E_TRUNCATED', 'reconcile: message ends inside a varint')
    if (n === 8) fail('E_MALFORMED', 'reconcile: varint longer than 8 bytes')
    const byte = bytes[r.at++]!
    value = value * 128 + (byte & 0x7f)
    if ((byte & 0x80) === 0) break
  }
  if (value > Number.MAX_SAFE_INTEGER) fail('E_MALFORMED', 'reconcile: varint over 2^53 - 1')
  return value
}

function pushVarint(out: number[], value: number): void {
  const groups: number[] = []
  let v = value
  do {
    groups.push(v % 128)
    v = Math.floor(v / 128)
  } while (v > 0)
  for (let i = groups.length - 1; i >= 0; i--) out.push(groups[i]! | (i > 0 ? 0x80 : 0))
}

export function encodeVarint(value: number): Uint8Array {
  const out: number[] = []
  pushVarint(out, value)
  return Uint8Array.from(out)
}

/** Bytes a range takes in a message (an upper estimate for the timestamp). */
function rangeSize(r: Range): number {
  const head = 9 + 1 + r.upper.prefix.length + 1
  if (r.mode === 'fingerprint') return head + FINGERPRINT_BYTES
  if (r.mode === 'ids') return head + 3 + r.ids.length * ITEM_ID_BYTES
  return head
}
