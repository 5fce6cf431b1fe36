// Relay discovery and failover (docs/architecture.md "The network"; protocol/gossip.md
// §Relays): keep `target` relays connected out of every relay we know, redial with backoff,
// move on at once when one dies, learn relays from signed relay records, and (direct mode)
// dial the peers the relays introduce over WebRTC, since libp2p no longer auto-dials.
//
// Chosen and learned relays (protocol/gossip.md "Relays"): the relays given at start and through
// addRelay are the person's choice; relays from records are only learned. In relay-only mode a
// learned relay is never dialled (it would see this device's address, identity and follows);
// in direct mode it is dialled only while fewer than `target` chosen relays are connected. The
// pool is bounded: a chosen relay always gets a place, and a learned newcomer takes only the
// place of a learned relay that never answered and failed more often; chosen relays and relays
// that answered (proven) are never displaced by newcomers.
import type { Libp2p, PeerId, PeerInfo, PeerUpdate } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PrivacyMode } from './node.ts'

/** relays known at most, chosen and learned together (a flood of records stays bounded) */
export const MAX_KNOWN_RELAYS = 64

export interface RelayPoolInit {
  relays: readonly string[]
  privacy: PrivacyMode
  /** relays to stay connected to (default 2) */
  target?: number
  /** WebRTC peers to dial at most (default 8) */
  maxPeers?: number
  /** how often to check the pool even without events (default 1 s) */
  checkIntervalMs?: number
  /** per-dial timeout (default 5 s) */
  dialTimeoutMs?: number
}

export interface RelayPoolStatus {
  /** peer ids of connected relays */
  relays: string[]
  /** peer ids of directly connected (WebRTC) peers */
  peers: string[]
  /** relays known in total */
  known: number
}

export interface RelayPool {
  start(): void
  stop(): void
  /** add a relay the person chose (multiaddr with /p2p/<id>); returns false when the address is unusable */
  addRelay(addr: string): boolean
  /** a relay learned from a record: kept if there is room (see above), dialled only as allowed */
  learnRelay(addr: string): boolean
  /** addresses of learned relays not chosen, with whether they ever answered (for the person to approve) */
  learned(): Array<{ addr: string; proven: boolean }>
  isRelay(peer: PeerId | string): boolean
  status(): RelayPoolStatus
  /** called on every change of status; and with `connected` when a relay connects */
  onChange(listener: (status: RelayPoolStatus, connectedRelay?: PeerId) => void): () => void
}

interface Candidate {
  addrs: Multiaddr[]
  chosen: boolean
  /** answered at least once */
  proven: boolean
  failures: number
  nextAttemptAt: number
  dialing: boolean
}

