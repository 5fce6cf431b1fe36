// Byte helpers shared by the whole core (protocol/conventions.md, "Encodings"). Pure: no I/O.
// Every decoder of untrusted text fails closed with a typed error and never returns partial data.

import { base64urlnopad } from '@scure/base'
import { fail } from './errors.ts'

const HEX_DIGITS = '0123456789abcdef'
// Lookup table: byte -> two lowercase hex digits (faster than toString(16) in hot paths such as cache keys).
const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => HEX_DIGITS[i >> 4]! + HEX_DIGITS[i & 15]!)

/** Lowercase hex of the bytes (protocol/conventions.md: hex is always lowercase on output). */
export function toHex(b: Uint8Array): string {
  let out = ''
  for (let i = 0; i < b.length; i++) out += BYTE_TO_HEX[b[i]!]
  return out
}

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  if (code >= 65 && code <= 70) return code - 55 // A-F
  return -1
}

/** Hex (either case, no prefix, no whitespace, even length) to bytes; anything else is E_MALFORMED. */
export function fromHex(s: string): Uint8Array {
  if (typeof s !== 'string') fail('E_MALFORMED', 'hex: not a string')
  if (s.length % 2 !== 0) fail('E_MALFORMED', 'hex: odd length')
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(s.charCodeAt(2 * i))
    const lo = hexNibble(s.charCodeAt(2 * i + 1))
    if (hi < 0 || lo < 0) fail('E_MALFORMED', `hex: invalid digit near offset ${2 * i}`)
    out[i] = (hi << 4) | lo
  }
  return out
}

/** A new array holding the parts one after another. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Byte-wise equality. Not constant-time: only for public data (ids, keys, signatures). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const encoder = new TextEncoder()
// fatal: invalid UTF-8 is an error, never U+FFFD; ignoreBOM: a leading BOM is kept as text, not
// silently dropped, so that decode(encode(s)) === s and no two byte strings decode to one text.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** UTF-8 encoding of a string. Lone surrogates become U+FFFD (TextEncoder); validate text first. */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s)
}

/** Strict UTF-8 decoding: any invalid sequence is E_BAD_TEXT. */
export function utf8Decode(b: Uint8Array): string {
  try {
    return decoder.decode(b)
  } catch (cause) {
    return fail('E_BAD_TEXT', 'invalid UTF-8', cause)
  }
}

/** base64url without padding (RFC 4648 section 5), as used in invite links. */
export function toBase64Url(b: Uint8Array): string {
  return base64urlnopad.encode(b)
}

/**
 * base64url without padding to bytes. Rejects padding, the standard alphabet's '+' and '/',
 * whitespace, and non-zero trailing bits (so each byte string has exactly one text form).
 */
export function fromBase64Url(s: string): Uint8Array {
  if (typeof s !== 'string') fail('E_MALFORMED', 'base64url: not a string')
  try {
    return base64urlnopad.decode(s)
  } catch (cause) {
    return fail('E_MALFORMED', 'base64url: invalid encoding', cause)
  }
}
