// A one-pass check that decoded DAG-CBOR bytes are already canonical (protocol/conventions.md),
// so the decoder need not re-encode the value and compare (cbor.ts). It only ever says "yes,
// certainly canonical" or "not sure": every input it is not sure of — anything outside the plain
// subset our objects use, and every defect — goes on to the full re-encode comparison, which
// alone decides rejections and their error codes. So this file can make decoding faster, never
// laxer or different; the soundness property (yes ⇒ encode(decode(b)) = b) is tested against
// the encoder on random and mutated inputs (test/unit/cbor-canonical.test.ts).
//
// "Certainly canonical" here means: every head is minimal, lengths at most 32 bits wide,
// integers within ±2^53; only unsigned/negative integers, byte strings, well-formed UTF-8 text strings that do not start
// with a BOM (TextDecoder would drop it), arrays and maps; map keys are non-empty text strings
// of at most 255 bytes other than "__proto__", in strictly increasing DAG-CBOR order (shorter first, then bytewise);
// nesting at most MAX_DEPTH deep; nothing after the one top-level item. No tags, floats or
// simple values (none of our objects has them).

const MAX_DEPTH = 16
const NOT_SURE = -1

/** True when `bytes` is certainly the canonical encoding of the value it decodes to. */
export function isSurelyCanonical(bytes: Uint8Array): boolean {
  return item(bytes, 0, 0) === bytes.length
}

/** The position after the item at `pos`, or NOT_SURE. */
function item(b: Uint8Array, pos: number, depth: number): number {
  if (pos >= b.length || depth > MAX_DEPTH) return NOT_SURE
  const major = b[pos]! >> 5
  const info = b[pos]! & 0x1f
  let p = pos + 1
  let arg: number
  if (info < 24) arg = info
  else if (info === 24) {
    if (p + 1 > b.length) return NOT_SURE
    arg = b[p]!
    p += 1
    if (arg < 24) return NOT_SURE
  } else if (info === 25) {
    if (p + 2 > b.length) return NOT_SURE
    arg = (b[p]! << 8) | b[p + 1]!
    p += 2
    if (arg < 0x100) return NOT_SURE
  } else if (info === 26) {
    if (p + 4 > b.length) return NOT_SURE
    arg = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
    p += 4
    if (arg < 0x10000) return NOT_SURE
  } else if (info === 27 && major <= 1) {
    // integers of 33 bits up to just below 2^53 (timestamps in ms); beyond, BigInt: not sure
    if (p + 8 > b.length) return NOT_SURE
    const high = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
    p += 8
    return high === 0 || high >= 0x1fffff ? NOT_SURE : p
  } else return NOT_SURE // 64-bit lengths, reserved values, indefinite lengths
  switch (major) {
    case 0:
    case 1:
      return p
    case 2:
      return p + arg <= b.length ? p + arg : NOT_SURE
    case 3:
      return p + arg <= b.length && isPlainUtf8(b, p, p + arg) ? p + arg : NOT_SURE
    case 4:
      for (let i = 0; i < arg && p !== NOT_SURE; i++) p = item(b, p, depth + 1)
      return p
    case 5:
      return mapEntries(b, p, arg, depth)
    default:
      return NOT_SURE // tags, floats, simple values
  }
}

/** The position after `count` key/value pairs starting at `pos`, or NOT_SURE. */
function mapEntries(b: Uint8Array, pos: number, count: number, depth: number): number {
  let p = pos
  let prevStart = 0
  let prevLength = -1
  for (let i = 0; i < count; i++) {
    if (p >= b.length) return NOT_SURE
    // keys are non-empty text of at most 255 bytes (a one-byte head or one length byte)
    const head = b[p]!
    if (head >> 5 !== 3) return NOT_SURE
    let length = head & 0x1f
    let start = p + 1
    if (length === 24) {
      if (start >= b.length) return NOT_SURE
      length = b[start]!
      start += 1
      if (length < 24) return NOT_SURE
    } else if (length === 0 || length > 24) return NOT_SURE
    if (start + length > b.length || !isPlainUtf8(b, start, start + length) || isProtoKey(b, start, length)) return NOT_SURE
    if (!follows(b, prevStart, prevLength, start, length)) return NOT_SURE
    prevStart = start
    prevLength = length
    p = item(b, start + length, depth + 1)
    if (p === NOT_SURE) return NOT_SURE
  }
  return p
}

/** DAG-CBOR key order: a shorter key first, then bytewise; equal keys do not follow. */
function follows(b: Uint8Array, prevStart: number, prevLength: number, start: number, length: number): boolean {
  if (length !== prevLength) return length > prevLength
  for (let i = 0; i < length; i++) {
    const x = b[prevStart + i]!
    const y = b[start + i]!
    if (x !== y) return y > x
  }
  return false
}

const PROTO = [0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f] // "__proto__"

function isProtoKey(b: Uint8Array, start: number, length: number): boolean {
  if (length !== PROTO.length) return false
  for (let i = 0; i < length; i++) if (b[start + i] !== PROTO[i]) return false
  return true
}

/**
 * Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) that
 * does not start with a byte order mark: exactly the text that decodes and re-encodes unchanged.
 */
function isPlainUtf8(b: Uint8Array, start: number, end: number): boolean {
  if (end - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf) return false
  let i = start
  while (i < end) {
    const c = b[i]!
    if (c < 0x80) {
      i++
      continue
    }
    let need: number
    let lo = 0x80
    let hi = 0xbf
    if (c >= 0xc2 && c <= 0xdf) need = 1
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2
      if (c === 0xe0) lo = 0xa0 // overlong
      else if (c === 0xed) hi = 0x9f // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3
      if (c === 0xf0) lo = 0x90 // overlong
      else if (c === 0xf4) hi = 0x8f // above U+10FFFF
    } else return false
    if (i + need >= end) return false // sequence cut by the end of the string
    const second = b[i + 1]!
    if (second < lo || second > hi) return false
    for (let k = 2; k <= need; k++) {
      const next = b[i + k]!
      if (next < 0x80 || next > 0xbf) return false
    }
    i += need + 1
  }
  return true
}