export function createRelayPool(node: Libp2p, init: RelayPoolInit): RelayPool {
  const target = init.target ?? 2
  const maxPeers = init.maxPeers ?? 8
  const candidates = new Map<string, Candidate>()
  const listeners = new Set<(s: RelayPoolStatus, connected?: PeerId) => void>()
  let interval: ReturnType<typeof setInterval> | undefined
  let running = false

  const isConnected = (id: string): boolean => node.getConnections().some((c) => c.remotePeer.toString() === id && c.status === 'open')
  const status = (): RelayPoolStatus => {
    const relays = [...candidates.keys()].filter(isConnected)
    const peers = [
      ...new Set(
        node
          .getConnections()
          .filter((c) => isDirectPeerConnection(c.remoteAddr))
          .map((c) => c.remotePeer.toString()),
      ),
    ]
    return { relays, peers, known: candidates.size }
  }
  const notify = (connected?: PeerId): void => {
    const s = status()
    for (const l of listeners) l(s, connected)
  }

  let lastSweep = 0
  const tick = (): void => {
    if (!running) return
    const now = Date.now()
    // peers whose earlier dial failed, or whose address came without an event: look again
    if (init.privacy === 'direct' && now - lastSweep > 5_000) {
      lastSweep = now
      node.peerStore.all().then(
        (all) => {
          for (const p of all)
            considerPeer(
              p.id,
              p.addresses.map((a) => a.multiaddr),
            )
        },
        () => {},
      )
    }
    let wanted = target - [...candidates.keys()].filter(isConnected).length
    const chosenUp = [...candidates.entries()].filter(([id, c]) => c.chosen && isConnected(id)).length
    const learnedAllowed = init.privacy === 'direct' && chosenUp < target
    const order = [...candidates.entries()]
      .filter(([id, c]) => (c.chosen || learnedAllowed) && !isConnected(id) && !c.dialing && c.nextAttemptAt <= now)
      .sort(([, a], [, b]) => Number(b.chosen) - Number(a.chosen) || a.failures - b.failures)
    for (const [, c] of order) {
      if (wanted-- <= 0) break
      c.dialing = true
      node
        .dial(c.addrs, { signal: AbortSignal.timeout(init.dialTimeoutMs ?? 5_000) })
        .then(
          () => {
            c.failures = 0
            c.proven = true
          },
          () => {
            c.failures++
            c.nextAttemptAt = Date.now() + Math.min(30_000, 250 * 2 ** c.failures)
          },
        )
        .finally(() => {
          c.dialing = false
          if (running) setTimeout(tick, 0)
        })
    }
  }

  const onConnect = (evt: CustomEvent<PeerId>): void => {
    const id = evt.detail.toString()
    notify(candidates.has(id) ? evt.detail : undefined)
  }
  const onDisconnect = (evt: CustomEvent<PeerId>): void => {
    notify()
    // a relay died or dropped us: go to another one now, not at the next interval (target: 5 s)
    if (candidates.has(evt.detail.toString())) setTimeout(tick, 0)
  }
  // a WebRTC connection often follows a relayed one to the same peer: no new peer:connect
  const onConnectionChange = (): void => notify()
  // libp2p emits peer:discovery only the first time a peer enters the peer store, often before
  // it has a WebRTC address (e.g. learned through a relay): watch every address update instead
  const dialFailures = new Map<string, { failures: number; nextAttemptAt: number }>()
  const considerPeer = (id: PeerId, addrs: readonly Multiaddr[]): void => {
    const key = id.toString()
    if (!running || candidates.has(key) || key === node.peerId.toString()) return
    if (node.getConnections(id).some((c) => c.status === 'open' && c.limits === undefined)) return
    // one side dials, so two peers do not open two WebRTC connections to each other
    if (node.peerId.toString() > key) return
    if (status().peers.length >= maxPeers || dialing.has(key)) return
    const backoff = dialFailures.get(key)
    if (backoff !== undefined && backoff.nextAttemptAt > Date.now()) return
    // peer-store addresses lack the trailing /p2p/<peer>, and a circuit address without it names
    // the relay: libp2p refuses a list with mixed peer ids, so give every address its owner
    const webrtc = addrs.filter(isWebRTCAddress).map((a) => (a.getComponents().at(-1)?.name === 'p2p' ? a : a.encapsulate(`/p2p/${key}`)))
    if (webrtc.length === 0) return
    dialing.add(key)
    node
      .dial(webrtc, { signal: AbortSignal.timeout(10_000) })
      .then(
        () => dialFailures.delete(key),
        () => {
          // unreachable peers are normal (they left, or NAT); gossip still flows through relays
          const failures = (backoff?.failures ?? 0) + 1
          dialFailures.set(key, { failures, nextAttemptAt: Date.now() + Math.min(60_000, 1_000 * 2 ** failures) })
          if (dialFailures.size > 1_000) dialFailures.delete(dialFailures.keys().next().value!)
        },
      )
      .finally(() => dialing.delete(key))
  }
  const dialing = new Set<string>()
  const onDiscovery = (evt: CustomEvent<PeerInfo>): void => considerPeer(evt.detail.id, evt.detail.multiaddrs)
  const onPeerUpdate = (evt: CustomEvent<PeerUpdate>): void =>
    considerPeer(
      evt.detail.peer.id,
      evt.detail.peer.addresses.map((a) => a.multiaddr),
    )

  for (const addr of init.relays) addRelayAddr(addr, true)

  /** the learned relay a newcomer may replace: never answered, failed most; none when all are better than `failures` */
  function evictable(newcomerChosen: boolean): string | undefined {
    let worst: [string, Candidate] | undefined
    for (const entry of candidates) {
      const [, c] = entry
      if (c.chosen || (c.proven && !newcomerChosen)) continue
      if (worst === undefined || Number(c.proven) < Number(worst[1].proven) || (c.proven === worst[1].proven && c.failures > worst[1].failures)) worst = entry
    }
    if (worst === undefined) return undefined
    // a learned newcomer does not push out one that has not even been tried
    return newcomerChosen || worst[1].failures > 0 ? worst[0] : undefined
  }

  function addRelayAddr(addr: string, chosen: boolean): boolean {
    let ma: Multiaddr
    try {
      ma = multiaddr(addr)
    } catch {
      return false
    }
    const id = ma.getComponents().findLast((c) => c.name === 'p2p')?.value
    if (id === undefined || ma.getComponents().some((c) => c.name === 'p2p-circuit')) return false
    if (id === node.peerId.toString()) return false
    const existing = candidates.get(id)
    if (existing === undefined && candidates.size >= MAX_KNOWN_RELAYS) {
      const out = evictable(chosen)
      if (out === undefined) return false
      candidates.delete(out)
    }
    if (existing === undefined) candidates.set(id, { addrs: [ma], chosen, proven: false, failures: 0, nextAttemptAt: 0, dialing: false })
    else {
      if (chosen) existing.chosen = true
      if (!existing.addrs.some((a) => a.equals(ma)) && existing.addrs.length < 8) existing.addrs.push(ma)
    }
    return true
  }

  return {
    start() {
      if (running) return
      running = true
      node.addEventListener('peer:connect', onConnect)
      node.addEventListener('peer:disconnect', onDisconnect)
      node.addEventListener('connection:open', onConnectionChange)
      node.addEventListener('connection:close', onConnectionChange)
      if (init.privacy === 'direct') {
        node.addEventListener('peer:discovery', onDiscovery)
        node.addEventListener('peer:update', onPeerUpdate)
      }
      interval = setInterval(tick, init.checkIntervalMs ?? 1_000)
      tick()
    },
    stop() {
      running = false
      clearInterval(interval)
      node.removeEventListener('peer:connect', onConnect)
      node.removeEventListener('peer:disconnect', onDisconnect)
      node.removeEventListener('peer:discovery', onDiscovery)
      node.removeEventListener('peer:update', onPeerUpdate)
      node.removeEventListener('connection:open', onConnectionChange)
      node.removeEventListener('connection:close', onConnectionChange)
    },
    addRelay(addr) {
      const ok = addRelayAddr(addr, true)
      if (ok && running) setTimeout(tick, 0)
      return ok
    },
    learnRelay(addr) {
      const ok = addRelayAddr(addr, false)
      if (ok && running && init.privacy === 'direct') setTimeout(tick, 0)
      return ok
    },
    learned: () => [...candidates.values()].filter((c) => !c.chosen).map((c) => ({ addr: c.addrs[0]!.toString(), proven: c.proven })),
    isRelay: (peer) => candidates.has(peer.toString()),
    status,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Browser-to-browser WebRTC (signalled through a relay), as opposed to WebRTC-direct to a relay. */
export function isWebRTCAddress(ma: Multiaddr): boolean {
  return ma.getComponents().some((c) => c.name === 'webrtc')
}

function isDirectPeerConnection(ma: Multiaddr): boolean {
  return isWebRTCAddress(ma)
}
