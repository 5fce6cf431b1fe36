// Strict canonical DAG-CBOR (protocol/README.md "Encoding", protocol/conventions.md): sorted map
// keys, minimal integers, no floats where integers are meant, no indefinite lengths, no tags,
// no duplicate keys. A decoder rejects any input that is not byte-for-byte the re-encoding of
// what it read, so every object has exactly one byte form (and id); cbor-canonical.ts decodes
// input that is certainly canonical in one pass, without the generic decoder or a re-encoding.
import * as dagCbor from '@ipld/dag-cbor'
import { equalBytes, utf8Decode } from './bytes.ts'
import { decodeCertainlyCanonical } from './cbor-canonical.ts'
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
 * Decodes untrusted bytes that must be one canonical DAG-CBOR map of at most `maxBytes`.
 * Errors: E_TRUNCATED (empty or ends early), E_OVERSIZE, E_NON_CANONICAL (non-minimal integers,
 * unsorted keys, any other difference from the re-encoding), E_MALFORMED (everything else that
 * is not DAG-CBOR, trailing bytes, duplicate keys, tags, not a map).
 */
export function decodeCanonicalMap(bytes: Uint8Array, maxBytes: number, what: string): CborMap {
  checkMapBytes(bytes, maxBytes, what)
  // the usual case: certainly canonical, decoded in one pass; anything else is judged below
  const certain = decodeCertainlyCanonical(bytes)
  if (isPlainMap(certain)) return certain
  const value = decodeDagCborMap(bytes, what, classifyDecodeError)
  if (!equalBytes(encodeCanonical(value), bytes)) {
    // The decoder replaces invalid UTF-8 with U+FFFD, which always re-encodes differently; name
    // that defect precisely (conventions.md "Text": E_BAD_TEXT, never replaced).
    assertTextStringsUtf8(bytes)
    fail('E_NON_CANONICAL', `${what}: not the canonical encoding`)
  }
  return value
}

/**
 * Decodes untrusted bytes that must be one DAG-CBOR map of at most `maxBytes`, in any encoding
 * the strict DAG-CBOR decoder accepts: for transport (protocol/sync.md frames), whose canonical
 * form is not required; signed objects go through decodeCanonicalMap. Errors: E_TRUNCATED,
 * E_OVERSIZE, E_MALFORMED (everything else, non-minimal encodings included).
 */
export function decodeMap(bytes: Uint8Array, maxBytes: number, what: string): CborMap {
  checkMapBytes(bytes, maxBytes, what)
  return decodeDagCborMap(bytes, what, (cause) => (classifyDecodeError(cause) === 'E_TRUNCATED' ? 'E_TRUNCATED' : 'E_MALFORMED'))
}

/** Bytes, not empty, within the limit, and a map header (major type 5) first, so random bytes fail before any allocation. */
function checkMapBytes(bytes: Uint8Array, maxBytes: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) fail('E_MALFORMED', `${what}: not bytes`)
  if (bytes.length === 0) fail('E_TRUNCATED', `${what}: empty`)
  if (bytes.length > maxBytes) fail('E_OVERSIZE', `${what}: ${bytes.length} bytes, limit ${maxBytes}`)
  if (bytes[0]! >> 5 !== 5) fail('E_MALFORMED', `${what}: not a CBOR map`)
}

function decodeDagCborMap(bytes: Uint8Array, what: string, classify: (cause: unknown) => ErrorCode): CborMap {
  let value: unknown
  try {
    value = dagCbor.decode(bytes)
  } catch (cause) {
    return fail(classify(cause), `${what}: invalid DAG-CBOR`, cause)
  }
  if (!isPlainMap(value)) fail('E_MALFORMED', `${what}: not a map`)
  return value
}

/**
 * Walks the CBOR items of already-decoded (so well-formed, definite-length) bytes and decodes
 * every text string with a fatal UTF-8 decoder: E_BAD_TEXT on the first invalid one.
 */
function assertTextStringsUtf8(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 0
  let pending = 1 // items still to read
  while (pending > 0 && pos < bytes.length) {
    pending--
    const first = bytes[pos++]!
    const major = first >> 5
    const info = first & 0x1f
    let arg = info
    if (info === 24) arg = bytes[pos++]!
    else if (info === 25) arg = view.getUint16(pos)
    else if (info === 26) arg = view.getUint32(pos)
    else if (info === 27) arg = Number(view.getBigUint64(pos))
    if (info >= 25 && info <= 27) pos += 2 ** (info - 24)
    if (major === 2 || major === 3) {
      if (major === 3) utf8Decode(bytes.subarray(pos, pos + arg))
      pos += arg
    } else if (major === 4) pending += arg
    else if (major === 5) pending += 2 * arg
    else if (major === 6) pending += 1
  }
}

/** A plain Uint8Array view (Node's cborg build may hand out Buffers, whose slice() does not copy). */
function plain(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/** A copy in a plain Uint8Array of its own: results never share memory with untrusted input. */
export function copyBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b)
}

function classifyDecodeError(cause: unknown): ErrorCode {
  const message = cause instanceof Error ? cause.message : ''
  if (/not enough (data|entries)|did not find any content|unexpected end/.test(message)) return 'E_TRUNCATED'
  if (/more bytes than necessary/.test(message)) return 'E_NON_CANONICAL'
  return 'E_MALFORMED'
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
 * The `v` every signed object carries (protocol/versioning.md): missing or not an integer
 * E_MALFORMED, another integer E_UNKNOWN_VERSION.
 */
export function expectVersion(map: CborMap, version: number, what: string): void {
  if (!('v' in map)) fail('E_MALFORMED', `${what}: no version`)
  if (map.v !== version) fail(Number.isInteger(map.v) ? 'E_UNKNOWN_VERSION' : 'E_MALFORMED', `${what}: unsupported version`)
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
