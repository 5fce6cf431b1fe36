// The relay's libp2p node (docs/architecture.md "The network": circuit-relay-v2 defaults
// are sized for a volunteer hop, ours serve hundreds of browsers). The relay process (CLI,
// archive, HTTP, metrics) is src/relay/*; gossip validation and the sync server come from
// createNetwork (src/net/network.ts) with role 'relay'.
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import { webSockets } from '@libp2p/websockets'
import { webRTCDirect } from '@libp2p/webrtc'
import type { TransportCertificate } from '@libp2p/webrtc'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import type { Ping } from '@libp2p/ping'
import { pubsubPeerDiscovery } from '@libp2p/pubsub-peer-discovery'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Datastore } from 'interface-datastore'
import { createGossipsub } from '../net/gossip-config.ts'
import type { GossipSub } from '../net/gossip-config.ts'
import type { PeerKey } from '../net/peer-key.ts'
import { ALL_TOPICS, TOPIC_DISCOVERY } from '../net/topics.ts'
import { startRelayPeering } from './relay-node-peering.ts'
import { confirmPublicListenAddresses } from './public-addresses.ts'
import { certificateEvents, type CertificateEvents } from './tls-events.ts'

export interface RelayNodeInit {
  peerKey: PeerKey
  /** interface to listen on, e.g. '0.0.0.0', '127.0.0.1', '::' or '::1' */
  host: string
  /** WebSocket port (0 = any free port) */
  port: number
  /** also listen on WebRTC-direct (UDP) so browsers need no domain or certificate */
  webrtcDirect: boolean
  /** UDP port for WebRTC-direct (default 0 = any) */
  webrtcDirectPort?: number
  /** keep the /certhash stable across restarts: persist and pass back the certificate */
  webrtcDirectCertificate?: TransportCertificate
  /** other relays (multiaddrs with /p2p/<id>): always connected, direct gossip peers */
  peers: string[]
  /** public addresses to announce instead of the listen addresses (behind NAT / TLS proxy) */
  announce?: string[]
  /** tests on loopback: dial private addresses (Node allows them anyway; kept for symmetry) */
  testing?: { allowLoopback: boolean }
  /**
   * secure WebSockets on the WebSocket port once a certificate is provisioned (tls-events.ts);
   * `announceFilter` names the addresses (tls-addresses.ts); `autoTls` adds the auto-tls
   * services and their datastore (tls-auto.ts)
   */
  tls?: {
    announceFilter: (addrs: Multiaddr[]) => Multiaddr[]
    autoTls?: { datastore: Datastore; services: Record<string, (components: object) => unknown> }
  }
}

export interface RelayServices extends Record<string, unknown> {
  pubsub: GossipSub
  identify: Identify
  ping: Ping
  relay: CircuitRelayService
  /** with `tls`: where certificates enter libp2p */
  certificates?: CertificateEvents
}

export type RelayNode = Libp2p<RelayServices>

/** Limits for a relay that serves hundreds of browsers (docs/architecture.md "Platform facts the code relies on"). */
export const RELAY_LIMITS = {
  maxConnections: 2_000,
  maxReservations: 1_000,
  /** per relayed connection: only WebRTC signalling and small sync rides on these */
  relayedDurationMs: 10 * 60_000,
  relayedDataBytes: 16n * 1024n * 1024n,
  /** new inbound connections per second per host: many browsers share a NAT (and loopback) */
  inboundConnectionThreshold: 200,
  maxIncomingPendingConnections: 200,
} as const

/** Creates and starts the relay's libp2p node. Its addresses: node.getMultiaddrs(). */
export async function createRelayNode(init: RelayNodeInit): Promise<RelayNode> {
  // an IPv6 host (`::`, `::1`, `2001:db8::7`) listens as /ip6, and then on IPv6 only: libp2p's
  // WebSocket listener on `::` does not take IPv4 (measured); one address family per relay
  const ip = init.host.includes(':') ? 'ip6' : 'ip4'
  const listen = [`/${ip}/${init.host}/tcp/${init.port}/ws`]
  if (init.webrtcDirect) listen.push(`/${ip}/${init.host}/udp/${init.webrtcDirectPort ?? 0}/webrtc-direct`)
  const directPeers = init.peers.map((addr) => {
    const ma = multiaddr(addr)
    const id = ma.getComponents().findLast((c) => c.name === 'p2p')?.value
    if (id === undefined) throw new TypeError(`relay peer address needs /p2p/<id>: ${addr}`)
    return { id: peerIdFromString(id), addrs: [ma] }
  })
  const tls = init.tls
  const node = await createLibp2p<RelayServices>({
    privateKey: init.peerKey,
    addresses: {
      listen,
      ...(init.announce !== undefined && init.announce.length > 0 ? { announce: init.announce } : {}),
      ...(tls === undefined ? {} : { announceFilter: tls.announceFilter }),
    },
    ...(tls?.autoTls === undefined ? {} : { datastore: tls.autoTls.datastore }),
    transports: [
      webSockets(),
      ...(init.webrtcDirect ? [webRTCDirect(init.webrtcDirectCertificate !== undefined ? { certificate: init.webrtcDirectCertificate } : {})] : []),
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: init.testing?.allowLoopback === true ? { denyDialMultiaddr: () => false } : {},
    connectionManager: {
      maxConnections: RELAY_LIMITS.maxConnections,
      inboundConnectionThreshold: RELAY_LIMITS.inboundConnectionThreshold,
      maxIncomingPendingConnections: RELAY_LIMITS.maxIncomingPendingConnections,
    },
    // listenOnly: the relay never announces itself as a WebRTC peer, but it must subscribe to
    // the discovery topic, or browsers behind it never hear of each other (docs/architecture.md "Platform facts the code relies on")
    peerDiscovery: [pubsubPeerDiscovery({ listenOnly: true, topics: [TOPIC_DISCOVERY] })],
    services: {
      pubsub: createGossipsub({ relay: true, directPeers }),
      identify: identify(),
      ping: ping(),
      relay: circuitRelayServer({
        reservations: {
          maxReservations: RELAY_LIMITS.maxReservations,
          defaultDurationLimit: RELAY_LIMITS.relayedDurationMs,
          defaultDataLimit: RELAY_LIMITS.relayedDataBytes,
        },
        maxInboundHopStreams: 1024,
        maxOutboundStopStreams: 1024,
      }),
      publicAddresses: confirmPublicListenAddresses(),
      ...(tls === undefined ? {} : { certificates: certificateEvents() }),
      ...(tls?.autoTls === undefined ? {} : tls.autoTls.services),
    },
  })
  // the backbone carries every topic even when no local consumer is attached yet
  for (const topic of ALL_TOPICS) node.services.pubsub.subscribe(topic)
  startRelayPeering(
    node,
    directPeers.map((p) => p.addrs[0]!),
  )
  return node
}
