// The network's status (connected relays, direct peers, known relays, privacy mode) as one
// subscribable value. A client recomputes it when its relay pool changes; a relay lists every
// connected peer and rebuilds that at most once a second.
import type { Libp2p } from '@libp2p/interface'
import type { PrivacyMode } from './node.ts'
import type { RelayPool } from './relay-pool.ts'
import { createWritable } from './status.ts'
import type { Subscribable } from './status.ts'

export interface NetworkStatus {
  relays: string[]
  peers: string[]
  knownRelays: number
  privacy: PrivacyMode
}

export interface StatusTracker {
  readonly status: Subscribable<NetworkStatus>
  refresh(): void
  /** a relay's status follows its connections (throttled); returns the way to stop that */
  followConnections(): () => void
}

/** How often a relay rebuilds its status at most (with thousands of peers it is costly). */
const RELAY_REFRESH_MS = 1000

export function createStatusTracker(node: Libp2p, pool: RelayPool | undefined, privacy: PrivacyMode): StatusTracker {
  const status = createWritable<NetworkStatus>({ relays: [], peers: [], knownRelays: 0, privacy }, (a, b) => JSON.stringify(a) === JSON.stringify(b))
  const refresh = (): void => {
    const s = pool?.status()
    status.set({ relays: s?.relays ?? [], peers: s?.peers ?? node.getPeers().map(String), knownRelays: s?.known ?? 0, privacy })
  }
  return {
    status,
    refresh,
    followConnections() {
      // Not on every connection event: with 2,000 peers connecting, rebuilding (every peer id in
      // base58, twice stringified) on each event was quadratic, seconds of a relay's CPU.
      let pending: ReturnType<typeof setTimeout> | undefined
      const refreshSoon = (): void => {
        pending ??= setTimeout(() => {
          pending = undefined
          refresh()
        }, RELAY_REFRESH_MS)
      }
      node.addEventListener('connection:open', refreshSoon)
      node.addEventListener('connection:close', refreshSoon)
      return () => {
        node.removeEventListener('connection:open', refreshSoon)
        node.removeEventListener('connection:close', refreshSoon)
        clearTimeout(pending)
      }
    },
  }
}
