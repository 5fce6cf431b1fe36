// Direct messages between the store and the network: my mailboxes watched at every relay I am
// connected to (a new session whenever the libp2p node is replaced), mail handed to the store to
// open, and my sealed letters deposited until a relay takes them (protocol/direct-messages.md).
import { getPublicKey, mailboxIdOf, signAsMailbox } from '../../core/index.ts'
import type { SecretKey } from '../../core/types.ts'
import type { MailboxSession } from '../../net/mailbox-session.ts'
import type { DirectMessages, ReceiveResult } from '../../store/direct-messages.ts'
import type { DeliveryView } from '../state/private-backend.ts'
import type { AppDb } from './app-db.ts'
import type { NetSession } from './net-session.ts'

export interface DmWiring {
  /** watch my mailboxes over this network session (replacing any earlier one) */
  attach(net: NetSession): void
  detach(): void
  /** deposits every letter that waits; true when none is left waiting */
  flush(): Promise<boolean>
  /** opened, and dropped by typed reason (E_BAD_SEAL, E_REPLAYED…, 'refused' by my settings) */
  delivery(): DeliveryView
}

const CURSORS_KEY = 'mailboxCursors'

export async function createDmWiring(init: { db: AppDb; dms: DirectMessages; secret: SecretKey; onChange: () => void }): Promise<DmWiring> {
  const { dms, secret } = init
  const me = getPublicKey(secret)
  let opened = 0
  const dropped: Record<string, number> = {}
  const owned = new Map<number, { box: Uint8Array; sign(m: Uint8Array): Uint8Array }>()
  const saved = (await init.db.get<Record<string, Record<string, number>>>(CURSORS_KEY).catch(() => undefined)) ?? {}
  let session: MailboxSession | undefined
  let unsubscribe: (() => void) | undefined
  let flushing: Promise<boolean> | undefined

  const boxes = () =>
    dms.mailboxEpochs().map((epoch) => {
      let o = owned.get(epoch)
      if (o === undefined) {
        o = { box: mailboxIdOf(me, epoch), sign: (m: Uint8Array) => signAsMailbox(secret, epoch, m) }
        owned.set(epoch, o)
      }
      return o
    })

  function count(results: readonly ReceiveResult[]): void {
    for (const r of results) {
      if (r.ok) opened++
      else dropped[r.code] = (dropped[r.code] ?? 0) + 1
    }
  }

  async function flushNow(): Promise<boolean> {
    const s = session
    if (s === undefined) return false
    let left = 0
    let sent = 0
    for (const { id, deposits } of await dms.pendingDeposits()) {
      let taken = true
      for (const d of deposits) if ((await s.deposit(d.box, d.msg)) === 0) taken = false
      if (taken) {
        await dms.markDeposited(id)
        sent++
      } else left++
    }
    if (sent > 0) init.onChange()
    return left === 0
  }

  const flush = (): Promise<boolean> => {
    flushing ??= flushNow().finally(() => {
      flushing = undefined
    })
    return flushing
  }

  return {
    delivery: () => ({ opened, dropped: { ...dropped } }),
    flush,
    attach(net) {
      session?.stop()
      unsubscribe?.()
      session = net.network.openMailboxes({
        boxes,
        cursors: {
          initial: saved,
          save(relay, cursors) {
            saved[relay] = cursors
            init.db.put(CURSORS_KEY, saved).catch(() => undefined)
          },
        },
        onMail: async (_relay, items) => {
          count(await dms.receive(items.map((i) => i.msg)))
          init.onChange()
        },
      })
      session.start()
      const current = session
      // a relay came or went: watch it, and hand it what waits
      unsubscribe = net.network.status.subscribe(() => {
        current.refresh()
        void flush()
      })
    },
    detach() {
      unsubscribe?.()
      session?.stop()
      session = undefined
    },
  }
}
