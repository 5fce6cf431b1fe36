// Builds protocol/vectors/gossip.json (protocol/gossip.md): message ids (SHA-256 of topic ‖ 0x00 ‖
// data) and the peer-discovery announcement, its encoding and what a reader makes of each input
// (a peer and its addresses, or nothing: a malformed announcement is ignored).
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { concatBytes, fromHex, toHex } from '../../src/core/bytes.ts'
import { computeMessageId } from '../../src/net/gossip-config.ts'
import { decodeAnnouncement, encodeAnnouncement } from '../../src/net/peer-announcer.ts'
import { TOPIC_CHANGES, TOPIC_DISCOVERY, TOPIC_EVENTS, TOPIC_RELAYS } from '../../src/net/topics.ts'
import { testKey } from './vector-kit.ts'

/** The libp2p PublicKey protobuf of an Ed25519 key: KeyType 1, Data 32 bytes. */
const keyProtobuf = (publicKey: Uint8Array) => Uint8Array.of(0x08, 0x01, 0x12, 0x20, ...publicKey)
const varint = (n: number | bigint): number[] => {
  const out: number[] = []
  let v = BigInt(n)
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
  return out
}
const field = (number: number, bytes: Uint8Array) => Uint8Array.of(...varint((number << 3) | 2), ...varint(bytes.length), ...bytes)
const varintField = (number: number, value: number | bigint) => Uint8Array.of(...varint(number << 3), ...varint(value))

export function buildGossipVectors(vectorFile: (name: string) => Array<Record<string, unknown>>): unknown[] {
  const cases: unknown[] = []
  const firstValid = (name: string) => fromHex(vectorFile(name).find((c) => c.valid === true)!.bytesHex as string)
  const id = (description: string, topic: string, data: Uint8Array) =>
    cases.push({ type: 'message-id', description, topic, dataHex: toHex(data), messageIdHex: toHex(computeMessageId(topic, data)) })

  const key = keyProtobuf(testKey('peer-a').publicKey)
  const other = keyProtobuf(testKey('peer-b').publicKey)
  const addrs = ['/ip4/203.0.113.7/tcp/443/wss/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK/p2p-circuit/webrtc', '/ip6/2001:db8::1/udp/4001/webrtc-direct']
  const addrBytes = addrs.map((a) => multiaddr(a).bytes)
  const announcement = encodeAnnouncement(key, addrBytes, 0x123456789abc)

  id('an event on wg/1/events', TOPIC_EVENTS, firstValid('events.json'))
  id('the same bytes on wg/1/changes: another topic, another id', TOPIC_CHANGES, firstValid('events.json'))
  id('a change envelope on wg/1/changes', TOPIC_CHANGES, firstValid('feed-envelopes.json'))
  id('a relay record on wg/1/relays', TOPIC_RELAYS, firstValid('relay-records.json'))
  id('an announcement on wg/1/peer-discovery', TOPIC_DISCOVERY, announcement)
  id('empty data', TOPIC_EVENTS, new Uint8Array(0))

  const encoded = (description: string, publicKey: Uint8Array, list: string[], nonce: number) =>
    cases.push({ type: 'announcement-encoding', description, publicKeyHex: toHex(publicKey), addrs: list, nonce, dataHex: toHex(encodeAnnouncement(publicKey, list.map((a) => multiaddr(a).bytes), nonce)) })
  encoded('a key, two addresses and a 48-bit nonce: fields 1, 2, 2, 3 in this order', key, addrs, 0x123456789abc)
  encoded('no addresses, nonce 0', key, [], 0)

  const read = (description: string, data: Uint8Array) => {
    const peer = decodeAnnouncement(data)
    cases.push({ type: 'announcement', description, dataHex: toHex(data), peer: peer === undefined ? null : { id: peer.id.toString(), addrs: peer.multiaddrs.map(String) } })
  }
  const head = field(1, key)
  const pad = (bytes: Uint8Array, size: number) => {
    // an unknown length-delimited field 15 fills the announcement to exactly `size` bytes
    for (let n = size - bytes.length - 3; n >= 0; n--) {
      const out = concatBytes(bytes, field(15, new Uint8Array(n)))
      if (out.length === size) return out
    }
    throw new Error(`cannot pad to ${size}`)
  }
  read('a key, two addresses and a nonce', announcement)
  read('without the nonce (older clients, @libp2p/pubsub-peer-discovery)', concatBytes(head, ...addrBytes.map((a) => field(2, a))))
  read('a key alone', head)
  read('unknown fields of wire types 0, 1, 2 and 5 are skipped', concatBytes(head, varintField(4, 300), Uint8Array.of(0x29, 1, 2, 3, 4, 5, 6, 7, 8), field(6, Uint8Array.of(1, 2)), Uint8Array.of(0x3d, 1, 2, 3, 4)))
  read('the key twice: the last one counts (protobuf)', concatBytes(head, field(1, other)))
  read('33 addresses: the first 32 are kept', concatBytes(head, ...Array.from({ length: 33 }, (_, i) => field(2, multiaddr(`/ip4/192.0.2.${i + 1}/tcp/443/wss`).bytes))))
  read('exactly 8192 bytes (the limit)', pad(announcement, 8192))
  read('8193 bytes: ignored', pad(announcement, 8193))
  read('a nonce of 10 varint bytes (64 bits, the protobuf limit)', concatBytes(head, varintField(3, 2n ** 64n - 1n)))
  read('a varint of 11 bytes: ignored', concatBytes(head, Uint8Array.of(0x18, ...new Array<number>(10).fill(0xff), 0x01)))
  read('no key: ignored', concatBytes(...addrBytes.map((a) => field(2, a))))
  read('empty: ignored', new Uint8Array(0))
  read('a key that is not a libp2p key protobuf: ignored', field(1, Uint8Array.of(1, 2, 3)))
  read('an address that is not a multiaddr: ignored', concatBytes(head, field(2, Uint8Array.of(0xff, 0xff, 0xff))))
  read('a field cut short: ignored', concatBytes(head, Uint8Array.of(0x12, 0x10, 1, 2)))
  read('a fixed64 field cut short: ignored', concatBytes(head, Uint8Array.of(0x29, 1, 2)))
  read('wire type 3 (group start): ignored', concatBytes(head, Uint8Array.of(0x23)))
  read('the key as a varint field: no key, ignored', varintField(1, 5))
  // the peer id a reader reports is libp2p's for that key
  const expected = peerIdFromPublicKey(publicKeyFromProtobuf(key)).toString()
  if ((cases.find((c) => (c as { type: string }).type === 'announcement') as { peer: { id: string } }).peer.id !== expected) throw new Error('peer id mismatch')
  return cases
}
