// Typed errors with stable codes (protocol/errors.md). Untrusted bytes fail closed with one
// of these; the codes are part of the protocol (test vectors name them), messages are not.

export const ErrorCodes = [
  // decoding
  'E_TRUNCATED', // input ends early or is empty
  'E_MALFORMED', // not the expected structure (bad CBOR, wrong types, missing fields)
  'E_NON_CANONICAL', // decodes, but is not the canonical encoding
  'E_OVERSIZE', // bytes or items beyond a limit
  'E_UNKNOWN_VERSION',
  'E_UNKNOWN_KIND',
  'E_UNKNOWN_FIELD',
  // content rules
  'E_TOO_MANY_GRAPHEMES',
  'E_BAD_TEXT', // control characters, unpaired surrogates, empty where text is required
  'E_BAD_REFERENCE', // a reference that is not a well-formed event id, or a reply without root
  'E_TIMESTAMP_FUTURE',
  'E_TIMESTAMP_PAST',
  // keys and signatures
  'E_BAD_KEY', // not a 32-byte canonical point encoding, or not a did:key
  'E_SMALL_ORDER_KEY',
  'E_NON_CANONICAL_SIG', // S >= L, or R not canonically encoded
  'E_BAD_SIGNATURE',
  'E_WRONG_AUTHOR', // signed by a key other than the document or event owner
  'E_BAD_PHRASE',
  // feed documents, invites, relays, sync
  'E_BAD_CHANGE',
  'E_RETRACTED',
  'E_BAD_INVITE',
  // releases of the app (protocol/releases.md)
  'E_DOWNGRADE', // a release not newer than the one installed (a replayed old release)
  'E_HASH_MISMATCH', // a file whose size or SHA-256 is not what its signed release names
  'E_RATE_LIMITED',
  'E_QUOTA',
  'E_UNAVAILABLE', // nobody reachable has it, or took it (a blob: protocol/blobs.md)
  'E_STORAGE',
  // direct messages and the sealed part of the feed document (protocol/direct-messages.md)
  'E_BAD_SEAL', // a sealed message or blob that does not open: not for this key, or changed on the way
  'E_REPLAYED', // a direct message already received (same letter id)
] as const

export type ErrorCode = (typeof ErrorCodes)[number]

export class WildgrassError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options)
    this.name = 'WildgrassError'
    this.code = code
  }
}

export function fail(code: ErrorCode, message: string, cause?: unknown): never {
  throw new WildgrassError(code, message, cause === undefined ? undefined : { cause })
}

export function isWildgrassError(value: unknown, code?: ErrorCode): value is WildgrassError {
  return value instanceof WildgrassError && (code === undefined || value.code === code)
}
