// When a relay reconciles its archive (protocol/reconcile.md §When): with every relay it meets
// (a peer whose identify names the reconcile protocol, whether given with --peer or met through
// a relay record), at once, and then every `intervalMs` with each one still connected. A session
// moves items both ways, so of a pair only the relay with the lower peer id starts them (both
// compute the same); one session per peer at a time (the network's), at most one start per peer
// per `minGapMs`.
import type { IdentifyResult, Libp2p, PeerId } from '@libp2p/interface'
import type { Network } from '../net/network.ts'
import { RECONCILE_PROTOCOL } from '../net/reconcile/frames.ts'
import type { ReconcileReport } from '../net/reconcile/session.ts'
import type { Log } from './relay.ts'

export interface ReconcileSchedule {
  stop(): void
}

export function startReconcileSchedule(
  node: Libp2p,
  network: Pick<Network, 'reconcileWith'>,
  init: {
    intervalMs?: number
    minGapMs?: number
    log: Log
    onReport?(report: ReconcileReport): void
  },
): ReconcileSchedule {
  const lastStart = new Map<string, number>()
  const minGap = init.minGapMs ?? 30_000
  const self = node.peerId.toString()
  const start = (peer: PeerId): void => {
    const key = peer.toString()
    if (!initiates(self, key)) return
    const last = lastStart.get(key)
    if (last !== undefined && Date.now() - last < minGap) return
    lastStart.set(key, Date.now())
    network.reconcileWith(peer).then(
      (report) => {
        init.onReport?.(report)
        if (report.events + report.changes + report.pushed > 0)
          init.log(
            `reconciled with ${key.slice(-8)}: ${report.events} events, ${report.changes} changes fetched, ${report.pushed} items pushed (${report.rounds} rounds, ${Math.round((report.bytesSent + report.bytesReceived) / 1024)} KiB)`,
          )
      },
      (err: unknown) => init.log(`reconciliation with ${key.slice(-8)} failed: ${err instanceof Error ? err.message : String(err)}`),
    )
  }
  const onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    if (evt.detail.protocols.includes(RECONCILE_PROTOCOL)) start(evt.detail.peerId)
  }
  node.addEventListener('peer:identify', onIdentify)
  const timer = setInterval(() => {
    for (const peer of node.getPeers()) {
      void node.peerStore.get(peer).then(
        (p) => {
          if (p.protocols.includes(RECONCILE_PROTOCOL)) start(peer)
        },
        () => undefined,
      )
    }
  }, init.intervalMs ?? 300_000)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      node.removeEventListener('peer:identify', onIdentify)
    },
  }
}

/**
 * Does `self` start the sessions with `peer`? The lower peer id (as its string, compared by UTF-16
 * code units) does: both relays of a pair compute the same answer, so a pair searches once.
 */
export function initiates(self: string, peer: string): boolean {
  return self < peer
}
