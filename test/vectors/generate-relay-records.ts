// Generates protocol/vectors/relay-records.json (protocol/relays.md) from fixed seeds and a fixed
// clock. Run: ./node_modules/.bin/node test/vectors/generate-relay-records.ts
// Each invalid case has exactly one defect and names the code it must produce.
import { writeFileSync } from 'node:fs'
import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { sha256 } from '@noble/hashes/sha2.js'
import { base58 } from '@scure/base'
import { concatBytes, fromHex, toHex, utf8Encode } from '../../src/core/bytes.ts'
import { getPublicKey, sign, signedBytes, type SigningTag } from '../../src/core/keys.ts'
import { createRelayRecord, RELAY_RECORD_MAX_AGE_MS } from '../../src/core/relay-record.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { enc, head, mapInOrder, text } from './raw-cbor.ts'

/** The verifier's clock for every vector: 2026-01-15T12:00:00Z (same as the event vectors). */
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const TS = NOW - 60_000
const key = (name: string): SecretKey => sha256(utf8Encode(`wildgrass-vectors/relay/${name}`)) as SecretKey
const operator = key('operator')
const other = key('other')
const peer = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', key('peer'))).toString()
const otherPeer = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', key('other-peer'))).toString()

const ADDRS = [
  `/dns4/relay.example.org/tcp/443/wss/p2p/${peer}`,
  `/ip4/203.0.113.7/udp/4002/webrtc-direct/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g/p2p/${peer}`,
]

const cases: Array<Record<string, unknown>> = []

function valid(description: string, init: { peer: string; addrs: string[]; ts: number }, secret = operator): void {
  const r = createRelayRecord(secret, init, { now: NOW })
  const unsigned = enc({ v: 1, peer: r.peer, addrs: [...r.addrs], ts: r.ts, key: r.key })
  cases.push({
    description,
    valid: true,
    now: NOW,
    publicKeyHex: toHex(r.key),
    signedBytesHex: toHex(signedBytes('wildgrass/relay/v1', unsigned)),
    signatureHex: toHex(r.sig),
    bytesHex: toHex(r.bytes),
    record: { peer: r.peer, addrs: r.addrs, ts: r.ts },
  })
}

/** Sign any map (possibly breaking the rules) with the given key and tag, then add `sig`. */
function signed(unsigned: Record<string, unknown>, secret = operator, tag: SigningTag = 'wildgrass/relay/v1'): Uint8Array {
  return enc({ ...unsigned, sig: sign(secret, signedBytes(tag, enc(unsigned))) })
}

function invalid(description: string, bytes: Uint8Array, code: string, extra: Record<string, unknown> = {}): void {
  cases.push({ description, valid: false, now: NOW, bytesHex: toHex(bytes), code, ...extra })
}

const base = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  v: 1,
  peer,
  addrs: ADDRS,
  ts: TS,
  key: getPublicKey(operator),
  ...over,
})

