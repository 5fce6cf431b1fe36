// Counting what refers to an event (replies, reposts, reactions) from the store's reference
// index (keys.ts idx.reference): the index is written with the referring event and listed in its
// refs, so a retraction takes it away, and there is no second copy of the counts to keep in step.
import type { AuthorId, EventId } from '../core/types.ts'
import { referenceKeysOf } from './event-index.ts'
import { idx, meta, SEP } from './keys.ts'
import { encodeJson } from './json.ts'
import type { Visibility } from './queries.ts'
import { decodeStored } from './queries.ts'
import type { Storage, WriteOp } from './storage.ts'
import { lacksPass, runPass } from './stored-pass.ts'
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

/** True for a database written before the reference index existed (stored-pass.ts). */
export const lacksReferenceIndex = (storage: Storage): Promise<boolean> => lacksPass(storage, meta.referencesIndexed)

/** Indexes the references of the events such a database holds, once (stored-pass.ts). */
export function indexStoredReferences(storage: Storage, exclusive: <T>(run: () => Promise<T>) => Promise<T>): Promise<void> {
  return runPass(storage, exclusive, meta.referencesIndexed, (page) =>
    page.flatMap(({ id, bytes, refs }): WriteOp[] => {
      if (refs === undefined) return []
      const keys = referenceKeysOfStored(bytes).filter((k) => !refs.k.includes(k))
      if (keys.length === 0) return []
      return [
        { type: 'put', table: 'refs', key: id, value: encodeJson({ ...refs, k: [...refs.k, ...keys] }) },
        ...keys.map((key): WriteOp => ({ type: 'put', table: 'idx', key, value: EMPTY })),
      ]
    }),
  )
}

function referenceKeysOfStored(bytes: Uint8Array): string[] {
  try {
    return referenceKeysOf(decodeStored(bytes))
  } catch {
    return [] // stored bytes are ours and were verified; should one not decode, it counts for nothing
  }
}

const EMPTY = new Uint8Array(0)
