// Turning verified events into one batch of writes (protocol/feed-document.md §5): bodies,
// refs (what a purge must delete), index keys, home-timeline keys, notifications for events
// that referenced this one before it arrived. Duplicates are ignored; an event its author
// has retracted is refused with E_RETRACTED.
import type { AuthorId, EventId, SignedEvent } from '../core/types.ts'
import { isKeptForMe, indexKeysOf, listReferences, isTimelineItem, searchTokensOf } from './event-index.ts'
import type { PendingRef } from './event-index.ts'
import { keepAuthor } from './document-cache.ts'
import { danglingKey, idx, searchRowsOf, tombstoneKey } from './keys.ts'
import type { EventRefs } from './keys.ts'
import { decodeJson, encodeJson } from './json.ts'
import { decodePostings, encodePostings, idToBytes } from './postings.ts'
import type { Posting } from './postings.ts'
import type { Storage, WriteOp } from './storage.ts'

export type EventOutcome = 'new' | 'duplicate' | 'retracted'

export interface EventPlan {
  readonly ops: WriteOp[]
  /** one per input event, same order */
  readonly outcomes: EventOutcome[]
  readonly added: SignedEvent[]
  /** what of `added` went into the community cache */
  readonly cached: CacheSize
}

/** `arrivedAt`: when the batch arrived, on a store with an identity (where the community cache is kept) */
export async function planEvents(
  storage: Storage,
  events: readonly SignedEvent[],
  homeSet: ReadonlySet<AuthorId>,
  me: AuthorId | undefined,
  arrivedAt = 0,
): Promise<EventPlan> {
  const ids = events.map((e) => e.id)
  // tombstones are keyed by (id, author): only the event's own author can retract it
  // (protocol/feed-document.md §Retraction), whatever other documents claim
  const [existing, tombstones] = await Promise.all([storage.getMany('events', ids), findTombstones(storage, events)])
  const outcomes: EventOutcome[] = []
  const fresh = new Map<EventId, SignedEvent>()
  events.forEach((e, i) => {
    if (existing[i] !== undefined || fresh.has(e.id)) outcomes.push('duplicate')
    else if (tombstones[i] === true) outcomes.push('retracted')
    else {
      outcomes.push('new')
      fresh.set(e.id, e)
    }
  })
  const added = [...fresh.values()]
  const cached = { events: 0, bytes: 0 }
  if (added.length === 0) return { ops: [], outcomes, added, cached }

  // Authors of referenced events: from this batch, else from stored refs. Only notifications
  // to me need them, so on a store without identity (a relay) nothing is looked up.
  const targets = me === undefined ? [] : [...new Set(added.flatMap((e) => listReferences(e).map((r) => r.target)).filter((t) => !fresh.has(t)))]
  // references to one of my events that arrived before it (e.g. restoring on a new device)
  const mine = added.filter((e) => e.author === me)
  const [targetRefs, danglingMine] = await Promise.all([
    storage.getMany('refs', targets),
    storage.getMany(
      'refs',
      mine.map((e) => danglingKey(e.id)),
    ),
  ])
  const authors = new Map<EventId, AuthorId>()
  targets.forEach((t, i) => {
    const refs = decodeJson<EventRefs>(targetRefs[i])
    if (refs) authors.set(t, refs.a)
  })
  for (const e of added) authors.set(e.id, e.author)

  const ops: WriteOp[] = []
  const refsOut = new Map<EventId, Mutable<EventRefs>>()
  const newDangling = new Map<EventId, PendingRef[]>()
  const postings = new Map<string, Posting[]>()
  const searched: Array<Mutable<EventRefs>> = []
  let newest: SignedEvent | undefined // of the events with tokens: names the batch's rows
  for (const e of added) {
    const keys = indexKeysOf(e, (id) => authors.get(id), me)
    const community = me !== undefined && !isKeptForMe(e.author, keys, homeSet, me)
    if (community) keys.push(idx.community(arrivedAt, e.id))
    // a stranger's event that concerns me: their document is kept with it (document-cache.ts)
    else if (me !== undefined && e.author !== me && !homeSet.has(e.author)) ops.push(keepAuthor(e.author))
    // the author row is derived from (a, t, id) when purging: not listed
    const refs: Mutable<EventRefs> = { a: e.author, t: e.ts, k: keys.filter((key) => !key.startsWith(AUTHOR_ROW)) }
    if (community) {
      refs.c = e.bytes.length
      cached.events++
      cached.bytes += e.bytes.length
    }
    refsOut.set(e.id, refs)
    const tokens = searchTokensOf(e)
    if (tokens.length > 0) {
      refs.w = tokens
      searched.push(refs)
      if (newest === undefined || e.ts > newest.ts || (e.ts === newest.ts && e.id < newest.id)) newest = e
    }
    for (const token of tokens) {
      const list = postings.get(token)
      if (list) list.push([e.ts, e.id])
      else postings.set(token, [[e.ts, e.id]])
    }
    ops.push({ type: 'put', table: 'events', key: e.id, value: e.bytes })
    for (const key of keys) ops.push({ type: 'put', table: 'idx', key, value: EMPTY })
    if (homeSet.has(e.author) && isTimelineItem(e)) ops.push({ type: 'put', table: 'idx', key: idx.home(e.ts, e.id), value: EMPTY })
    for (const ref of me === undefined || e.author === me ? [] : listReferences(e)) {
      if (authors.has(ref.target)) continue
      const list = newDangling.get(ref.target) ?? []
      list.push({ id: e.id, type: ref.type, from: e.author, ts: e.ts })
      newDangling.set(ref.target, list)
    }
  }

  if (newest !== undefined) {
    const suffix = idx.searchSuffix(newest.ts, newest.id)
    const idBytes = new Map<EventId, Uint8Array>()
    const bytesOf = (id: EventId): Uint8Array => {
      let b = idBytes.get(id)
      if (b === undefined) idBytes.set(id, (b = idToBytes(id)))
      return b
    }
    for (const [token, list] of postings) {
      list.sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? -1 : 1))
      ops.push({ type: 'put', table: 'idx', key: idx.searchRow(token, suffix), value: encodePostings(list, bytesOf) })
    }
    for (const refs of searched) refs.q = suffix
  }

  // Events that referenced one of these before it arrived: their notifications can be made now.
  const waiting: Array<{ target: SignedEvent; refs: PendingRef[] }> = []
  mine.forEach((e, i) => {
    const refs = decodeJson<PendingRef[]>(danglingMine[i])
    if (refs) {
      waiting.push({ target: e, refs })
      ops.push({ type: 'delete', table: 'refs', key: danglingKey(e.id) })
    }
  })
  const referrers = [...new Set(waiting.flatMap((w) => w.refs.map((r) => r.id)).filter((id) => !refsOut.has(id)))]
  const referrerRefs = await storage.getMany('refs', referrers)
  referrers.forEach((id, i) => {
    const refs = decodeJson<EventRefs>(referrerRefs[i])
    if (refs) refsOut.set(id, { ...refs, k: [...refs.k] })
  })
  for (const { target, refs } of waiting) {
    for (const ref of refs) {
      const holder = refsOut.get(ref.id)
      if (!holder || ref.from === target.author) continue // purged meanwhile, or self
      const key = idx.notification(target.author, ref.ts, ref.type, ref.id)
      if (!holder.k.includes(key)) holder.k.push(key)
      ops.push({ type: 'put', table: 'idx', key, value: EMPTY })
    }
  }
  for (const [id, refs] of refsOut) ops.push({ type: 'put', table: 'refs', key: id, value: encodeJson(refs) })

  // Remember references whose target we lack (merged with what is already waiting).
  const targetsLacking = [...newDangling.keys()]
  const lacking = await storage.getMany('refs', targetsLacking.map(danglingKey))
  targetsLacking.forEach((target, i) => {
    const before = decodeJson<PendingRef[]>(lacking[i]) ?? []
    const list = [...before, ...newDangling.get(target)!].slice(-MAX_PENDING_REFS)
    ops.push({ type: 'put', table: 'refs', key: danglingKey(target), value: encodeJson(list) })
  })
  return { ops, outcomes, added, cached }
}

