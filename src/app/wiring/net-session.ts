// The libp2p side of the app: one node + network per (relays, privacy) setting; changing
// the privacy mode or removing a relay restarts it, since transports are fixed at creation.
import { multiaddr } from '@multiformats/multiaddr'
import { fail } from '../../core/errors.ts'
import type { AuthorId, EventId } from '../../core/types.ts'
import { createNetwork, type Network, type NetworkInit } from '../../net/network.ts'
import { createNode, type WildgrassNode } from '../../net/node.ts'
import { deserializePeerKey, generatePeerKey, serializePeerKey, type PeerKey } from '../../net/peer-key.ts'
import { TOPIC_CHANGES, TOPIC_EVENTS } from '../../net/topics.ts'
import type { Store } from '../../store/types.ts'
import type { PrivacyMode } from '../state/view-types.ts'
import type { AppDb } from './app-db.ts'

export interface NetSession {
  readonly node: WildgrassNode
  readonly network: Network
  stop(): Promise<void>
  /** gossip only when someone subscribes (see outbox.ts) */
  publish(kind: 'event' | 'change', bytes: Uint8Array): Promise<boolean>
  /** the addresses this device reached its connected relays at, each ending in /p2p/<id> */
  connectedRelayAddresses(): string[]
  /**
   * A thread is on screen: its replies are asked of the relay from now on, and those it holds
   * already are fetched from its beginning; resolves to how many arrived, fails (E_UNAVAILABLE)
   * with no relay connected.
   */
  openThread(root: EventId): Promise<number>
}

/** threads whose replies are asked for live at most (the ones opened last) */
const OPEN_THREADS = 16

/**
 * A page served from this machine or a private network (`npm start`, tests) talks to relays
 * on loopback/private addresses, which the browser build's connection gater refuses by
 * default (docs/architecture.md "Platform facts the code relies on"). Only then is it allowed, and only then are public STUN servers
 * skipped (they cannot be reached from such a setup anyway).
 */
export function isLocalOrigin(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true
  // only a literal IPv4 address counts: "127.example.com" is somebody's public host
  const ip = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname)?.slice(1).map(Number)
  if (!ip || ip.some((n) => n > 255)) return false
  const [a, b] = ip as [number, number, number, number]
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31)
}

export async function loadPeerKey(db: AppDb): Promise<PeerKey> {
  const saved = await db.get<Uint8Array>('peerKey')
  if (saved instanceof Uint8Array) {
    try {
      return deserializePeerKey(saved)
    } catch {
      // unreadable: make a new one below
    }
  }
  const key = await generatePeerKey()
  await db.put('peerKey', serializePeerKey(key))
  return key
}

/**
 * The libp2p key of one network session. In relay-only mode a fresh one every session: a
 * persistent peer id would link this device's sessions across addresses and relays. In direct
 * mode the saved one, so that peers who met this device can find it again.
 */
export async function choosePeerKey(privacy: PrivacyMode, saved: PeerKey): Promise<PeerKey> {
  return privacy === 'relay-only' ? generatePeerKey() : saved
}

/** Checks a relay address the user typed: a multiaddr naming the relay's peer id. */
export function checkRelayAddress(address: string): string {
  try {
    const ma = multiaddr(address)
    if (!ma.toString().includes('/p2p/')) fail('E_MALFORMED', 'the relay address must end with /p2p/<peer id>')
    return ma.toString()
  } catch (cause) {
    if ((cause as { code?: string }).code === 'E_MALFORMED') throw cause
    return fail('E_MALFORMED', 'not a multiaddr', cause)
  }
}

/** The /p2p/<id> of a relay address, to match it with the connection status. */
export function peerIdOfAddress(address: string): string | undefined {
  const match = /\/p2p\/([^/]+)$/.exec(address)
  return match?.[1]
}

export async function startNetSession(init: {
  peerKey: PeerKey
  store: Store
  me: AuthorId
  /** the person's relays (settings, accepted invites) */
  relays: readonly string[]
  /** relays reached before that the person did not choose: dialled only as learned relays are */
  learned: readonly string[]
  privacy: PrivacyMode
  /** subscription cursors of earlier sessions, and where to keep new ones (NetworkInit) */
  subscriptionCursors?: NetworkInit['subscriptionCursors']
}): Promise<NetSession> {
  const local = isLocalOrigin(location.hostname)
  const node = await createNode(
    { peerKey: init.peerKey },
    {
      relays: [...init.relays],
      privacy: init.privacy,
      ...(local ? { testing: { allowLoopback: true }, rtcConfiguration: { iceServers: [] } } : {}),
    },
  )
  const store = init.store
  // the app's own world (protocol/subscribe.md): me and whom I follow, what concerns me, the
  // threads I opened, and the community stream while the app is on screen
  const threads: EventId[] = []
  const authors = async (): Promise<AuthorId[]> => [
    ...new Set([init.me, ...(await store.getFollows(init.me)), ...(await store.privateView()).subscriptions.map((s) => s.author)]),
  ]
  const onScreen = (): boolean => typeof document === 'undefined' || document.visibilityState !== 'hidden'
  const network = createNetwork(
    { node, source: store, sink: store },
    {
      role: 'client',
      relays: init.relays,
      learnedRelays: init.learned,
      privacy: init.privacy,
      // the authors of lists I subscribe to as well: their edits must reach me (protocol/lists.md §3)
      authors,
      delivery: 'filtered',
      interest: async () => ({ authors: await authors(), about: [init.me], threads: [...threads], community: onScreen() }),
      syncIntervalMs: 30_000,
      ...(init.subscriptionCursors === undefined ? {} : { subscriptionCursors: init.subscriptionCursors }),
    },
  )
  await network.start()
  // whom I follow changed (here or on another of my devices), or my lists: ask for the new world
  let refreshing: ReturnType<typeof setTimeout> | undefined
  const refreshSoon = (): void => {
    refreshing ??= setTimeout(() => {
      refreshing = undefined
      void network.refreshInterest()
    }, 200)
  }
  const unsubscribe = store.subscribe((change) => {
    if ((change.type === 'changes' && change.author === init.me) || change.type === 'private') refreshSoon()
  })
  const onVisibility = (): void => refreshSoon()
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility)
  return {
    node,
    network,
    async stop() {
      unsubscribe()
      clearTimeout(refreshing)
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility)
      await network.stop()
      await node.stop()
    },
    async openThread(root) {
      if (!threads.includes(root)) {
        threads.unshift(root)
        threads.splice(OPEN_THREADS)
        refreshSoon()
      }
      return network.fetchThread(root)
    },
    async publish(kind, bytes) {
      const topic = kind === 'event' ? TOPIC_EVENTS : TOPIC_CHANGES
      if (node.services.pubsub.getSubscribers(topic).length === 0) return false
      if (kind === 'event') await network.publishEvent(bytes)
      else await network.publishChange(bytes)
      return true
    },
    connectedRelayAddresses() {
      const relays = new Set(network.status.get().relays)
      return node
        .getConnections()
        .filter((c) => c.status === 'open' && c.limits === undefined && relays.has(c.remotePeer.toString()))
        .map((c) => {
          const address = c.remoteAddr.toString()
          return address.includes('/p2p/') ? address : `${address}/p2p/${c.remotePeer.toString()}`
        })
    },
  }
}
