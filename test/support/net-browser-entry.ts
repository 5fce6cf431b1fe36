// Browser test entry (bundled by net-browser-build.ts): a real Wildgrass network node in a
// page, driven from the test through window.wg.
import { createEvent, generateSecretKey } from '../../src/core/index.ts'
import { createNetwork } from '../../src/net/network.ts'
import type { Network } from '../../src/net/network.ts'
import { createNode } from '../../src/net/node.ts'
import type { PrivacyMode, WildgrassNode } from '../../src/net/node.ts'
import { deserializePeerKey, generatePeerKey, serializePeerKey } from '../../src/net/peer-key.ts'
import type { PeerKey } from '../../src/net/peer-key.ts'
import { isWebRTCAddress } from '../../src/net/relay-pool.ts'
import { TOPIC_EVENTS } from '../../src/net/topics.ts'
import { createMemoryStore, createTestAuthor } from './net-memory-store.ts'
import type { MemoryStore } from './net-memory-store.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import type { AuthorId } from '../../src/core/index.ts'

let node: WildgrassNode | undefined
let currentKey: PeerKey | undefined
let net: Network | undefined
let store: MemoryStore | undefined
const received: string[] = []
const secret = generateSecretKey()

const wg = {
  /** key: a peer key from peerKey() of an earlier page, as a reloaded app keeps its device key */
  async start(relays: string[], privacy: PrivacyMode = 'direct', key?: number[]): Promise<string> {
    const peerKey = key === undefined ? await generatePeerKey() : deserializePeerKey(Uint8Array.from(key))
    currentKey = peerKey
    node = await createNode(
      { peerKey },
      {
        relays,
        privacy,
        rtcConfiguration: { iceServers: [] },
        testing: { allowLoopback: true },
        discoveryIntervalMs: 500,
      },
    )
    store = createMemoryStore()
    net = createNetwork({ node, source: store, sink: store }, { role: 'client', relays, privacy, syncIntervalMs: 0 })
    net.onEvent((e) => received.push(e.kind === 'post' ? e.body.text : e.id))
    await net.start()
    return node.peerId.toString()
  },
  status: () => net?.status.get(),
  peerKey: (): number[] => (currentKey === undefined ? [] : [...serializePeerKey(currentKey)]),
  /** distinct peers with an open browser-to-browser WebRTC connection */
  webrtcPeers: (): string[] => [
    ...new Set((node?.getConnections() ?? []).filter((c) => c.status === 'open' && isWebRTCAddress(c.remoteAddr)).map((c) => c.remotePeer.toString())),
  ],
  /** every open connection: remote address (debugging and relay-address tests) */
  connections: (): string[] =>
    (node?.getConnections() ?? []).filter((c) => c.status === 'open').map((c) => `${c.remoteAddr.toString()}${c.limits === undefined ? '' : ' (limited)'}`),
  /** our own addresses (the /p2p-circuit/webrtc ones other pages dial) */
  addresses: (): string[] => (node?.getMultiaddrs() ?? []).map((a) => a.toString()),
  meshPeers: (): number => node?.services.pubsub.getSubscribers(TOPIC_EVENTS).length ?? 0,
  async publish(text: string): Promise<void> {
    await net!.publishEvent(createEvent(secret, { kind: 'post', body: { text } }).bytes)
  },
  received: (): string[] => [...received],
  /** an author posts into this page's store only (not gossiped): something to sync */
  async storePosts(texts: string[]): Promise<string> {
    const author = createTestAuthor()
    await author.post(store!, texts)
    return author.id
  },
  /**
   * Catch-up of one author from `peer`; resolves to how many of that author's events this page
   * then holds (some may have come a moment earlier, by a sync the connection itself started)
   */
  async syncFrom(peer: string, author: string): Promise<number> {
    await net!.syncWith(peerIdFromString(peer), { authors: [author as AuthorId], recent: false })
    const ids = await store!.indexedEventIds(author as AuthorId)
    return ids.length - (await store!.missingEventIds(ids)).length
  },
  async stop(): Promise<void> {
    await net?.stop()
    await node?.stop()
  },
}

;(globalThis as unknown as { wg: typeof wg }).wg = wg

/** window.wg as the tests see it (import it as a type only: this module runs in the page) */
export type PageApi = typeof wg
