// Node peers for the relay's process-level tests: the real store (createStore over the
// in-memory storage), the real libp2p node (createNode, relay-only: everything through
// relays, no WebRTC) and the real network façade (createNetwork, role 'client').
import { multiaddr } from '@multiformats/multiaddr'
import { generateSecretKey } from '../../src/core/keys.ts'
import type { AuthorId, EventId, SecretKey, SignedEvent } from '../../src/core/types.ts'
import { createNetwork, type Network, type NetworkInit } from '../../src/net/network.ts'
import { createNode, type WildgrassNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { TOPIC_CHANGES, TOPIC_EVENTS } from '../../src/net/topics.ts'
import { relayRecordOpener } from '../../src/relay/relay-records.ts'
import { createStore } from '../../src/store/create-store.ts'
import { createMemoryData, createMemoryStorage, type MemoryData } from '../../src/store/memory-storage.ts'
import type { Store } from '../../src/store/types.ts'

export interface TestPeer {
  readonly name: string
  readonly store: Store
  readonly node: WildgrassNode
  readonly network: Network
  readonly me: AuthorId
  readonly secret: SecretKey
  /** persisted data: start a new peer with it to "come back" */
  readonly data: MemoryData
  /** post and gossip it; returns the signed event */
  post(text: string): Promise<SignedEvent>
  /** ids of events this peer holds (received or its own) */
  has(id: EventId): Promise<boolean>
  /** resolves when all ids are held, rejects after timeoutMs with how many are missing */
  waitFor(ids: readonly EventId[], timeoutMs?: number): Promise<void>
  /** connected relay peer ids */
  relays(): string[]
  stop(): Promise<void>
}

export interface TestPeerOptions {
  name: string
  relays: readonly string[]
  secret?: SecretKey
  data?: MemoryData
  /** authors to catch up on besides itself */
  follows?: () => readonly AuthorId[]
  targetRelays?: number
  syncIntervalMs?: number
  /** more of the network's options (e.g. delivery: 'filtered') */
  network?: Partial<NetworkInit>
}

const live = new Set<TestPeer>()

export async function startTestPeer(options: TestPeerOptions): Promise<TestPeer> {
  const secret = options.secret ?? generateSecretKey()
  const data = options.data ?? createMemoryData()
  const store = createStore({ storage: createMemoryStorage({ data }), secret })
  await store.start()
  const me = store.me!
  const node = await createNode(
    { peerKey: await generatePeerKey() },
    {
      relays: [...options.relays],
      privacy: 'relay-only',
      testing: { allowLoopback: true },
    },
  )
  const network = createNetwork(
    { node, source: store, sink: store },
    {
      role: 'client',
      relays: options.relays,
      privacy: 'relay-only',
      authors: () => [me, ...(options.follows?.() ?? [])],
      // signed relay records teach the client other relays (protocol/relays.md)
      relayRecords: relayRecordOpener,
      syncIntervalMs: options.syncIntervalMs ?? 0,
      ...(options.targetRelays === undefined ? {} : { targetRelays: options.targetRelays }),
      ...options.network,
    },
  )
  await network.start()
  const has = async (id: EventId) => (await store.getEvent(id)) !== undefined
  const peer: TestPeer = {
    name: options.name,
    store,
    node,
    network,
    me,
    secret,
    data,
    async post(text) {
      const published = await store.post({ text })
      for (const env of published.envelopes) await network.publishChange(env)
      await network.publishEvent(published.event!.bytes)
      return published.event!
    },
    has,
    async waitFor(ids, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      let missing = [...ids]
      while (missing.length > 0) {
        const held = await Promise.all(missing.map(has))
        missing = missing.filter((_, i) => !held[i])
        if (missing.length === 0) return
        if (Date.now() > deadline) throw new Error(`${options.name}: ${missing.length} of ${ids.length} events missing after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    relays: () => network.status.get().relays,
    async stop() {
      live.delete(peer)
      await network.stop().catch(() => {})
      try {
        await node.stop()
      } catch {
        // already stopped
      }
      await store.close().catch(() => {})
    },
  }
  live.add(peer)
  return peer
}

/** Stop every peer started here (afterEach/afterAll). */
export async function stopTestPeers(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()))
}

/** Wait until `peer` has a connection to each relay and the gossip mesh carries our topics. */
export async function waitForRelays(peer: TestPeer, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const subscribed =
      peer.node.services.pubsub.getSubscribers(TOPIC_EVENTS).length >= count && peer.node.services.pubsub.getSubscribers(TOPIC_CHANGES).length >= count
    if (peer.relays().length >= count && subscribed) return
    if (Date.now() > deadline) throw new Error(`${peer.name}: ${peer.relays().length}/${count} relays connected after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Dial a multiaddr directly (for tests that bypass the pool). */
export async function dialAddr(node: WildgrassNode, addr: string): Promise<void> {
  await node.dial(multiaddr(addr))
}
