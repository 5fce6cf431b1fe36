// Peer discovery on the discovery topic (protocol/gossip.md "Peer announcements"):
// announces this peer and learns the others, in the wire format of @libp2p/pubsub-peer-discovery
// (protobuf Peer { 1: publicKey, 2: repeated addrs }), so older clients still understand us.
//
// Why not @libp2p/pubsub-peer-discovery itself: our message ids are content ids (SHA-256 of topic ‖ data, no
// sender, no sequence number), and pubsub-peer-discovery repeats the same bytes every interval
// (public key + addresses). Every repeat after the first is a duplicate to every seen-cache
// (gossipsub seenTTL, 2 minutes): our publish is dropped, the relay drops it too. A peer that
// joined (or reloaded) after our first announcement heard nothing from us for up to 2 minutes —
// two browsers on one relay stayed at "peers: 0". So each announcement here carries a random
// nonce (an extra protobuf field, skipped by decoders that do not know it) and is a new message.
// A nonce, not the time: a device's clock skew would help tell devices apart.
import { peerDiscoverySymbol } from '@libp2p/interface'
import type { PeerDiscovery, PeerId, PeerInfo, TypedEventTarget, Libp2pEvents, Startable } from '@libp2p/interface'
import type { Message } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import type { GossipSub } from './gossip-config.ts'

export interface PeerAnnouncerInit {
  topic: string
  /** between announcements (default 10 s) */
  intervalMs?: number
  /** at least this long between two announcements, whatever triggers them (default 1 s) */
  minGapMs?: number
}

export interface PeerAnnouncerComponents {
  peerId: PeerId
  /** our own addresses (libp2p's address manager) */
  addressManager: { getAddresses(): Multiaddr[] }
  events: TypedEventTarget<Libp2pEvents>
  /** the gossipsub service (libp2p puts each service into the components under its name) */
  pubsub?: GossipSub
}

/** announcements larger than this, or with more addresses, are ignored */
export const MAX_ANNOUNCEMENT_BYTES = 8 * 1024
const MAX_ANNOUNCED_ADDRS = 32

export type PeerAnnouncer = Startable & PeerDiscovery & { [peerDiscoverySymbol]: PeerDiscovery }

/** A libp2p service factory: `services: { announcer: announcePeer({ topic }) }`; libp2p takes its 'peer' events as discoveries. */
export function announcePeer(init: PeerAnnouncerInit): (components: PeerAnnouncerComponents) => PeerAnnouncer {
  return (components) => createPeerAnnouncer(components, init)
}

export function createPeerAnnouncer(components: PeerAnnouncerComponents, init: PeerAnnouncerInit): PeerAnnouncer {
  const target = new EventTarget() as unknown as PeerDiscovery
  const intervalMs = init.intervalMs ?? 10_000
  const minGapMs = init.minGapMs ?? 1_000
  let interval: ReturnType<typeof setInterval> | undefined
  let pending: ReturnType<typeof setTimeout> | undefined
  let last = 0
  let running = false

  const announce = (): void => {
    const pubsub = components.pubsub
    const key = components.peerId.publicKey
    if (!running || pubsub === undefined || key === undefined) return
    // nobody to hear it (no relay connected yet): the next trigger will do
    if (pubsub.getSubscribers(init.topic).length === 0) return
    const addrs = components.addressManager.getAddresses().map((a) => a.bytes)
    last = Date.now()
    pubsub.publish(init.topic, encodeAnnouncement(publicKeyToProtobuf(key), addrs, randomNonce())).catch(() => {})
  }
  // soon, but not more often than minGapMs (address updates come in bursts)
  const schedule = (): void => {
    if (!running || pending !== undefined) return
    pending = setTimeout(
      () => {
        pending = undefined
        announce()
      },
      Math.max(0, last + minGapMs - Date.now()),
    )
  }
  // a peer (a relay) subscribed to the topic: it, and the peers behind it, hear us now
  const onSubscription = (evt: CustomEvent<{ subscriptions: Array<{ topic: string; subscribe: boolean }> }>): void => {
    if (evt.detail.subscriptions.some((s) => s.topic === init.topic && s.subscribe)) schedule()
  }
  const onMessage = (evt: CustomEvent<Message>): void => {
    if (!running || evt.detail.topic !== init.topic) return
    const peer = decodeAnnouncement(evt.detail.data)
    if (peer === undefined || peer.id.equals(components.peerId)) return
    target.dispatchEvent(new CustomEvent<PeerInfo>('peer', { detail: peer }))
  }

  return Object.assign(target, {
    [peerDiscoverySymbol]: target,
    start() {
      running = true
    },
    // gossipsub may start after us: subscribe once every service runs
    afterStart() {
      components.events.addEventListener('self:peer:update', schedule)
      components.pubsub?.addEventListener('subscription-change', onSubscription)
      components.pubsub?.addEventListener('message', onMessage)
      components.pubsub?.subscribe(init.topic)
      interval = setInterval(announce, intervalMs)
    },
    stop() {
      running = false
      clearInterval(interval)
      clearTimeout(pending)
      pending = undefined
      components.events.removeEventListener('self:peer:update', schedule)
      components.pubsub?.removeEventListener('subscription-change', onSubscription)
      components.pubsub?.removeEventListener('message', onMessage)
    },
  })
}