const AUTHOR_ROW = 'a|'

/**
 * Which events have a tombstone. Tombstones are few next to events: when the whole table holds
 * fewer keys than the batch has events, one scan of it replaces a lookup per event (in
 * IndexedDB every lookup is a request of its own).
 */
async function findTombstones(storage: Storage, events: readonly SignedEvent[]): Promise<boolean[]> {
  if (events.length >= TOMBSTONE_SCAN_MIN) {
    const all = await storage.rangeKeys('retracted', { limit: events.length })
    if (all.length < events.length) {
      const held = new Set(all)
      return events.map((e) => held.size > 0 && held.has(tombstoneKey(e.id, e.author)))
    }
  }
  return (
    await storage.getMany(
      'retracted',
      events.map((e) => tombstoneKey(e.id, e.author)),
    )
  ).map((v) => v !== undefined)
}
const TOMBSTONE_SCAN_MIN = 16

/** Waiting references kept per missing target (bounds a flood of replies to an unknown id). */
const MAX_PENDING_REFS = 1000
const EMPTY = new Uint8Array(0)

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Events, or bytes of events, in the community cache. */
export interface CacheSize {
  events: number
  bytes: number
}

/** Writes that purge stored events of `author` (protocol/feed-document.md §Retraction). */
export async function planPurge(
  storage: Storage,
  author: AuthorId,
  ids: readonly EventId[],
): Promise<{ ops: WriteOp[]; purged: EventId[]; uncached: CacheSize }> {
  const refsList = await storage.getMany('refs', ids)
  const held: Array<{ id: EventId; refs: EventRefs }> = []
  const tombstones: WriteOp[] = []
  ids.forEach((id, i) => {
    tombstones.push({ type: 'put', table: 'retracted', key: tombstoneKey(id, author), value: EMPTY })
    const refs = decodeJson<EventRefs>(refsList[i])
    if (refs && refs.a === author) held.push({ id, refs }) // else not held, or someone else's: only a tombstone
  })
  const { ops, uncached } = await planRemoval(storage, held)
  return { ops: [...tombstones, ...ops], purged: held.map((h) => h.id), uncached }
}

