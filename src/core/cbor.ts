// Strict canonical DAG-CBOR (protocol/conventions.md "Decoding CBOR"): sorted map keys, shortest
// heads, no floats, no tags, no undefined, no indefinite lengths, no duplicate keys, UTF-8 text
// that does not start with U+FEFF. So every object has exactly one byte form (and id).
// cbor-canonical.ts decodes input that is certainly canonical in one pass; anything else is
// judged by cbor-defects.ts, which names the defect the specification's order picks.
import * as dagCbor from '@ipld/dag-cbor'
import { equalBytes } from './bytes.ts'
import { decodeCertainlyCanonical } from './cbor-canonical.ts'
import { findCborDefect } from './cbor-defects.ts'
import { fail, type ErrorCode } from './errors.ts'

/** A decoded CBOR map with string keys (DAG-CBOR allows only string keys). */
export type CborMap = Record<string, unknown>

/** Canonical DAG-CBOR bytes of a value (maps get their keys sorted by the encoder). */
export function encodeCanonical(value: unknown): Uint8Array {
  try {
    return plain(dagCbor.encode(value))
  } catch (cause) {
    return fail('E_MALFORMED', 'cannot encode as DAG-CBOR', cause)
  }
}

/**
 * Decodes untrusted bytes that must be one canonical DAG-CBOR map of at most `maxBytes`
 * (protocol/conventions.md "Decoding CBOR"). Errors: E_TRUNCATED, E_OVERSIZE, E_MALFORMED,
 * E_NON_CANONICAL, E_BAD_TEXT, decided by the rules' order (cbor-defects.ts).
 */
export function decodeCanonicalMap(bytes: Uint8Array, maxBytes: number, what: string): CborMap {
  return readMap(bytes, maxBytes, what, true)
}

/**
 * The same reading rules for a map that is not a signed object (a sync frame, protocol/sync.md
 * §Frames step 2): any key order, everything else as for decodeCanonicalMap. What such a map
 * carries is checked by its own rules.
 */
export function decodeMap(bytes: Uint8Array, maxBytes: number, what: string): CborMap {
  return readMap(bytes, maxBytes, what, false)
}

function readMap(bytes: Uint8Array, maxBytes: number, what: string, canonical: boolean): CborMap {
  if (!(bytes instanceof Uint8Array)) fail('E_MALFORMED', `${what}: not bytes`)
  if (bytes.length === 0) fail('E_TRUNCATED', `${what}: empty`)
  if (bytes.length > maxBytes) fail('E_OVERSIZE', `${what}: ${bytes.length} bytes, limit ${maxBytes}`)
  // Cheap first look: a map header (major type 5), so random bytes fail before any allocation.
  if (bytes[0]! >> 5 !== 5) fail('E_MALFORMED', `${what}: not a CBOR map`)
  // the usual case: certainly canonical (so valid either way), decoded in one pass
  const certain = decodeCertainlyCanonical(bytes)
  if (isPlainMap(certain)) return certain
  const defect = findCborDefect(bytes, canonical)
  if (defect !== undefined) fail(defect.code, `${what}: ${defect.message}`)
  let value: unknown
  try {
    value = dagCbor.decode(bytes)
  } catch (cause) {
    // not reached for bytes without defects; a library surprise still fails closed
    return fail('E_MALFORMED', `${what}: invalid DAG-CBOR`, cause)
  }
  if (!isPlainMap(value)) fail('E_MALFORMED', `${what}: not a map`)
  // a second opinion that can only reject: the accepted set is never larger than "re-encodes to itself"
  if (canonical && !equalBytes(encodeCanonical(value), bytes)) fail('E_NON_CANONICAL', `${what}: not the canonical encoding`)
  return value
}

/** A plain Uint8Array view (Node's cborg build may hand out Buffers, whose slice() does not copy). */
function plain(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/** A copy in a plain Uint8Array of its own: results never share memory with untrusted input. */
export function copyBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b)
}

/** A plain object as DAG-CBOR decodes a map (not an array, bytes, CID or null). */
export function isPlainMap(value: unknown): value is CborMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Fails with E_UNKNOWN_FIELD when the map has a key outside `allowed` (protocol/versioning.md). */
export function rejectUnknownFields(map: CborMap, allowed: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(map)) {
    if (!allowed.has(key)) fail('E_UNKNOWN_FIELD', `${what}: unknown field "${key.slice(0, 40)}"`)
  }
}

/**
 * The `v` every signed object carries (protocol/versioning.md): missing, or anything but an
 * unsigned integer (a negative one included), E_MALFORMED; another unsigned integer, of any size,
 * E_UNKNOWN_VERSION (which gossip ignores without penalty, so only what a newer peer could send).
 */
export function expectVersion(map: CborMap, version: number, what: string): void {
  if (!('v' in map)) fail('E_MALFORMED', `${what}: no version`)
  const v = map.v
  if (v === version) return
  const unsigned = (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n)
  fail(unsigned ? 'E_UNKNOWN_VERSION' : 'E_MALFORMED', `${what}: unsupported version`)
}

/** Bytes of exactly `length`, else `code`. */
export function expectBytes(value: unknown, length: number, code: ErrorCode, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(code === 'E_BAD_REFERENCE' ? code : 'E_MALFORMED', `${what}: not bytes`)
  if (value.length !== length) fail(code, `${what}: ${value.length} bytes, expected ${length}`)
  return value
}

/** A safe, non-negative integer, else E_MALFORMED. */
export function expectInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail('E_MALFORMED', `${what}: not a non-negative integer`)
  return value
}
