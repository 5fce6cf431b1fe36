// Search rows of a database written before tokenize.ts folded Traditional Chinese to
// Simplified: its events were indexed under unfolded tokens (貓), which a query, folded (猫),
// no longer looks up. Re-indexed once, in the background, a page at a time (stored-pass.ts);
// `meta` `searchFolded` marks it done. Only events whose tokens
// the fold changes are touched: each leaves the rows its refs name and joins the rows of its
// folded tokens under the same suffix (its ingest batch's, so its place in the results stays),
// merged with what those rows already hold, and its refs name the new rows (w, q).
import type { EventId } from '../core/types.ts'
import { searchTokensOf } from './event-index.ts'
import { idx, meta, SEP, searchRowsOf } from './keys.ts'
import type { EventRefs } from './keys.ts'
import { encodeJson } from './json.ts'
import { decodePostings, encodePostings, idToBytes } from './postings.ts'
import type { Posting } from './postings.ts'
import { decodeStored } from './queries.ts'
import type { Storage, WriteOp } from './storage.ts'
import { lacksPass, runPass, type StoredEvent } from './stored-pass.ts'

const SEARCH_ROW = 's|'

/** True for a database whose stored events may have unfolded search tokens (stored-pass.ts). */
export const lacksSearchFold = (storage: Storage): Promise<boolean> => lacksPass(storage, meta.searchFolded)

/** Re-indexes the search rows of the events such a database holds, once (stored-pass.ts). */
export function foldStoredSearch(storage: Storage, exclusive: <T>(run: () => Promise<T>) => Promise<T>): Promise<void> {
  return runPass(storage, exclusive, meta.searchFolded, (page) => planFold(storage, page))
}

async function planFold(storage: Storage, events: readonly StoredEvent[]): Promise<WriteOp[]> {
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
