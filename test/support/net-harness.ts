// Builders for network tests and benchmarks: an in-process relay and client peers on loopback,
// each with a memory store behind createNetwork. Real libp2p, real sockets, ports 0.
import { createNode } from '../../src/net/node.ts'
import type { PrivacyMode, WildgrassNode } from '../../src/net/node.ts'
import { createNetwork } from '../../src/net/network.ts'
import type { Network, NetworkInit } from '../../src/net/network.ts'
import type { SubscriptionSource } from '../../src/net/subscribe/server.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { createRelayNode } from '../../src/relay/relay-node.ts'
import type { RelayNode } from '../../src/relay/relay-node.ts'
import type { AuthorId } from '../../src/core/index.ts'
import { createMemoryStore } from './net-memory-store.ts'
import type { MemoryStore } from './net-memory-store.ts'

export interface TestRelay {
  node: RelayNode
  net: Network
  store: MemoryStore
  /** its WebSocket multiaddr with /p2p/ */
  addr: string
  stop(): Promise<void>
}

export async function startTestRelay(
  options: {
    peers?: string[]
    webrtcDirect?: boolean
    net?: Partial<NetworkInit>
    /** serve filtered subscriptions from its memory store (the relay process serves them from its archive) */
    subscriptions?: (store: MemoryStore) => SubscriptionSource
  } = {},
): Promise<TestRelay> {
  const node = await createRelayNode({
    peerKey: await generatePeerKey(),
    host: '127.0.0.1',
    port: 0,
    webrtcDirect: options.webrtcDirect ?? false,
    peers: options.peers ?? [],
    testing: { allowLoopback: true },
  })
  const store = createMemoryStore()
  // the relays it peers with are the backbone: trusted, as the relay process trusts its --peer relays
  const trustedPeers = (options.peers ?? []).map((addr) => addr.slice(addr.lastIndexOf('/p2p/') + 5))
  const subscriptions = options.subscriptions?.(store)
  const net = createNetwork({ node, source: store, sink: store, ...(subscriptions ? { subscriptions } : {}) }, { role: 'relay', trustedPeers, ...options.net })
  await net.start()
  const addr = node
    .getMultiaddrs()
    .map(String)
    .find((a) => a.includes('/ws/'))!
  return {
    node,
    net,
    store,
    addr,
    stop: async () => {
      await net.stop()
      await node.stop()
    },
  }
}

export interface TestPeer {
  node: WildgrassNode
  net: Network
  store: MemoryStore
  stop(): Promise<void>
}

export async function startTestPeer(
  relays: string[],
  options: {
    privacy?: PrivacyMode
    authors?: AuthorId[]
    net?: Partial<NetworkInit>
    discoveryIntervalMs?: number
    listen?: string[]
  } = {},
): Promise<TestPeer> {
  const privacy = options.privacy ?? 'direct'
  const node = await createNode(
    { peerKey: await generatePeerKey() },
    {
      relays,
      privacy,
      rtcConfiguration: { iceServers: [] },
      testing: { allowLoopback: true },
      ...(options.discoveryIntervalMs === undefined ? {} : { discoveryIntervalMs: options.discoveryIntervalMs }),
      ...(options.listen === undefined ? {} : { listen: options.listen }),
    },
  )
  const store = createMemoryStore()
  const net = createNetwork(
    { node, source: store, sink: store },
    {
      role: 'client',
      relays,
      privacy,
      authors: () => options.authors ?? [],
      syncIntervalMs: 0,
      ...options.net,
    },
  )
  await net.start()
  return {
    node,
    net,
    store,
    stop: async () => {
      await net.stop()
      await node.stop()
    },
  }
}

/** Resolves when `check` is true, polling; rejects after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Waits until the peer's gossipsub mesh on `topic` has at least `n` peers. */
export async function waitForMesh(
  node: { services: { pubsub: { getSubscribers(topic: string): unknown[] } } },
  topic: string,
  n = 1,
  ms = 10_000,
): Promise<void> {
  await waitFor(() => node.services.pubsub.getSubscribers(topic).length >= n, ms, `${n} subscribers on ${topic}`)
}
