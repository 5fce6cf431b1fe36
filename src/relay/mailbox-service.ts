// The relay's mailbox service (protocol/direct-messages.md §5-6): the SQLite store in the
// archive's database and the stream protocol on the libp2p node, registered and removed as one.
import type { Libp2p } from '@libp2p/interface'
import type { DatabaseSync } from 'node:sqlite'
import { MAILBOX_PROTOCOL } from '../net/mailbox-frames.ts'
import { createRateLimiter } from '../net/rate-limiter.ts'
import { createMailboxServer } from './mailbox-server.ts'
import { createMailboxStore, DEFAULT_MAILBOX_QUOTAS, type MailboxQuotas, type MailboxStore } from './mailbox-store.ts'
import type { MetricsRegistry } from './metrics.ts'

/** Deposits per remote peer: a person writes a few messages a minute, a flood is refused. */
export const DEPOSIT_RATE = { perSecond: 2, burst: 60 }
/** Mailbox streams at once per connection (a watching stream per device, deposits beside it). */
const STREAMS_PER_CONNECTION = 8

export interface Mailboxes {
  readonly store: MailboxStore
  prune(): number
  stop(): Promise<void>
}

export async function startMailboxes(node: Libp2p, db: DatabaseSync, registry?: MetricsRegistry, quotas: MailboxQuotas = DEFAULT_MAILBOX_QUOTAS): Promise<Mailboxes> {
  const store = createMailboxStore(db, quotas)
  const server = createMailboxServer({ store, relayPeerId: node.peerId.toString(), deposits: createRateLimiter(DEPOSIT_RATE) })
  registry?.collect('wg_mailbox_messages', 'Sealed direct messages held in mailboxes', () => store.stats().messages)
  registry?.collect('wg_mailbox_bytes', 'Bytes of sealed direct messages held in mailboxes', () => store.stats().bytes)
  registry?.collect('wg_mailbox_refusals_total', 'Deposits refused with E_QUOTA since start', () => store.stats().refusals, 'counter')
  registry?.collect('wg_mailbox_streams_active', 'Mailbox streams being served now (watching devices, deposits)', () => server.active())
  await node.handle(MAILBOX_PROTOCOL, (stream, connection) => server.handle(stream, connection), { maxInboundStreams: STREAMS_PER_CONNECTION })
  return {
    store,
    prune: () => store.prune(),
    async stop() {
      await node.unhandle(MAILBOX_PROTOCOL)
    },
  }
}
