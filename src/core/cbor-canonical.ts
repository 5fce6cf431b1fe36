// A one-pass decoder for DAG-CBOR that is certainly canonical (protocol/conventions.md), so the
// usual object needs neither the generic decoder nor a re-encoding to compare with (cbor.ts).
// It only ever says "here is the value, and the bytes are certainly its canonical encoding" or
// "not sure": every input it is not sure of — anything outside the plain subset our objects
// use, and every defect — goes on to the generic decode and the full re-encode comparison, which
// alone decide rejections and their error codes. So this file can make decoding faster, never
// laxer or different. Tested against @ipld/dag-cbor on vectors, random values and mutations
// (test/unit/core/cbor-canonical.test.ts): same value, and re-encoding gives the same bytes.
//
// "Certainly canonical" here means: every head is minimal, lengths at most 32 bits wide,
// integers within ±(2^53 − 2^32); only unsigned/negative integers, byte strings, well-formed
// UTF-8 text strings that do not start with a BOM (TextDecoder would drop it), arrays and maps;
// map keys are non-empty text strings of at most 255 bytes other than "__proto__", in strictly
// increasing DAG-CBOR order (shorter first, then bytewise); nesting at most MAX_CBOR_DEPTH deep;
// nothing after the one top-level item. No tags, floats or simple values (none of our objects
// has them).

import { MAX_CBOR_DEPTH } from './limits.ts'

/** returned when not sure; never a decoded value (those are numbers, strings, bytes, arrays, objects) */
const NOT_SURE = Symbol('not sure')
const text = new TextDecoder()

interface Cursor {
  readonly b: Uint8Array
  p: number
}

/** The value of `bytes` when they are certainly its canonical encoding, else undefined. */
export function decodeCertainlyCanonical(bytes: Uint8Array): unknown {
  const at: Cursor = { b: bytes, p: 0 }
  const value = item(at, 0)
  return value === NOT_SURE || at.p !== bytes.length ? undefined : value
}

/** The head's argument (minimal form only; a length or integer), advancing past it; -1 when not sure. */
function head(at: Cursor, info: number, integer: boolean): number {
  const { b } = at
  const p = at.p
  if (info < 24) return info
  if (info === 24) {
    if (p + 1 > b.length || b[p]! < 24) return -1
    at.p = p + 1
    return b[p]!
  }
  if (info === 25) {
    const arg = p + 2 > b.length ? 0 : (b[p]! << 8) | b[p + 1]!
    if (arg < 0x100) return -1
    at.p = p + 2
    return arg
  }
  if (info === 26) {
    const arg = p + 4 > b.length ? 0 : b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
    if (arg < 0x10000) return -1
    at.p = p + 4
    return arg
  }
  if (info === 27 && integer && p + 8 <= b.length) {
    // 33 bits up to just below 2^53 (timestamps in ms); beyond, cborg gives BigInt: not sure
    const high = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
    if (high === 0 || high >= 0x1fffff) return -1
    at.p = p + 8
    return high * 0x100000000 + (b[p + 4]! * 0x1000000 + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!))
  }
  return -1 // 64-bit lengths, reserved values, indefinite lengths
}

function item(at: Cursor, depth: number): unknown {
  const { b } = at
  if (at.p >= b.length || depth > MAX_CBOR_DEPTH) return NOT_SURE
  const first = b[at.p++]!
  const major = first >> 5
  if (major > 5) return NOT_SURE // tags, floats, simple values
  const arg = head(at, first & 0x1f, major <= 1)
  if (arg < 0) return NOT_SURE
  switch (major) {
    case 0:
      return arg
    case 1:
      return -1 - arg
    case 2: {
      const start = at.p
      if (start + arg > b.length) return NOT_SURE
      at.p = start + arg
      const out = new Uint8Array(arg) // a copy, as the generic decoder gives: never a view into input
      out.set(b.subarray(start, start + arg))
      return out
    }
    case 3:
      return textAt(at, arg)
    case 4: {
      const list: unknown[] = []
      for (let i = 0; i < arg; i++) {
        const v = item(at, depth + 1)
        if (v === NOT_SURE) return NOT_SURE
        list.push(v)
      }
      return list
    }
    default:
      return mapAt(at, arg, depth)
  }
}

function textAt(at: Cursor, length: number): string | typeof NOT_SURE {
  const start = at.p
  const end = start + length
  if (end > at.b.length || !isPlainUtf8(at.b, start, end)) return NOT_SURE
  at.p = end
  return text.decode(at.b.subarray(start, end))
}

function mapAt(at: Cursor, count: number, depth: number): Record<string, unknown> | typeof NOT_SURE {
  const { b } = at
  const map: Record<string, unknown> = {}
  let prevStart = 0
  let prevLength = -1
  for (let i = 0; i < count; i++) {
    // keys: non-empty text of at most 255 bytes (a one-byte head, or one length byte)
    if (at.p >= b.length || b[at.p]! >> 5 !== 3) return NOT_SURE
    const info = b[at.p++]! & 0x1f
    if (info === 0 || info > 24) return NOT_SURE
    const length = head(at, info, false)
    if (length < 0) return NOT_SURE
    const start = at.p
    if (isProtoKey(b, start, length) || !keyFollows(b, prevStart, prevLength, start, length)) return NOT_SURE
    const key = textAt(at, length)
    if (key === NOT_SURE) return NOT_SURE
    prevStart = start
    prevLength = length
    const value = item(at, depth + 1)
    if (value === NOT_SURE) return NOT_SURE
    map[key] = value
  }
  return map
}

/** DAG-CBOR key order: a shorter key first, then bytewise; equal keys do not follow. */
export function keyFollows(b: Uint8Array, prevStart: number, prevLength: number, start: number, length: number): boolean {
  if (length !== prevLength) return length > prevLength
  if (start + length > b.length) return false
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
export function isPlainUtf8(b: Uint8Array, start: number, end: number): boolean {
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
      if (c === 0xe0)
        lo = 0xa0 // overlong
      else if (c === 0xed) hi = 0x9f // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3
      if (c === 0xf0)
        lo = 0x90 // overlong
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
