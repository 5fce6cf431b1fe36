// A one-time pass over every stored event of a database written before some index existed (the
// reference index, folded search rows): run in the background, a page at a time, each page one
// batch through `exclusive` (no ingest or purge runs in between), and marked done in `meta` with
// the last page. Events stored meanwhile are indexed by ingest itself.
import type { EventId } from '../core/types.ts'
import type { EventRefs } from './keys.ts'
import { decodeJson } from './json.ts'
import type { Storage, WriteOp } from './storage.ts'

/** events read per page */
const PAGE = 250
const EMPTY = new Uint8Array(0)

export interface StoredEvent {
  readonly id: EventId
  readonly bytes: Uint8Array
  readonly refs: EventRefs | undefined
}

/** True while the pass marked by `marker` has to run: events stored, not marked. An empty database is marked at once. */
export async function lacksPass(storage: Storage, marker: string): Promise<boolean> {
  if ((await storage.get('meta', marker)) !== undefined) return false
  if ((await storage.rangeKeys('events', { limit: 1 })).length > 0) return true
  await storage.write([{ type: 'put', table: 'meta', key: marker, value: EMPTY }])
  return false
}

/** Runs the pass: `plan` gives the writes for one page of stored events (with their refs). */
export async function runPass(
  storage: Storage,
  exclusive: <T>(run: () => Promise<T>) => Promise<T>,
  marker: string,
  plan: (page: readonly StoredEvent[]) => Promise<WriteOp[]> | WriteOp[],
): Promise<void> {
  let after: string | undefined
  for (;;) {
    const page = await exclusive(async () => {
      const rows = await storage.range('events', { limit: PAGE, ...(after === undefined ? {} : { after }) })
      const refs = await storage.getMany(
        'refs',
        rows.map((r) => r.key),
      )
      const ops = await plan(rows.map((row, i) => ({ id: row.key as EventId, bytes: row.value, refs: decodeJson<EventRefs>(refs[i]) })))
      if (rows.length < PAGE) ops.push({ type: 'put', table: 'meta', key: marker, value: EMPTY })
      if (ops.length > 0) await storage.write(ops)
      return rows
    })
    if (page.length < PAGE) return
    after = page.at(-1)!.key
  }
}
