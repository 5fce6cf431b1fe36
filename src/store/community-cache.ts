// The community cache (protocol/feed-document.md §5): what arrives from people I neither follow
// nor that concerns me is kept, but bounded in events and in bytes and evicted oldest arrival
// first, so that strangers, whose keys are free, cannot fill the device. What I follow, what
// concerns me and what I bookmarked is never evicted by it: met at eviction time (someone
// followed since, a reply that arrived before my post it answers), it leaves the cache and stays.
import type { EventId } from '../core/types.ts'
import { decodeJson, encodeJson } from './json.ts'
import { idx, lastSegment, meta, priv, type EventRefs } from './keys.ts'
import { keepAuthor } from './document-cache.ts'
import { planRemoval, type CacheSize } from './plan-events.ts'
import type { Storage, WriteOp } from './storage.ts'

export interface CommunityCacheLimits {
  readonly maxEvents: number
  /** of signed events (what they take stored, indexes included, is about 2–3 times more) */
  readonly maxBytes: number
}

/** Whichever comes first: a day of a busy community timeline, some tens of MB stored on a phone. */
export const COMMUNITY_CACHE_MAX_EVENTS = 20_000
export const COMMUNITY_CACHE_MAX_BYTES = 16 * 1024 * 1024
export const COMMUNITY_CACHE_LIMITS: CommunityCacheLimits = { maxEvents: COMMUNITY_CACHE_MAX_EVENTS, maxBytes: COMMUNITY_CACHE_MAX_BYTES }

/** An eviction goes down to this share of the limits, so that it runs once in many batches. */
const EVICT_TO = 0.9
/** Cache entries read at a time while evicting. */
const PAGE = 256

export async function readCacheSize(storage: Storage): Promise<CacheSize> {
  const size = decodeJson<CacheSize>(await storage.get('meta', meta.communityCache))
  return { events: size?.events ?? 0, bytes: size?.bytes ?? 0 }
}

export function writeCacheSize(size: CacheSize): WriteOp {
  return { type: 'put', table: 'meta', key: meta.communityCache, value: encodeJson(size) }
}

export interface EvictionPlan {
  readonly ops: WriteOp[]
  readonly evicted: EventId[]
  /** what the cache holds once the ops are written */
  readonly size: CacheSize
}

/**
 * Writes that bring the cache under its limits, oldest arrival first. An entry `stays` says is
 * kept (no longer a stranger's) leaves the cache without being deleted.
 */
export async function planEviction(
  storage: Storage,
  size: CacheSize,
  limits: CommunityCacheLimits,
  stays: (refs: EventRefs) => boolean,
): Promise<EvictionPlan> {
  const ops: WriteOp[] = []
  const left = { ...size }
  if (left.events <= limits.maxEvents && left.bytes <= limits.maxBytes) return { ops, evicted: [], size: left }
  const over = (): boolean => left.events > limits.maxEvents * EVICT_TO || left.bytes > limits.maxBytes * EVICT_TO
  let after: string | undefined
  // removed in one plan at the end: events of one batch share posting-list rows, and two plans
  // rewriting the same row from storage would each put back what the other took out
  const gone: Array<{ id: EventId; refs: EventRefs }> = []
  while (over()) {
    const keys = await storage.rangeKeys('idx', { prefix: idx.communityPrefix(), limit: PAGE, ...(after === undefined ? {} : { after }) })
    if (keys.length === 0) {
      left.events = 0 // the count had drifted: nothing is left to evict
      left.bytes = 0
      break
    }
    after = keys.at(-1)
    const ids = keys.map((key) => lastSegment(key) as EventId)
    const [refsList, bookmarks] = await Promise.all([storage.getMany('refs', ids), storage.getMany('private', ids.map(priv.bookmark))])
    for (let i = 0; i < keys.length && over(); i++) {
      const refs = decodeJson<EventRefs>(refsList[i])
      const id = ids[i]!
      left.events--
      left.bytes -= refs?.c ?? 0
      if (refs === undefined) ops.push({ type: 'delete', table: 'idx', key: keys[i]! })
      else if (bookmarks[i] !== undefined || stays(refs)) ops.push(...leaveCache(id, refs, keys[i]!))
      else gone.push({ id, refs })
    }
  }
  ops.push(...(await planRemoval(storage, gone)).ops)
  return { ops, evicted: gone.map((g) => g.id), size: { events: Math.max(0, left.events), bytes: Math.max(0, left.bytes) } }
}

/** The event stays, out of the cache: its entry goes, and its refs no longer name it. */
function leaveCache(id: EventId, refs: EventRefs, key: string): WriteOp[] {
  const { c: _counted, ...rest } = refs
  const kept: EventRefs = { ...rest, k: refs.k.filter((k) => k !== key) }
  return [{ type: 'delete', table: 'idx', key }, { type: 'put', table: 'refs', key: id, value: encodeJson(kept) }, keepAuthor(refs.a)]
}
