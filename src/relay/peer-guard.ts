// Disconnect peers that send invalid gossip, and keep them out for a while. Gossipsub
// graylists such a peer (src/net/gossip-config.ts scoring) and stops validating its
// messages, but it still reads and decodes every RPC the peer sends: a flood of large
// invalid messages keeps costing the relay CPU and memory for as long as the connection
// stays open (test/integration/relay-flood.test.ts saw honest posts lost meanwhile).
// The rule is ours and deterministic (gossipsub's score is cached and decays): a peer whose
// messages were rejected MAX_REJECTS times within REJECT_WINDOW_MS is disconnected and
// refused for banMs. Honest peers never get there: they validate before they publish or
// forward, and what a newer or clock-skewed peer may send is ignored, not rejected
// (src/net/gossip.ts IGNORED_CODES).
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { GossipSub } from '../net/gossip-config.ts'

export const MAX_REJECTS = 3
export const REJECT_WINDOW_MS = 60_000

export interface PeerGuardInit {
  readonly node: Libp2p<{ pubsub: GossipSub }>
  /** peers never banned (the relays given with --peer) */
  readonly exempt?: readonly string[]
  /** how long a banned peer is refused (default 10 minutes) */
  readonly banMs?: number
  readonly log: (message: string) => void
  /** why: 'gossip' (invalid messages) or 'sync' (past its sync budget) */
  readonly onBan?: (peer: string, why: BanReason) => void
}

export type BanReason = 'gossip' | 'sync'

export interface PeerGuard {
  /** one of the peer's messages was rejected by validation */
  reject(peer: PeerId): void
  /** refuse the peer for `ms` (it was already hung up on, e.g. past its sync budget) */
  ban(peer: string, ms: number, reason: BanReason, why: string): void
  isBanned(peer: string): boolean
  stop(): void
}

/** Bound on remembered bans, so rotating peer ids cannot grow the map without end. */
const MAX_BANS = 10_000

export function startPeerGuard(init: PeerGuardInit): PeerGuard {
  const { node } = init
  const banMs = init.banMs ?? 10 * 60_000
  const exempt = new Set(init.exempt ?? [])
  const bans = new Map<string, number>()
  const rejects = new Map<string, number[]>()

  const isBanned = (id: string): boolean => {
    const until = bans.get(id)
    if (until === undefined) return false
    if (until > Date.now()) return true
    bans.delete(id)
    return false
  }
  const hangUp = (peer: PeerId): void => {
    node.hangUp(peer).catch(() => {
      // already gone
    })
  }
  const onConnect = (evt: CustomEvent<PeerId>): void => {
    if (isBanned(evt.detail.toString())) hangUp(evt.detail)
  }
  node.addEventListener('peer:connect', onConnect)

  const ban = (id: string, ms: number, reason: BanReason, why: string): void => {
    if (bans.size >= MAX_BANS) bans.delete(bans.keys().next().value!)
    bans.set(id, Date.now() + ms)
    init.log(`peer ${id} disconnected for ${Math.round(ms / 1000)} s: ${why}`)
    init.onBan?.(id, reason)
  }

  return {
    ban(id, ms, reason, why) {
      if (exempt.has(id) || isBanned(id)) return
      ban(id, ms, reason, why)
    },
    reject(peer) {
      const id = peer.toString()
      if (exempt.has(id) || isBanned(id)) return
      const now = Date.now()
      const recent = (rejects.get(id) ?? []).filter((t) => t > now - REJECT_WINDOW_MS)
      recent.push(now)
      if (recent.length < MAX_REJECTS) {
        if (rejects.size >= MAX_BANS) rejects.delete(rejects.keys().next().value!)
        rejects.set(id, recent)
        return
      }
      rejects.delete(id)
      ban(id, banMs, 'gossip', `${MAX_REJECTS} invalid gossip messages within ${REJECT_WINDOW_MS / 1000} s`)
      hangUp(peer)
    },
    isBanned,
    stop() {
      node.removeEventListener('peer:connect', onConnect)
    },
  }
}