// ---- valid ----
valid('relay with a wss and a webrtc-direct address', { peer, addrs: ADDRS, ts: TS })
valid('relay with one address and no /p2p suffix', { peer, addrs: ['/ip4/198.51.100.1/tcp/4001/ws'], ts: TS })
valid('eight addresses (the limit)', { peer, addrs: Array.from({ length: 8 }, (_, i) => `/ip4/192.0.2.${i + 1}/tcp/443/wss/p2p/${peer}`), ts: TS })
valid('timestamp 10 minutes ahead (the clock-skew limit)', { peer, addrs: ADDRS, ts: NOW + 10 * 60_000 })
valid('timestamp just inside the 7-day freshness window', { peer, addrs: ADDRS, ts: NOW - RELAY_RECORD_MAX_AGE_MS })
// peer ids: the multihash and key framing are checked, the key bytes are not (relays.md §2 step 4)
const sha256Peer = base58.encode(Uint8Array.of(0x12, 0x20, ...sha256(utf8Encode('an RSA peer key'))))
const inlinePeer = (head: number[], key: Uint8Array): string => base58.encode(Uint8Array.of(...head, ...key))
const ED25519_HEAD = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20]
const SECP256K1_HEAD = [0x00, 0x25, 0x08, 0x02, 0x12, 0x21]
/** The secp256k1 generator, compressed: a valid key libp2p can parse. */
const SECP256K1_G = fromHex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798')
const secpPeer = inlinePeer(SECP256K1_HEAD, SECP256K1_G)
valid('peer id as a SHA-256 multihash (Qm…, RSA keys)', { peer: sha256Peer, addrs: [`/ip4/198.51.100.2/tcp/443/wss/p2p/${sha256Peer}`], ts: TS })
valid('peer id of a secp256k1 key (16Uiu2…)', { peer: secpPeer, addrs: [`/ip4/198.51.100.3/tcp/443/wss/p2p/${secpPeer}`], ts: TS })
valid('peer id of an Ed25519 key whose 32 bytes are no curve point (the key bytes are not decoded)', { peer: inlinePeer(ED25519_HEAD, fromHex('02'.padEnd(64, '0'))), addrs: ['/ip4/198.51.100.4/tcp/443/wss'], ts: TS })
valid('an address of exactly 256 bytes', { peer, addrs: [`/dns4/${'a'.repeat(238)}/tcp/443/wss`], ts: TS })

// ---- invalid: signatures and keys ----
{
  const good = signed(base())
  const sig = (dagCbor.decode(good) as { sig: Uint8Array }).sig
  invalid('address changed after signing', enc({ ...base({ addrs: [ADDRS[0]!.replace('443', '444'), ADDRS[1]!] }), sig: sig.slice() }), 'E_BAD_SIGNATURE')
  invalid('signed by another key than the one in `key`', signed(base(), other), 'E_BAD_SIGNATURE')
  invalid('signed under the invite tag', signed(base(), operator, 'wildgrass/invite/v1'), 'E_BAD_SIGNATURE')
  const s = sig.slice()
  let n = 0n
  for (let i = 63; i >= 32; i--) n = (n << 8n) | BigInt(s[i]!)
  n += 2n ** 252n + 27742317777372353535851937790883648493n
  for (let i = 32; i < 64; i++) {
    s[i] = Number(n & 0xffn)
    n >>= 8n
  }
  invalid('S + L (non-canonical signature scalar)', enc({ ...base(), sig: s }), 'E_NON_CANONICAL_SIG')
  const smallOrder = Uint8Array.from([1, ...new Array<number>(31).fill(0)])
  invalid('key is the identity point (small order)', enc({ ...base({ key: smallOrder }), sig: sig.slice() }), 'E_SMALL_ORDER_KEY')
  invalid('key of 31 bytes', signed(base({ key: getPublicKey(operator).slice(0, 31) })), 'E_BAD_KEY')
  invalid('sig of 63 bytes', enc({ ...base(), sig: sig.slice(0, 63) }), 'E_MALFORMED')
}

// ---- invalid: encoding ----
{
  const good = signed(base())
  invalid('empty input', new Uint8Array(0), 'E_TRUNCATED')
  invalid('truncated (last byte missing)', good.subarray(0, good.length - 1), 'E_TRUNCATED')
  invalid('a CBOR array, not a map', enc([1, peer]), 'E_MALFORMED')
  invalid('trailing byte after the map', concatBytes(good, Uint8Array.of(0)), 'E_MALFORMED')
  const u = base()
  const sigBytes = (dagCbor.decode(good) as { sig: Uint8Array }).sig
  const field = (k: string): Uint8Array => enc(k === 'sig' ? sigBytes : u[k])
  invalid(
    'map keys in plain alphabetical order (canonical is length first)',
    mapInOrder(['addrs', 'key', 'peer', 'sig', 'ts', 'v'].map((k) => [k, field(k)] as const)),
    'E_NON_CANONICAL',
  )
  invalid(
    'v = 1 as a non-minimal integer (0x18 0x01)',
    mapInOrder(['v', 'ts', 'key', 'sig', 'addrs', 'peer'].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).map((k) => [k, k === 'v' ? head(0, 1, 1) : field(k)] as const)),
    'E_NON_CANONICAL',
  )
  invalid('unknown field `name`', signed(base({ name: 'my relay' })), 'E_UNKNOWN_FIELD')
  invalid('version 2', signed(base({ v: 2 })), 'E_UNKNOWN_VERSION')
  invalid('no `addrs`', signed((({ addrs: _a, ...rest }) => rest)(base())), 'E_MALFORMED')
  invalid('larger than 3072 bytes', concatBytes(head(5, 1), text('x'), text('y'.repeat(3100))), 'E_OVERSIZE')
}

