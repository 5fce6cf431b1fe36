// The discovery announcement wire format (src/net/peer-announcer.ts): the protobuf Peer of
// @libp2p/pubsub-peer-discovery plus a nonce field, so repeats are distinct gossip messages.
import { describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeAnnouncement, encodeAnnouncement } from '../../../src/net/peer-announcer.ts'
import { computeMessageId } from '../../../src/net/gossip-config.ts'
import { TOPIC_DISCOVERY } from '../../../src/net/topics.ts'
import { generatePeerKey } from '../../../src/net/peer-key.ts'

describe('peer announcements', () => {
  it('round-trip peer id and addresses; two announcements of the same peer and addresses are two messages', async () => {
    const key = await generatePeerKey()
    const addrs = [multiaddr('/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWRQhqjy2GbrMUXDJwvnGqHznyYmF5QW2AAPb77QQ6DnRL/p2p-circuit/webrtc')]
    const first = encodeAnnouncement(
      publicKeyToProtobuf(key.publicKey),
      addrs.map((a) => a.bytes),
      1_764_000_000_000,
    )
    const second = encodeAnnouncement(
      publicKeyToProtobuf(key.publicKey),
      addrs.map((a) => a.bytes),
      1_764_000_010_000,
    )
    const peer = decodeAnnouncement(first)
    expect(peer?.id.equals(peerIdFromPrivateKey(key))).toBe(true)
    expect(peer?.multiaddrs.map(String)).toEqual(addrs.map(String))
    expect(computeMessageId(TOPIC_DISCOVERY, first)).not.toEqual(computeMessageId(TOPIC_DISCOVERY, second))
  })

  it('reads announcements without the nonce field (older clients) and ignores malformed ones', async () => {
    const key = await generatePeerKey()
    const withTime = encodeAnnouncement(publicKeyToProtobuf(key.publicKey), [], 5)
    const withoutTime = withTime.subarray(0, withTime.length - 2) // drop tag 0x18 and varint 5
    expect(decodeAnnouncement(withoutTime)?.id.equals(peerIdFromPrivateKey(key))).toBe(true)
    expect(decodeAnnouncement(new Uint8Array([0x0a, 0x05, 1, 2]))).toBeUndefined() // truncated
    expect(decodeAnnouncement(new Uint8Array([0x12, 0x00]))).toBeUndefined() // no public key
    expect(decodeAnnouncement(new Uint8Array([0x0a, 0x02, 1, 2]))).toBeUndefined() // not a key
    expect(decodeAnnouncement(new Uint8Array(9_000))).toBeUndefined() // oversized
  })
})
