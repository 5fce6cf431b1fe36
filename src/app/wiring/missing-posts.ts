// Posts named on screen that this device does not hold: the post a followed person quoted or
// reposted, by someone it does not follow (filtered delivery sends the quote or repost, not
// what it names). Asked of the connected relays by id, a batch at a time; an id not found is
// asked again only after a while (every repaint would ask again otherwise). The store's
// notification repaints the screen when one arrives.
import type { EventId } from '../../core/types.ts'
import { createLruMap } from '../../core/lru-map.ts'

/** ids asked for, remembered at most */
const ASKED_REMEMBERED = 2_000
/** an id no relay had is asked again after this */
const ASK_AGAIN_MS = 5 * 60_000

export function createMissingPosts(fetchEvents: (ids: readonly EventId[]) => Promise<unknown> | undefined, now = Date.now): (id: EventId) => void {
  const askedAt = createLruMap<number>(ASKED_REMEMBERED)
  let batch: EventId[] = []
  return (id) => {
    const at = askedAt.peek(id)
    if (at !== undefined && now() - at < ASK_AGAIN_MS) return
    askedAt.set(id, now())
    batch.push(id)
    if (batch.length > 1) return
    queueMicrotask(() => {
      const ids = batch
      batch = []
      void Promise.resolve(fetchEvents(ids)).catch(() => undefined)
    })
  }
}