// ---- invalid: content rules ----
invalid('no addresses', signed(base({ addrs: [] })), 'E_MALFORMED')
invalid('nine addresses', signed(base({ addrs: Array.from({ length: 9 }, (_, i) => `/ip4/192.0.2.${i + 1}/tcp/443/wss`) })), 'E_OVERSIZE')
invalid('an address of 257 bytes', signed(base({ addrs: [`/dns4/${'a'.repeat(240)}.example/tcp/443/wss`.padEnd(257, 'x')] })), 'E_OVERSIZE')
invalid('a circuit address', signed(base({ addrs: [`/ip4/203.0.113.9/tcp/443/wss/p2p/${otherPeer}/p2p-circuit/p2p/${peer}`] })), 'E_MALFORMED')
invalid('an address naming another peer', signed(base({ addrs: [`/ip4/203.0.113.9/tcp/443/wss/p2p/${otherPeer}`] })), 'E_MALFORMED')
invalid('the same address twice', signed(base({ addrs: [ADDRS[0], ADDRS[0]] })), 'E_MALFORMED')
invalid('an address that is not a multiaddr', signed(base({ addrs: ['wss://relay.example.org'] })), 'E_MALFORMED')
invalid('an address with a space', signed(base({ addrs: ['/dns4/relay example/tcp/443/wss'] })), 'E_MALFORMED')
invalid('peer is not base58btc', signed(base({ peer: `${peer.slice(0, -1)}0` })), 'E_MALFORMED')
invalid('peer is base58btc but not a multihash', signed(base({ peer: base58.encode(Uint8Array.of(0x55, 3, 1, 2, 3)) })), 'E_MALFORMED')
invalid('peer is a did:key, not a peer id', signed(base({ peer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' })), 'E_MALFORMED')
invalid('ts more than 10 minutes in the future', signed(base({ ts: NOW + 10 * 60_000 + 1 })), 'E_TIMESTAMP_FUTURE')
invalid('ts older than 7 days (stale)', signed(base({ ts: NOW - RELAY_RECORD_MAX_AGE_MS - 1 })), 'E_TIMESTAMP_PAST')
invalid('ts before 2024-01-01', signed(base({ ts: Date.UTC(2023, 11, 31) })), 'E_TIMESTAMP_PAST')
invalid('ts is a string', signed(base({ ts: String(TS) })), 'E_MALFORMED')

// ---- invalid: the open points of relays.md, and the order of the steps ----
const smallKeyBad = Uint8Array.from([1, ...new Array<number>(31).fill(0)])
invalid('peer as an identity multihash of 5 bytes that are no key', signed(base({ peer: base58.encode(Uint8Array.of(0x00, 5, 1, 2, 3, 4, 5)), addrs: ['/ip4/198.51.100.4/tcp/443/wss'] })), 'E_MALFORMED')
invalid('peer as an empty identity multihash ("11")', signed(base({ peer: '11', addrs: ['/ip4/198.51.100.4/tcp/443/wss'] })), 'E_MALFORMED')
invalid('peer as an inline Ed25519 key of 31 bytes', signed(base({ peer: inlinePeer([0x00, 0x23, 0x08, 0x01, 0x12, 0x1f], new Uint8Array(31).fill(9)), addrs: ['/ip4/198.51.100.4/tcp/443/wss'] })), 'E_MALFORMED')
invalid('peer as an inline key of type 3 (ECDSA is hashed, never inlined)', signed(base({ peer: inlinePeer([0x00, 0x24, 0x08, 0x03, 0x12, 0x20], new Uint8Array(32).fill(9)), addrs: ['/ip4/198.51.100.4/tcp/443/wss'] })), 'E_MALFORMED')
invalid('peer as a SHA-256 multihash of 31 bytes', signed(base({ peer: base58.encode(Uint8Array.of(0x12, 0x1f, ...new Uint8Array(31).fill(3))), addrs: ['/ip4/198.51.100.2/tcp/443/wss'] })), 'E_MALFORMED')
invalid('peer as a SHA-256 multihash header with 33 bytes after it', signed(base({ peer: base58.encode(Uint8Array.of(0x12, 0x20, ...new Uint8Array(33).fill(3))), addrs: ['/ip4/198.51.100.2/tcp/443/wss'] })), 'E_MALFORMED')
invalid('peer of 65 characters', signed(base({ peer: peer + '1'.repeat(65 - peer.length), addrs: ['/ip4/198.51.100.2/tcp/443/wss'] })), 'E_MALFORMED')
invalid('empty peer', signed(base({ peer: '', addrs: ['/ip4/198.51.100.2/tcp/443/wss'] })), 'E_MALFORMED')
invalid('an address with the text "/p2p-circuit" in a host name (the rule is textual)', signed(base({ addrs: ['/dns4/p2p-circuit.example/tcp/443/wss'] })), 'E_MALFORMED')
invalid('a /p2p/ component that is not the last one', signed(base({ addrs: [`/ip4/203.0.113.9/tcp/443/p2p/${peer}/wss`] })), 'E_MALFORMED')
invalid('the peer named twice (/p2p/ must appear once, at the end)', signed(base({ addrs: [`/ip4/203.0.113.9/tcp/443/wss/p2p/${peer}/p2p/${peer}`] })), 'E_MALFORMED')
invalid('an address of 100 Chinese characters (300 bytes: bytes are counted first)', signed(base({ addrs: ['/' + '野'.repeat(100)] })), 'E_OVERSIZE')
invalid('a duplicate address, then one of 257 bytes (each address before duplicates)', signed(base({ addrs: [ADDRS[0], ADDRS[0], `/dns4/${'a'.repeat(239)}/tcp/443/wss`] })), 'E_OVERSIZE')
invalid('addrs is not a list', signed(base({ addrs: ADDRS[0] })), 'E_MALFORMED')
invalid('an address that is not text', signed(base({ addrs: [utf8Encode(ADDRS[0]!)] })), 'E_MALFORMED')
invalid('v = -1', signed(base({ v: -1 })), 'E_MALFORMED')
invalid('missing v', signed((({ v: _v, ...rest }) => rest)(base())), 'E_MALFORMED')
invalid('ts = -1', signed(base({ ts: -1 })), 'E_MALFORMED')
invalid('ts = 2^53', signed(base({ ts: 2n ** 53n })), 'E_MALFORMED')
invalid('key with y = p (not canonical)', signed(base({ key: Uint8Array.of(0xed, ...new Array<number>(30).fill(0xff), 0x7f) })), 'E_BAD_KEY')
invalid('a small-order key and a bad peer (key first)', signed(base({ key: smallKeyBad, peer: 'not a peer' })), 'E_SMALL_ORDER_KEY')
invalid('a bad peer and nine addresses (peer first)', signed(base({ peer: 'not a peer', addrs: Array.from({ length: 9 }, (_, i) => `/ip4/192.0.2.${i + 1}/tcp/443/wss`) })), 'E_MALFORMED')
invalid('nine addresses and a future ts (addrs first)', signed(base({ addrs: Array.from({ length: 9 }, (_, i) => `/ip4/192.0.2.${i + 1}/tcp/443/wss`), ts: NOW + 3_600_000 })), 'E_OVERSIZE')

const path = new URL('../../protocol/vectors/relay-records.json', import.meta.url)
writeFileSync(path, `${JSON.stringify(cases, null, 2)}\n`)
console.log(`relay-records.json: ${cases.length} cases`)
