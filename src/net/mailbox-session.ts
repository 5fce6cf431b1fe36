// A device's side of the mailboxes (protocol/direct-messages.md §5): one watching stream per
// connected relay (reopened with backoff when it fails), and deposits to every connected relay.
// Mail goes to onMail as it comes; what it is and whether it opens is the caller's business.
import type { Libp2p, PeerId } from '@libp2p/interface'
import { mailboxProofBytes } from '../core/index.ts'
import type { MailItem } from './mailbox-frames.ts'
import { depositMail, watchMailboxes, type OwnedMailbox } from './mailbox-client.ts'

export interface MailboxSessionInit {
  /** the relays to use now (connected, unlimited); called on every connection change */
  relays(): PeerId[]
  boxes(): readonly OwnedMailbox[]
  onMail(relay: string, items: readonly MailItem[]): Promise<void>
  /** read positions per relay (relay peer id → box hex → seq), kept across restarts */
  cursors?: { initial?: Readonly<Record<string, Record<string, number>>>; save?(relay: string, cursors: Record<string, number>): void }
  /** how long a relay holds one fetch (default 25 s) */
  waitMs?: number
}

export interface MailboxSession {
  start(): void
  stop(): void
  /** looks at the relays again (call when the set of connected relays may have changed) */
  refresh(): void
  /** deposits at every relay in use; resolves with how many took it (0: none reachable) */
  deposit(box: Uint8Array, msg: Uint8Array): Promise<number>
  /** relays being watched now */
  watching(): string[]
}

/**
 * The relays among `relayIds` this node has an open, unlimited connection to: mailboxes are used
 * over direct connections only (a relayed one would hand the stream to a third peer).
 */
export function openRelayPeers(node: Libp2p, relayIds: readonly string[]): PeerId[] {
  const ids = new Set(relayIds)
  const seen = new Map<string, PeerId>()
  for (const c of node.getConnections()) {
    const id = c.remotePeer.toString()
    if (ids.has(id) && c.status === 'open' && c.limits === undefined) seen.set(id, c.remotePeer)
  }
  return [...seen.values()]
}

export function createMailboxSession(node: Libp2p, init: MailboxSessionInit): MailboxSession {
  const watchers = new Map<string, AbortController>()
  const cursors = new Map<string, Map<string, number>>(Object.entries(init.cursors?.initial ?? {}).map(([relay, c]) => [relay, new Map(Object.entries(c))]))
  const failures = new Map<string, number>()
  let running = false

  function watch(peer: PeerId): void {
    const id = peer.toString()
    if (watchers.has(id)) return
    const controller = new AbortController()
    watchers.set(id, controller)
    const mine = cursors.get(id) ?? new Map<string, number>()
    cursors.set(id, mine)
    void watchMailboxes(node, peer, {
      boxes: init.boxes,
      proofBytes: mailboxProofBytes,
      cursors: mine,
      signal: controller.signal,
      ...(init.waitMs === undefined ? {} : { waitMs: init.waitMs }),
      onMail: async (items) => {
        await init.onMail(id, items)
        failures.set(id, 0)
        queueMicrotask(() => init.cursors?.save?.(id, Object.fromEntries(mine)))
      },
    })
      .catch(() => undefined)
      .finally(() => {
        if (watchers.get(id) !== controller) return
        watchers.delete(id)
        if (!running || controller.signal.aborted) return
        // a relay that fails again and again is retried less often (250 ms doubling to 30 s)
        const n = (failures.get(id) ?? 0) + 1
        failures.set(id, n)
        setTimeout(refresh, Math.min(30_000, 250 * 2 ** n))
      })
  }

  function refresh(): void {
    if (!running) return
    const relays = init.relays()
    const wanted = new Set(relays.map(String))
    for (const [id, c] of watchers)
      if (!wanted.has(id)) {
        c.abort()
        watchers.delete(id)
      }
    for (const peer of relays) watch(peer)
  }

  const onConnection = (): void => setTimeout(refresh, 0) as unknown as void

  return {
    start() {
      if (running) return
      running = true
      node.addEventListener('connection:open', onConnection)
      node.addEventListener('connection:close', onConnection)
      refresh()
    },
    stop() {
      running = false
      node.removeEventListener('connection:open', onConnection)
      node.removeEventListener('connection:close', onConnection)
      for (const c of watchers.values()) c.abort()
      watchers.clear()
    },
    async deposit(box, msg) {
      const results = await Promise.allSettled(init.relays().map((peer) => depositMail(node, peer, box, msg)))
      return results.filter((r) => r.status === 'fulfilled').length
    },
    watching: () => [...watchers.keys()],
    refresh,
  }
}

export type { MailItem }
