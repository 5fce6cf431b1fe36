// What a feed-document change means for the rest of the store (protocol/feed-document.md
// §Effects): retractions purge events; follows make "new follower" notifications; my own
// follows change the home timeline. Returned as writes for the same batch as the change.
import type { AuthorId, EventId } from '../core/types.ts'
import type { FeedDocDelta } from './feed-doc.ts'
import { idx, meta } from './keys.ts'
import { planPurge, type CacheSize } from './plan-events.ts'
import type { Storage, WriteOp } from './storage.ts'

export interface DeltaPlan {
  readonly ops: WriteOp[]
  readonly purged: EventId[]
  /** what of the purged was in the community cache */
  readonly uncached: CacheSize
  /** authors added to / removed from my home set (only for my own document) */
  readonly homeAdded: AuthorId[]
  readonly homeRemoved: AuthorId[]
}

const EMPTY = new Uint8Array(0)

export async function planDelta(storage: Storage, owner: AuthorId, delta: FeedDocDelta, me: AuthorId | undefined): Promise<DeltaPlan> {
  const ops: WriteOp[] = []
  const { ops: purgeOps, purged, uncached } = await planPurge(storage, owner, delta.retracted)
  ops.push(...purgeOps)
  const unfollowed = new Set(delta.unfollowed)
  for (const { author, since } of delta.followed) {
    unfollowed.delete(author)
    if (author === owner) continue
    ops.push({ type: 'put', table: 'idx', key: idx.follower(author, owner), value: EMPTY })
    if (author !== me) continue // "new follower" notifications are only kept for me
    const key = idx.notification(author, since, 'follow', owner)
    const old = await storage.get('meta', meta.follow(owner, author))
    if (old !== undefined) ops.push({ type: 'delete', table: 'idx', key: new TextDecoder().decode(old) })
    ops.push({ type: 'put', table: 'idx', key, value: EMPTY })
    ops.push({ type: 'put', table: 'meta', key: meta.follow(owner, author), value: new TextEncoder().encode(key) })
  }
  for (const author of unfollowed) {
    ops.push({ type: 'delete', table: 'idx', key: idx.follower(author, owner) })
    if (author !== me) continue
    const old = await storage.get('meta', meta.follow(owner, author))
    if (old !== undefined) ops.push({ type: 'delete', table: 'idx', key: new TextDecoder().decode(old) })
    ops.push({ type: 'delete', table: 'meta', key: meta.follow(owner, author) })
  }
  const homeAdded: AuthorId[] = []
  const homeRemoved: AuthorId[] = []
  if (owner === me) {
    for (const { author } of delta.followed) if (author !== me && !unfollowed.has(author)) homeAdded.push(author)
    for (const author of unfollowed) if (author !== me) homeRemoved.push(author)
    for (const [authors, put] of [
      [homeAdded, true],
      [homeRemoved, false],
    ] as const) {
      for (const author of authors) {
        // a| keys are `a|<author>|<newest-first ts>|<id>`: the home key reuses the same order
        for (const key of await storage.rangeKeys('idx', { prefix: idx.authorPrefix(author) })) {
          const homeKey = `H|${key.slice(idx.authorPrefix(author).length)}`
          ops.push(put ? { type: 'put', table: 'idx', key: homeKey, value: EMPTY } : { type: 'delete', table: 'idx', key: homeKey })
        }
      }
    }
  }
  return { ops, purged, uncached, homeAdded, homeRemoved }
}
