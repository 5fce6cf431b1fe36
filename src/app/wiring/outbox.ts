// Offline posting: everything the user signs is stored locally first, then queued
// here until it can be handed to the network. Gossip publishes to nobody while no relay
// or peer subscribes, and a second publish of the same bytes is dropped by gossipsub's
// seen-cache (content message ids, protocol/gossip.md), so an item leaves the queue only
// when someone subscribes to its topic; otherwise it waits for the next flush.
import type { AppDb } from './app-db.ts'

export interface OutboxItem {
  readonly kind: 'event' | 'change'
  readonly bytes: Uint8Array
  /** event id, to mark the post "not sent yet" in the UI */
  readonly id?: string | undefined
}

export interface Outbox {
  enqueue(items: readonly OutboxItem[]): Promise<void>
  flush(): Promise<void>
  size(): number
  pendingIds(): ReadonlySet<string>
}

export async function createOutbox(init: {
  db: AppDb
  /** true when handed to at least one subscriber; false to keep the item queued */
  publish: (item: OutboxItem) => Promise<boolean>
  onChange: () => void
}): Promise<Outbox> {
  let queue: OutboxItem[] = (await init.db.get<OutboxItem[]>('outbox')) ?? []
  let running: Promise<void> | undefined
  // a flush asked for while a pass runs: that pass may already be past its loop (persisting),
  // so one more pass follows it, or an item queued just then would wait for the next timer
  let again = false
  const persist = (): Promise<void> => init.db.put('outbox', queue)

  async function drain(): Promise<void> {
    let changed = false
    while (queue.length > 0) {
      const item = queue[0]!
      let sent = false
      try {
        sent = await init.publish(item)
      } catch {
        sent = false
      }
      if (!sent) break // keep order: feed-document changes depend on their predecessors
      queue = queue.slice(1)
      changed = true
    }
    if (changed) {
      await persist()
      init.onChange()
    }
  }

  const outbox: Outbox = {
    async enqueue(items) {
      queue = [...queue, ...items]
      await persist()
      init.onChange()
      await outbox.flush()
    },
    flush() {
      if (running !== undefined) {
        again = true
        return running
      }
      running = (async () => {
        do {
          again = false
          await drain()
        } while (again)
      })().finally(() => {
        running = undefined
      })
      return running
    },
    size: () => queue.length,
    pendingIds: () => new Set(queue.map((i) => i.id).filter((id): id is string => id !== undefined)),
  }
  return outbox
}
