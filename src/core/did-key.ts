// did:key text form of an author's public key (protocol/identity.md, "did:key"):
// 'did:key:' + multibase base58btc ('z') of the multicodec varint for ed25519-pub (0xed 0x01)
// followed by the 32-byte key.

import { base58 } from '@scure/base'
import type { AuthorId, PublicKey } from './types.ts'
import { fail, isWildgrassError } from './errors.ts'
import { assertPublicKey } from './keys.ts'
import { toHex } from './bytes.ts'

const PREFIX = 'did:key:z'
const MULTICODEC_ED25519_PUB = [0xed, 0x01] as const
// 34 bytes encode to at most 47 base58 characters (here always 48 with the leading 'z' counted
// in PREFIX: 'did:key:z6Mk' + 44). A bound before decoding keeps base58's quadratic decoder
// away from megabyte inputs.
const MAX_DID_KEY_LENGTH = 64

// did:keys of keys already validated and encoded: every decoded event names its author's key,
// a feed names the same authors again and again, and base58 encoding costs more than the rest of
// a small event's decoding. Bounded; the oldest entry leaves first. Only valid keys get in.
const DID_CACHE_LIMIT = 4096
const didCache = new Map<string, AuthorId>()

/** The did:key of a public key; the key is validated first (E_BAD_KEY, E_SMALL_ORDER_KEY). */
export function encodeDidKey(pk: PublicKey): AuthorId {
  const hex = pk instanceof Uint8Array && pk.length === 32 ? toHex(pk) : undefined
  const hit = hex === undefined ? undefined : didCache.get(hex)
  if (hit !== undefined) return hit
  assertPublicKey(pk)
  const bytes = new Uint8Array(34)
  bytes[0] = MULTICODEC_ED25519_PUB[0]
  bytes[1] = MULTICODEC_ED25519_PUB[1]
  bytes.set(pk, 2)
  const did = (PREFIX + base58.encode(bytes)) as AuthorId
  if (hex !== undefined) {
    didCache.set(hex, did)
    if (didCache.size > DID_CACHE_LIMIT) didCache.delete(didCache.keys().next().value!)
  }
  return did
}

/**
 * The public key of a did:key. Exactly one text form is accepted for each key: the prefix is
 * case-sensitive, the base58 must re-encode to the same text, and the key must pass
 * assertPublicKey. E_BAD_KEY for anything that is not such a did:key, E_SMALL_ORDER_KEY.
 */
export function decodeDidKey(id: string): PublicKey {
  if (typeof id !== 'string' || id.length > MAX_DID_KEY_LENGTH || !id.startsWith(PREFIX)) {
    fail('E_BAD_KEY', 'not a did:key with a base58btc (z) multibase value')
  }
  const text = id.slice(PREFIX.length)
  let bytes: Uint8Array
  try {
    bytes = base58.decode(text)
  } catch (cause) {
    return fail('E_BAD_KEY', 'did:key: invalid base58btc', cause)
  }
  if (bytes.length !== 34 || bytes[0] !== MULTICODEC_ED25519_PUB[0] || bytes[1] !== MULTICODEC_ED25519_PUB[1]) {
    fail('E_BAD_KEY', 'did:key: not an ed25519-pub multicodec key')
  }
  if (base58.encode(bytes) !== text) fail('E_BAD_KEY', 'did:key: non-canonical base58btc')
  const pk = bytes.slice(2)
  assertPublicKey(pk)
  return pk
}

/** True when s is a did:key that decodeDidKey accepts. */
export function isAuthorId(s: string): s is AuthorId {
  try {
    decodeDidKey(s)
    return true
  } catch (e) {
    if (isWildgrassError(e)) return false
    throw e
  }
}
