// Invite links (protocol/invites.md): `<appUrl>#invite=<base64url(canonical signed CBOR)>`.
// The payload lives in the URL fragment, which browsers never send to a web server.
import { fromBase64Url, toBase64Url } from './bytes.ts'
import { copyBytes, decodeCanonicalMap, encodeCanonical, expectBytes, expectVersion, rejectUnknownFields, type CborMap } from './cbor.ts'
import { encodeDidKey } from './did-key.ts'
import { fail, isWildgrassError } from './errors.ts'
import { checkTimestamp } from './event-validate.ts'
import { getPublicKey, sign, signedBytes, verifySignature } from './keys.ts'
import {
  MAX_INVITE_BYTES,
  MAX_INVITE_NAME_BYTES,
  MAX_INVITE_NAME_GRAPHEMES,
  MAX_INVITE_RELAYS,
  MAX_RELAY_ADDR_BYTES,
  MIN_INVITE_RELAYS,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
} from './limits.ts'
import { checkText, isMultiaddrText, utf8Length } from './text.ts'
import type { AuthorId, PublicKey, SecretKey } from './types.ts'

export interface Invite {
  readonly v: 1
  /** relay multiaddrs to connect to, in the inviter's order of preference */
  readonly relays: readonly string[]
  readonly inviter: AuthorId
  /** the inviter's display name, as the inviter chose it (unverified claim) */
  readonly name: string
  readonly community?: string
  /** when the invite was made (ms); invites do not expire, the app may show the age */
  readonly ts: number
  readonly sig: Uint8Array
}

export interface InviteInit {
  relays: readonly string[]
  name: string
  community?: string
  ts?: number
}

const FIELDS = new Set(['v', 'relays', 'inviter', 'name', 'community', 'ts', 'sig'])
const FRAGMENT_KEY = 'invite='
const NAME_RULE = { field: 'name', maxGraphemes: MAX_INVITE_NAME_GRAPHEMES, maxBytes: MAX_INVITE_NAME_BYTES, multiline: false }
const COMMUNITY_RULE = { ...NAME_RULE, field: 'community' }
// base64url of MAX_INVITE_BYTES, rounded up: longer text cannot hold a valid invite.
const MAX_PAYLOAD_CHARS = Math.ceil((MAX_INVITE_BYTES * 4) / 3)
const BASE64URL_TEXT = /^[A-Za-z0-9_-]+$/

function checkRelays(relays: unknown): asserts relays is string[] {
  if (!Array.isArray(relays)) fail('E_MALFORMED', 'relays: not a list')
  if (relays.length < MIN_INVITE_RELAYS) fail('E_BAD_INVITE', 'relays: none')
  if (relays.length > MAX_INVITE_RELAYS) fail('E_OVERSIZE', `relays: more than ${MAX_INVITE_RELAYS}`)
  for (const addr of relays) {
    if (typeof addr !== 'string') fail('E_MALFORMED', 'relays: not all text')
    if (utf8Length(addr) > MAX_RELAY_ADDR_BYTES) fail('E_OVERSIZE', `relay address longer than ${MAX_RELAY_ADDR_BYTES} bytes`)
    if (!isMultiaddrText(addr)) fail('E_BAD_INVITE', 'relay address is not a multiaddr')
  }
  if (new Set(relays).size !== relays.length) fail('E_BAD_INVITE', 'relays: duplicate')
}

/** Content rules shared by createInvite and parseInvite. */
function checkFields(map: CborMap, now: number): void {
  checkRelays(map.relays)
  checkText(map.name, NAME_RULE)
  if ('community' in map) checkText(map.community, COMMUNITY_RULE)
  if (typeof map.ts !== 'number') fail('E_MALFORMED', 'ts: not an integer')
  checkTimestamp(map.ts, now)
}

