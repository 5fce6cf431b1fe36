// Counting what refers to an event (replies, reposts, reactions) from the store's reference
// index (keys.ts idx.reference): the index is written with the referring event and listed in its
// refs, so a retraction takes it away, and there is no second copy of the counts to keep in step.
import type { AuthorId, EventId } from '../core/types.ts'
import { referenceKeysOf } from './event-index.ts'
import { idx, meta, SEP } from './keys.ts'
import type { EventRefs } from './keys.ts'
import { decodeJson, encodeJson } from './json.ts'
import type { Visibility } from './queries.ts'
import { decodeStored } from './queries.ts'
import type { Storage, WriteOp } from './storage.ts'
import type { ReferenceCounts } from './types.ts'

/** Keys read per target at most: beyond, the counts stop growing (a bound on one card's cost). */
export const MAX_COUNTED_REFERENCES = 10_000
const PAGE = 1_000

export async function countReferences(storage: Storage, v: Visibility, me: AuthorId | undefined, target: EventId): Promise<ReferenceCounts> {
  const prefix = idx.referencePrefix(target)
  let replies = 0
  const reposts = new Set<string>()
  const reactions = new Map<string, Set<string>>()
  // my own, by emoji, so that I can take one back (a retraction of its id)
  const mine = new Map<string, EventId>()
  let myRepost: EventId | undefined
  let after: string | undefined
  for (let read = 0; read < MAX_COUNTED_REFERENCES; read += PAGE) {
    const keys = await storage.rangeKeys('idx', { prefix, limit: PAGE, ...(after === undefined ? {} : { after }) })
    for (const key of keys) {
      // c | target | type | (emoji |) author | id
      const parts = key.split(SEP)
      const reaction = parts[2] === 'reaction'
      const author = (reaction ? parts[4] : parts[3]) as AuthorId
      if (v.isMuted(author) || v.isBlocked(author)) continue
      const id = parts.at(-1) as EventId
      if (parts[2] === 'reply') replies++
      else if (parts[2] === 'repost') {
        reposts.add(author)
        if (author === me) myRepost ??= id
      } else if (reaction) {
        const emoji = parts[3]!
        if (author === me && !mine.has(emoji)) mine.set(emoji, id)
        const who = reactions.get(emoji) ?? new Set<string>()
        who.add(author)
        reactions.set(emoji, who)
      }
    }
    if (keys.length < PAGE) break
    after = keys.at(-1)
  }
  return {
    replies,
    reposts: reposts.size,
    reactions: [...reactions].map(([emoji, who]) => ({
      emoji,
      count: who.size,
      mine: me !== undefined && who.has(me),
      ...(mine.has(emoji) ? { myId: mine.get(emoji)! } : {}),
    })),
    ...(myRepost === undefined ? {} : { myRepost }),
  }
}

/**
 * True for a database written before the reference index existed (events stored, not marked
 * indexed). An empty one is marked at once: ingest indexes everything it stores.
 */
export async function lacksReferenceIndex(storage: Storage): Promise<boolean> {
  if ((await storage.get('meta', meta.referencesIndexed)) !== undefined) return false
  if ((await storage.rangeKeys('events', { limit: 1 })).length > 0) return true
  await storage.write([{ type: 'put', table: 'meta', key: meta.referencesIndexed, value: EMPTY }])
  return false
}

/**
 * Indexes the stored events of such a database once, a page at a time (each page one batch,
 * through `exclusive` so no ingest runs in between), then marks it done. Events stored
 * meanwhile are indexed by ingest itself.
 */
export async function indexStoredReferences(storage: Storage, exclusive: <T>(run: () => Promise<T>) => Promise<T>): Promise<void> {
  let after: string | undefined
  for (;;) {
    const page = await exclusive(async () => {
      const rows = await storage.range('events', { limit: PAGE, ...(after === undefined ? {} : { after }) })
      const refs = await storage.getMany(
        'refs',
        rows.map((r) => r.key),
      )
      const ops: WriteOp[] = []
      rows.forEach((row, i) => {
        const held = decodeJson<EventRefs>(refs[i])
        if (held === undefined) return
        const keys = referenceKeysOfStored(row.value).filter((k) => !held.k.includes(k))
        if (keys.length === 0) return
        ops.push({ type: 'put', table: 'refs', key: row.key, value: encodeJson({ ...held, k: [...held.k, ...keys] }) })
        for (const key of keys) ops.push({ type: 'put', table: 'idx', key, value: EMPTY })
      })
      if (rows.length < PAGE) ops.push({ type: 'put', table: 'meta', key: meta.referencesIndexed, value: EMPTY })
      if (ops.length > 0) await storage.write(ops)
      return rows
    })
    if (page.length < PAGE) return
    after = page.at(-1)!.key
  }
}

function referenceKeysOfStored(bytes: Uint8Array): string[] {
  try {
    return referenceKeysOf(decodeStored(bytes))
  } catch {
    return [] // stored bytes are ours and were verified; should one not decode, it counts for nothing
  }
}

const EMPTY = new Uint8Array(0)
