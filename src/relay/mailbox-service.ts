// The relay's mailbox service (protocol/direct-messages.md §5-6): the SQLite store in the
// archive's database and the server of the stream protocol, which the network layer registers
// on the node (NetworkInit.serveMailboxes) beside the sync server.
import type { Connection, Stream } from '@libp2p/interface'
import type { DatabaseSync } from 'node:sqlite'
import { createRateLimiter } from '../net/rate-limiter.ts'
import { createMailboxServer } from './mailbox-server.ts'
import { createMailboxStore, DEFAULT_MAILBOX_QUOTAS, type MailboxQuotas, type MailboxStore } from './mailbox-store.ts'
import type { MetricsRegistry } from './metrics.ts'

/** Deposits per remote peer: a person writes a few messages a minute, a flood is refused. */
export const DEPOSIT_RATE = { perSecond: 2, burst: 60 }

export interface Mailboxes {
  readonly store: MailboxStore
  serve(stream: Stream, connection: Connection): Promise<void>
  prune(): number
}

export function createMailboxes(init: { relayPeerId: string; db: DatabaseSync; registry?: MetricsRegistry; quotas?: MailboxQuotas }): Mailboxes {
  const store = createMailboxStore(init.db, init.quotas ?? DEFAULT_MAILBOX_QUOTAS)
  const server = createMailboxServer({ store, relayPeerId: init.relayPeerId, deposits: createRateLimiter(DEPOSIT_RATE) })
  const { registry } = init
  registry?.collect('wg_mailbox_messages', 'Sealed direct messages held in mailboxes', () => store.stats().messages)
  registry?.collect('wg_mailbox_bytes', 'Bytes of sealed direct messages held in mailboxes', () => store.stats().bytes)
  registry?.collect('wg_mailbox_refusals_total', 'Deposits refused with E_QUOTA since start', () => store.stats().refusals, 'counter')
  registry?.collect('wg_mailbox_streams_active', 'Mailbox streams being served now (watching devices, deposits)', () => server.active())
  return {
    store,
    serve: (stream, connection) => server.handle(stream, connection),
    prune: () => store.prune(),
  }
}
