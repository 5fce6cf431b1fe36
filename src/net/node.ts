// The libp2p node of a browser or Node peer (docs/architecture.md "The network", "Platform facts the code relies on").
// Transports: WebSockets to relays, WebRTC-direct to relays without a certificate, WebRTC
// browser-to-browser signalled through a relay (circuit-relay-v2 transport). Gossipsub with
// StrictNoSign and content ids. Relay dialing, failover and peer dialing live in
// relay-pool.ts; this file only configures.
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import { webSockets } from '@libp2p/websockets'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import type { Ping } from '@libp2p/ping'
import { createGossipsub } from './gossip-config.ts'
import { announcePeer } from './peer-announcer.ts'
import type { GossipSub } from './gossip-config.ts'
import type { PeerKey } from './peer-key.ts'
import { TOPIC_DISCOVERY } from './topics.ts'

/** 'relay-only': no browser-to-browser WebRTC at all; only relays see this device's IP. */
export type PrivacyMode = 'direct' | 'relay-only'

export interface NodeComponents {
  /** the device's persistent peer key (peer-key.ts) */
  peerKey: PeerKey
}

export interface NodeInit {
  /** relay multiaddrs (with /p2p/<id>) known at start; relay-pool.ts dials them */
  relays: string[]
  privacy: PrivacyMode
  /** ICE servers etc.; tests pass { iceServers: [] } (docs/architecture.md "Platform facts the code relies on") */
  rtcConfiguration?: RTCConfiguration
  /**
   * Loopback/private addresses: the browser's default connection gater refuses them. Only
   * tests set allowLoopback; production never does (docs/architecture.md "Platform facts the code relies on").
   */
  testing?: { allowLoopback: boolean }
  /** extra listen addresses (Node peers in tests and benchmarks, e.g. /ip4/127.0.0.1/tcp/0/ws) */
  listen?: string[]
  /** how many relays hold a reservation for us so WebRTC peers can reach us (default 2) */
  reservations?: number
  /** seconds between our pubsub-peer-discovery announcements (default 10) */
  discoveryIntervalMs?: number
  /** start the node (default true) */
  start?: boolean
}

export interface WildgrassServices extends Record<string, unknown> {
  pubsub: GossipSub
  identify: Identify
  ping: Ping
}

export type WildgrassNode = Libp2p<WildgrassServices>

/** Creates (and by default starts) a peer's libp2p node. */
export async function createNode(components: NodeComponents, init: NodeInit): Promise<WildgrassNode> {
  const direct = init.privacy === 'direct'
  const rtc = init.rtcConfiguration === undefined ? {} : { rtcConfiguration: init.rtcConfiguration }
  const listen = [...(init.listen ?? [])]
  if (direct) {
    // a reservation on each of several relays (each '/p2p-circuit' is one), then WebRTC
    // signalled over the relayed connection: peers can reach us if one relay dies
    for (let i = 0; i < (init.reservations ?? 2); i++) listen.push('/p2p-circuit')
    listen.push('/webrtc')
  }
  return createLibp2p<WildgrassServices>({
    privateKey: components.peerKey,
    start: init.start ?? true,
    addresses: { listen },
    transports: [
      webSockets(),
      // WebRTC-direct reaches a relay that has no domain or certificate; the relay sees our IP
      // anyway, so it stays in relay-only mode too (protocol/gossip.md §Privacy)
      webRTCDirect(rtc),
      ...(direct ? [webRTC(rtc), circuitRelayTransport()] : []),
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: init.testing?.allowLoopback === true ? { denyDialMultiaddr: () => false } : {},
    connectionManager: { maxConnections: 100 },
    // peer discovery is the 'announcer' service below (peer-announcer.ts: announcements that
    // our content message ids do not drop as repeats); relay-only: neither announce nor learn
    services: {
      pubsub: createGossipsub({ relay: false }),
      identify: identify(),
      ping: ping(),
      ...(direct ? { announcer: announcePeer({ topic: TOPIC_DISCOVERY, intervalMs: init.discoveryIntervalMs ?? 10_000 }) } : {}),
    },
  })
}
