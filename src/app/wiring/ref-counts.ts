// Reaction and reply counts shown under posts. The store indexes references for its own
// queries but has no count query, so the app keeps these small counters, fed by every event
// the store commits (gossip, sync, local) and persisted in the app database. Bounded: the
// newest MAX targets are kept.
import type { AuthorId, EventId, SignedEvent } from '../../core/types.ts'
import type { ReactionCount } from '../state/view-types.ts'
import type { AppDb } from './app-db.ts'

const MAX = 5000

interface Counts {
  /** emoji → reacting authors */
  r: Record<string, string[]>
  /** replying event ids */
  p: string[]
}

export interface RefCounts {
  add(events: readonly SignedEvent[]): void
  reactions(target: EventId, me: AuthorId): ReactionCount[]
  replies(target: EventId): number
}

export async function createRefCounts(db: AppDb): Promise<RefCounts> {
  const saved = await db.get<Array<[string, Counts]>>('refCounts').catch(() => undefined)
  const map = new Map<string, Counts>(saved ?? [])
  let timer: ReturnType<typeof setTimeout> | undefined
  const save = (): void => {
    timer ??= setTimeout(() => {
      timer = undefined
      while (map.size > MAX) map.delete(map.keys().next().value!)
      db.put('refCounts', [...map]).catch(() => undefined)
    }, 500)
  }
  const entry = (target: string): Counts => {
    let c = map.get(target)
    if (!c) {
      c = { r: {}, p: [] }
      map.set(target, c)
    }
    return c
  }
  return {
    add(events) {
      let changed = false
      for (const e of events) {
        if (e.kind === 'reaction') {
          const list = (entry(e.body.target).r[e.body.emoji] ??= [])
          if (!list.includes(e.author)) { list.push(e.author); changed = true }
        } else if (e.kind === 'post' && e.body.reply) {
          const list = entry(e.body.reply.parent).p
          if (!list.includes(e.id)) { list.push(e.id); changed = true }
        }
      }
      if (changed) save()
    },
    reactions(target, me) {
      const c = map.get(target)
      if (!c) return []
      return Object.entries(c.r).map(([emoji, authors]) => ({ emoji, count: authors.length, mine: authors.includes(me) }))
    },
    replies: (target) => map.get(target)?.p.length ?? 0,
  }
}