/** Writes that delete stored events with all their index keys (a purge, or an eviction from the community cache). */
export async function planRemoval(storage: Storage, held: ReadonlyArray<{ id: EventId; refs: EventRefs }>): Promise<{ ops: WriteOp[]; uncached: CacheSize }> {
  const ops: WriteOp[] = []
  const uncached = { events: 0, bytes: 0 }
  const rows = new Map<string, EventId[]>() // posting-list rows to rewrite without the removed ids
  for (const { id, refs } of held) {
    ops.push({ type: 'delete', table: 'events', key: id }, { type: 'delete', table: 'refs', key: id })
    ops.push({ type: 'delete', table: 'idx', key: idx.home(refs.t, id) }, { type: 'delete', table: 'idx', key: idx.author(refs.a, refs.t, id) })
    for (const key of refs.k) if (!key.startsWith('s|')) ops.push({ type: 'delete', table: 'idx', key })
    for (const key of searchRowsOf(refs)) rows.set(key, [...(rows.get(key) ?? []), id])
    if (refs.c !== undefined) {
      uncached.events++
      uncached.bytes += refs.c
    }
  }
  const rowKeys = [...rows.keys()]
  const rowValues = await storage.getMany('idx', rowKeys)
  rowKeys.forEach((key, i) => {
    const drop = new Set(rows.get(key))
    const left = (decodePostings(rowValues[i]) ?? []).filter(([, id]) => !drop.has(id))
    // same key (other events' refs name it); the purged id may stay in the key: it is an id, no content
    ops.push(left.length > 0 ? { type: 'put', table: 'idx', key, value: encodePostings(left, idToBytes) } : { type: 'delete', table: 'idx', key })
  })
  return { ops, uncached }
}