/** A signed invite link: `appUrl` without its fragment, then `#invite=<payload>`. */
export function createInvite(secret: SecretKey, init: InviteInit, appUrl: string, options: { now?: number } = {}): string {
  const now = options.now ?? Date.now()
  const unsigned: CborMap = { v: 1, relays: [...init.relays], inviter: getPublicKey(secret), name: init.name, ts: init.ts ?? now }
  if (init.community !== undefined) unsigned.community = init.community
  checkFields(unsigned, now)
  const sig = sign(secret, signedBytes('wildgrass/invite/v1', encodeCanonical(unsigned)))
  const bytes = encodeCanonical({ ...unsigned, sig })
  if (bytes.length > MAX_INVITE_BYTES) fail('E_OVERSIZE', `invite: ${bytes.length} bytes, limit ${MAX_INVITE_BYTES}`)
  const hash = appUrl.indexOf('#')
  return `${hash < 0 ? appUrl : appUrl.slice(0, hash)}#${FRAGMENT_KEY}${toBase64Url(bytes)}`
}

/**
 * The payload text of a link (invites.md §1): after the first `#`, or the whole text when it
 * starts with `invite=`, the one `&`-separated parameter `invite=`; otherwise the text is the
 * bare payload. No percent-decoding: base64url needs none.
 */
function payloadOf(urlOrFragment: string): string {
  const text = urlOrFragment.trim()
  const hash = text.indexOf('#')
  if (hash < 0 && !text.startsWith(FRAGMENT_KEY)) return text
  const params = text
    .slice(hash + 1)
    .split('&')
    .filter((p) => p.startsWith(FRAGMENT_KEY))
  if (params.length === 0) fail('E_BAD_INVITE', 'no invite in the link')
  if (params.length > 1) fail('E_BAD_INVITE', 'more than one invite in the link')
  return params[0]!.slice(FRAGMENT_KEY.length)
}

/** The signed CBOR bytes inside an invite link; E_BAD_INVITE when there is none. */
export function inviteBytesOf(urlOrFragment: string): Uint8Array {
  if (typeof urlOrFragment !== 'string') fail('E_BAD_INVITE', 'not a link')
  const payload = payloadOf(urlOrFragment)
  if (payload.length === 0) fail('E_BAD_INVITE', 'empty invite')
  // the alphabet first, so that the length limit counts ASCII characters, which are bytes too
  if (!BASE64URL_TEXT.test(payload)) fail('E_BAD_INVITE', 'invite is not base64url')
  if (payload.length > MAX_PAYLOAD_CHARS) fail('E_OVERSIZE', 'invite: too long')
  try {
    return fromBase64Url(payload)
  } catch (cause) {
    return fail('E_BAD_INVITE', 'invite is not base64url', isWildgrassError(cause) ? cause : undefined)
  }
}

/** Decodes and checks the signed invite bytes (no signature check). */
export function decodeInvite(bytes: Uint8Array, options: { now?: number } = {}): Invite {
  const map = decodeCanonicalMap(bytes, MAX_INVITE_BYTES, 'invite')
  expectVersion(map, 1, 'invite')
  rejectUnknownFields(map, FIELDS, 'invite')
  const inviter = encodeDidKey(expectBytes(map.inviter, PUBLIC_KEY_BYTES, 'E_BAD_KEY', 'inviter') as PublicKey)
  checkFields(map, options.now ?? Date.now())
  const sig = expectBytes(map.sig, SIGNATURE_BYTES, 'E_MALFORMED', 'sig')
  const invite: { -readonly [K in keyof Invite]: Invite[K] } = {
    v: 1,
    relays: Object.freeze([...(map.relays as string[])]),
    inviter,
    name: map.name as string,
    ts: map.ts as number,
    sig: copyBytes(sig),
  }
  if ('community' in map) invite.community = map.community as string
  return Object.freeze(invite)
}

/** Decode + verify an invite link: what the app calls when someone opens one. */
export async function parseInvite(urlOrFragment: string, options: { now?: number } = {}): Promise<Invite> {
  const bytes = inviteBytesOf(urlOrFragment)
  const invite = decodeInvite(bytes, options)
  const { sig: _sig, ...unsigned } = decodeCanonicalMap(bytes, MAX_INVITE_BYTES, 'invite')
  const publicKey = expectBytes(unsigned.inviter, PUBLIC_KEY_BYTES, 'E_BAD_KEY', 'inviter')
  await verifySignature(publicKey, signedBytes('wildgrass/invite/v1', encodeCanonical(unsigned)), invite.sig)
  return invite
}
