// The community (relay) timeline: recent posts this device received from the network from
// anyone, followed or not (gossip and the relays' store-and-forward), newest first. The store
// indexes followed authors; this small rolling list, kept by the app, covers the rest.
import type { EventId, SignedEvent } from '../../core/types.ts'
import type { AppDb } from './app-db.ts'

const MAX = 1000

interface Entry {
  readonly id: EventId
  readonly ts: number
}

export interface CommunityIndex {
  add(events: readonly SignedEvent[]): void
  remove(ids: readonly EventId[]): void
  page(after: number, limit: number): EventId[]
}

export async function createCommunityIndex(db: AppDb): Promise<CommunityIndex> {
  let entries: Entry[] = (await db.get<Entry[]>('community')) ?? []
  let saving: ReturnType<typeof setTimeout> | undefined
  const save = (): void => {
    saving ??= setTimeout(() => {
      saving = undefined
      db.put('community', entries).catch(() => undefined)
    }, 500)
  }
  return {
    add(events) {
      const known = new Set(entries.map((e) => e.id))
      const fresh = events.filter((e) => (e.kind === 'post' || e.kind === 'repost') && !known.has(e.id)).map((e) => ({ id: e.id, ts: e.ts }))
      if (fresh.length === 0) return
      entries = [...entries, ...fresh].sort((a, b) => b.ts - a.ts).slice(0, MAX)
      save()
    },
    remove(ids) {
      const gone = new Set<string>(ids)
      entries = entries.filter((e) => !gone.has(e.id))
      save()
    },
    page: (after, limit) => entries.slice(after, after + limit).map((e) => e.id),
  }
}
