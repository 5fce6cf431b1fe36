// Signed relay records (protocol/relays.md): a relay announces its libp2p peer id and addresses,
// signed by its operator's Ed25519 record key. Canonical DAG-CBOR; signed bytes are
// signedBytes('wildgrass/relay/v1', canonical unsigned map) (conventions.md).
import { base58 } from '@scure/base'
import { copyBytes, decodeCanonicalMap, encodeCanonical, expectBytes, expectVersion, rejectUnknownFields, type CborMap } from './cbor.ts'
import { fail } from './errors.ts'
import { checkTimestamp } from './event-validate.ts'
import { assertPublicKey, getPublicKey, sign, signedBytes, verifySignature } from './keys.ts'
import { MAX_RELAY_ADDR_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './limits.ts'
import { isMultiaddrText, utf8Length } from './text.ts'
import type { PublicKey, SecretKey } from './types.ts'

/** Addresses in one record (relays.md "Limits"). */
export const MAX_RELAY_RECORD_ADDRS = 8
/** A peer id in text (base58btc multihash); real ones are 46-53 characters. */
export const MAX_PEER_ID_CHARS = 64
/** Largest record on the wire. */
export const MAX_RELAY_RECORD_BYTES = 3072
/** Default freshness: a record older than this is stale (E_TIMESTAMP_PAST); relays re-announce. */
export const RELAY_RECORD_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000

export interface RelayRecord {
  readonly v: 1
  /** the relay's libp2p peer id, base58btc text (e.g. `12D3KooW…`) */
  readonly peer: string
  /** multiaddrs to dial the relay at, in the operator's order of preference */
  readonly addrs: readonly string[]
  /** when the record was made (ms); the newest record of a (key, peer) pair wins */
  readonly ts: number
  /** the operator's record key (not the libp2p peer key) */
  readonly key: PublicKey
  readonly sig: Uint8Array
  /** canonical wire bytes, what is gossiped and stored */
  readonly bytes: Uint8Array
}

export interface RelayRecordInit {
  peer: string
  addrs: readonly string[]
  ts?: number
}

export interface RelayRecordOptions {
  /** the verifier's clock in ms (default Date.now()) */
  now?: number
  /** oldest acceptable record age in ms (default RELAY_RECORD_MAX_AGE_MS; Infinity = no limit) */
  maxAgeMs?: number
}

const FIELDS = new Set(['v', 'peer', 'addrs', 'ts', 'key', 'sig'])

/**
 * Multihash heads of the peer ids libp2p writes (relays.md §2 step 4): an identity multihash of
 * the protobuf PublicKey of an Ed25519 key (`12D3KooW…`) or of a compressed secp256k1 key
 * (`16Uiu2…`), each followed by exactly the key's bytes, or SHA-256 of a larger key (RSA, `Qm…`).
 * The key bytes are not decoded: the handshake proves the key when a client dials.
 */
const PEER_ID_FORMS: ReadonlyArray<{ head: readonly number[]; keyBytes: number }> = [
  { head: [0x00, 0x24, 0x08, 0x01, 0x12, 0x20], keyBytes: 32 },
  { head: [0x00, 0x25, 0x08, 0x02, 0x12, 0x21], keyBytes: 33 },
  { head: [0x12, 0x20], keyBytes: 32 },
]

/** A libp2p peer id in its base58btc text form, in one of PEER_ID_FORMS; only the canonical base58 text. */
function checkPeerId(peer: unknown): asserts peer is string {
  if (typeof peer !== 'string') fail('E_MALFORMED', 'peer: not text')
  if (peer.length === 0 || peer.length > MAX_PEER_ID_CHARS) fail('E_MALFORMED', 'peer: not a peer id')
  let mh: Uint8Array
  try {
    mh = base58.decode(peer)
  } catch (cause) {
    return fail('E_MALFORMED', 'peer: not base58btc', cause)
  }
  const known = PEER_ID_FORMS.some(({ head, keyBytes }) => mh.length === head.length + keyBytes && head.every((b, i) => mh[i] === b))
  if (!known) fail('E_MALFORMED', 'peer: not a multihash peer id')
  if (base58.encode(mh) !== peer) fail('E_MALFORMED', 'peer: non-canonical base58btc')
}

/**
 * 1..8 distinct multiaddrs of at most 256 ASCII bytes. A relay announces its own direct
 * addresses: no `/p2p-circuit`, and a `/p2p/` component, if present, is the last one and names
 * this record's peer (so a record cannot advertise another peer's address as its own).
 */
function checkAddrs(addrs: unknown, peer: string): asserts addrs is string[] {
  if (!Array.isArray(addrs)) fail('E_MALFORMED', 'addrs: not a list')
  if (addrs.length === 0) fail('E_MALFORMED', 'addrs: empty')
  if (addrs.length > MAX_RELAY_RECORD_ADDRS) fail('E_OVERSIZE', `addrs: more than ${MAX_RELAY_RECORD_ADDRS}`)
  for (const addr of addrs) {
    if (typeof addr !== 'string') fail('E_MALFORMED', 'addrs: not all text')
    if (utf8Length(addr) > MAX_RELAY_ADDR_BYTES) fail('E_OVERSIZE', `addrs: longer than ${MAX_RELAY_ADDR_BYTES} bytes`)
    if (!isMultiaddrText(addr)) fail('E_MALFORMED', 'addrs: not a multiaddr')
    if (addr.includes('/p2p-circuit')) fail('E_MALFORMED', 'addrs: a relay announces direct addresses, not circuits')
    const at = addr.indexOf('/p2p/')
    if (at >= 0 && addr.slice(at) !== `/p2p/${peer}`) fail('E_MALFORMED', 'addrs: /p2p/ names another peer')
  }
  if (new Set(addrs).size !== addrs.length) fail('E_MALFORMED', 'addrs: duplicate')
}

function checkFields(map: CborMap, options: RelayRecordOptions): void {
  checkPeerId(map.peer)
  checkAddrs(map.addrs, map.peer)
  if (typeof map.ts !== 'number') fail('E_MALFORMED', 'ts: not an integer')
  const now = options.now ?? Date.now()
  checkTimestamp(map.ts, now)
  const maxAge = options.maxAgeMs ?? RELAY_RECORD_MAX_AGE_MS
  if (now - map.ts > maxAge) fail('E_TIMESTAMP_PAST', 'relay record is stale')
}

/** A signed relay record for the operator key `secret`. Throws typed errors on bad input. */
export function createRelayRecord(secret: SecretKey, init: RelayRecordInit, options: RelayRecordOptions = {}): RelayRecord {
  const now = options.now ?? Date.now()
  const unsigned: CborMap = { v: 1, peer: init.peer, addrs: [...init.addrs], ts: init.ts ?? now, key: getPublicKey(secret) }
  checkFields(unsigned, { ...options, now })
  const sig = sign(secret, signedBytes('wildgrass/relay/v1', encodeCanonical(unsigned)))
  const bytes = encodeCanonical({ ...unsigned, sig })
  if (bytes.length > MAX_RELAY_RECORD_BYTES) fail('E_OVERSIZE', `relay record: ${bytes.length} bytes, limit ${MAX_RELAY_RECORD_BYTES}`)
  return decodeRelayRecord(bytes, { ...options, now })
}

/** Strict decoding and content rules, without the signature check (relays.md "Validation"). */
export function decodeRelayRecord(bytes: Uint8Array, options: RelayRecordOptions = {}): RelayRecord {
  const map = decodeCanonicalMap(bytes, MAX_RELAY_RECORD_BYTES, 'relay record')
  expectVersion(map, 1, 'relay record')
  rejectUnknownFields(map, FIELDS, 'relay record')
  const key = copyBytes(expectBytes(map.key, PUBLIC_KEY_BYTES, 'E_BAD_KEY', 'key'))
  assertPublicKey(key)
  checkFields(map, options)
  const sig = copyBytes(expectBytes(map.sig, SIGNATURE_BYTES, 'E_MALFORMED', 'sig'))
  return Object.freeze({
    v: 1,
    peer: map.peer as string,
    addrs: Object.freeze([...(map.addrs as string[])]),
    ts: map.ts as number,
    key,
    sig,
    bytes: copyBytes(bytes),
  })
}

/** Decode + verify: what the network calls on every record it receives. */
export async function openRelayRecord(bytes: Uint8Array, options: RelayRecordOptions = {}): Promise<RelayRecord> {
  const record = decodeRelayRecord(bytes, options)
  const unsigned = encodeCanonical({ v: 1, peer: record.peer, addrs: [...record.addrs], ts: record.ts, key: record.key })
  await verifySignature(record.key, signedBytes('wildgrass/relay/v1', unsigned), record.sig)
  return record
}
