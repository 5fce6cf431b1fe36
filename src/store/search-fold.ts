// Search rows of a database written before tokenize.ts folded Traditional Chinese to
// Simplified: its events were indexed under unfolded tokens (貓), which a query, folded (猫),
// no longer looks up. Re-indexed once, in the background, a page at a time, as the reference
// index is (reference-counts.ts); `meta` `searchFolded` marks it done. Only events whose tokens
// the fold changes are touched: each leaves the rows its refs name and joins the rows of its
// folded tokens under the same suffix (its ingest batch's, so its place in the results stays),
// merged with what those rows already hold, and its refs name the new rows (w, q).
import type { EventId } from '../core/types.ts'
import { searchTokensOf } from './event-index.ts'
import { idx, meta, SEP, searchRowsOf } from './keys.ts'
import type { EventRefs } from './keys.ts'
import { decodeJson, encodeJson } from './json.ts'
import { decodePostings, encodePostings, idToBytes } from './postings.ts'
import type { Posting } from './postings.ts'
import { decodeStored } from './queries.ts'
import type { Storage, WriteOp } from './storage.ts'

/** events read per batch (each changed post rewrites ~10–30 rows) */
const PAGE = 250
const EMPTY = new Uint8Array(0)
const SEARCH_ROW = 's|'

/**
 * True for a database whose stored events may have unfolded search tokens (events stored, not
 * marked folded). An empty one is marked at once: ingest folds everything it stores.
 */
export async function lacksSearchFold(storage: Storage): Promise<boolean> {
  if ((await storage.get('meta', meta.searchFolded)) !== undefined) return false
  if ((await storage.rangeKeys('events', { limit: 1 })).length > 0) return true
  await storage.write([{ type: 'put', table: 'meta', key: meta.searchFolded, value: EMPTY }])
  return false
}

/**
 * Re-indexes the search rows of the stored events of such a database, a page at a time (each
 * page one batch, through `exclusive` so no ingest or purge runs in between), then marks it
 * done. Events stored meanwhile are indexed folded by ingest itself.
 */
export async function foldStoredSearch(storage: Storage, exclusive: <T>(run: () => Promise<T>) => Promise<T>): Promise<void> {
  let after: string | undefined
  for (;;) {
    const page = await exclusive(async () => {
      const rows = await storage.range('events', { limit: PAGE, ...(after === undefined ? {} : { after }) })
      const refs = await storage.getMany(
        'refs',
        rows.map((r) => r.key),
      )
      const ops = await planFold(
        storage,
        rows.map((row, i) => ({ id: row.key as EventId, bytes: row.value, refs: decodeJson<EventRefs>(refs[i]) })),
      )
      if (rows.length < PAGE) ops.push({ type: 'put', table: 'meta', key: meta.searchFolded, value: EMPTY })
      if (ops.length > 0) await storage.write(ops)
      return rows
    })
    if (page.length < PAGE) return
    after = page.at(-1)!.key
  }
}

interface Stored {
  readonly id: EventId
  readonly bytes: Uint8Array
  readonly refs: EventRefs | undefined
}

async function planFold(storage: Storage, events: readonly Stored[]): Promise<WriteOp[]> {
  const ops: WriteOp[] = []
  const leaving = new Map<string, Set<EventId>>() // row key → events to take out of it
  const joining = new Map<string, Posting[]>() // row key → events to put in it
  for (const { id, bytes, refs } of events) {
    if (refs === undefined) continue
    const tokens = tokensOfStored(bytes)
    if (tokens === undefined || sameTokens(tokensOf(refs), tokens)) continue
    for (const key of searchRowsOf(refs)) leaving.set(key, (leaving.get(key) ?? new Set()).add(id))
    // refs written in the earliest layout have no q: the event's own suffix
    const suffix = refs.q ?? idx.searchSuffix(refs.t, id)
    for (const token of tokens) {
      const key = idx.searchRow(token, suffix)
      joining.set(key, [...(joining.get(key) ?? []), [refs.t, id]])
    }
    const { w: _w, q: _q, ...rest } = refs
    const next: EventRefs = { ...rest, k: refs.k.filter((key) => !key.startsWith(SEARCH_ROW)), ...(tokens.length > 0 ? { w: tokens, q: suffix } : {}) }
    ops.push({ type: 'put', table: 'refs', key: id, value: encodeJson(next) })
  }
  // a row can lose some events and gain others (or the same ones, under a token the fold kept)
  const keys = [...new Set([...leaving.keys(), ...joining.keys()])]
  const values = await storage.getMany('idx', keys)
  keys.forEach((key, i) => {
    const join = joining.get(key) ?? []
    const drop = new Set([...(leaving.get(key) ?? []), ...join.map(([, id]) => id)])
    const list = [...(decodePostings(values[i]) ?? []).filter(([, id]) => !drop.has(id)), ...join]
    list.sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? -1 : 1))
    ops.push(list.length > 0 ? { type: 'put', table: 'idx', key, value: encodePostings(list, idToBytes) } : { type: 'delete', table: 'idx', key })
  })
  return ops
}

/** The tokens refs index the event under: w, or (the earliest layout) the rows listed in k. */
function tokensOf(refs: EventRefs): string[] {
  return refs.w ?? refs.k.filter((key) => key.startsWith(SEARCH_ROW)).map((key) => key.split(SEP)[1]!)
}

function sameTokens(held: readonly string[], tokens: readonly string[]): boolean {
  const set = new Set(held)
  return set.size === tokens.length && tokens.every((t) => set.has(t))
}

function tokensOfStored(bytes: Uint8Array): string[] | undefined {
  try {
    return searchTokensOf(decodeStored(bytes))
  } catch {
    return undefined // stored bytes are ours and were verified; should one not decode, its rows stay
  }
}