/** An announcement's peer id and addresses; undefined for anything malformed or oversized. */
export function decodeAnnouncement(data: Uint8Array): PeerInfo | undefined {
  if (data.length > MAX_ANNOUNCEMENT_BYTES) return undefined
  try {
    let pos = 0
    const varint = (): number => {
      let n = 0
      let scale = 1
      // up to 10 bytes, protobuf's limit for a 64-bit varint (values past 2^53 lose precision, but
      // only lengths and tags are used, and any length that large fails the bounds check)
      for (let i = 0; i < 10; i++) {
        const b = data[pos++]
        if (b === undefined) throw new RangeError('truncated')
        n += (b & 0x7f) * scale
        if (b < 0x80) return n
        scale *= 0x80
      }
      throw new RangeError('varint too long')
    }
    let publicKey: Uint8Array | undefined
    const addrs: Multiaddr[] = []
    while (pos < data.length) {
      const tag = varint()
      const wire = tag & 7
      if (wire === 2) {
        const len = varint()
        if (pos + len > data.length) return undefined
        const bytes = data.subarray(pos, pos + len)
        pos += len
        if (tag >>> 3 === 1) publicKey = bytes
        else if (tag >>> 3 === 2 && addrs.length < MAX_ANNOUNCED_ADDRS) addrs.push(multiaddr(bytes))
      } else if (wire === 0) varint()
      else if (wire === 1) pos += 8
      else if (wire === 5) pos += 4
      else return undefined
    }
    if (publicKey === undefined || pos !== data.length) return undefined
    return { id: peerIdFromPublicKey(publicKeyFromProtobuf(publicKey)), multiaddrs: addrs }
  } catch {
    return undefined
  }
}

/**
 * The protobuf `Peer` of @libp2p/pubsub-peer-discovery (1: publicKey bytes, 2: repeated addrs
 * bytes) plus 3: a nonce (varint), which makes each announcement a distinct message.
 */
export function encodeAnnouncement(publicKey: Uint8Array, addrs: readonly Uint8Array[], nonce: number): Uint8Array {
  const out: number[] = []
  const varint = (n: number): void => {
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80)
      n = Math.floor(n / 0x80)
    }
    out.push(n)
  }
  const field = (tag: number, bytes: Uint8Array): void => {
    out.push(tag)
    varint(bytes.length)
    for (const b of bytes) out.push(b)
  }
  field(0x0a, publicKey)
  for (const a of addrs) field(0x12, a)
  out.push(0x18)
  varint(Math.max(0, Math.floor(nonce)))
  return Uint8Array.from(out)
}

/** 48 random bits: fits a varint exactly as a JS number, repeats with negligible chance. */
function randomNonce(): number {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(6))
  return b.reduce((n, byte) => n * 256 + byte, 0)
}
