// Omission detection (protocol/sync.md §Omissions): ids an author's signed index names but
// that no peer has served yet. Recomputed for an author after every sync with a peer, so the
// next peer (another relay, a browser) is asked for exactly these.
import type { AuthorId, EventId } from '../../core/index.ts'

export interface MissingTracker {
  set(author: AuthorId, ids: readonly EventId[]): void
  /** how many of the author's indexed events nobody has served us (0 when unknown) */
  count(author: AuthorId): number
  ids(author: AuthorId): EventId[]
  /** authors with at least one missing event */
  authors(): AuthorId[]
  subscribe(listener: (author: AuthorId, count: number) => void): () => void
}

export function createMissingTracker(): MissingTracker {
  const missing = new Map<AuthorId, EventId[]>()
  const listeners = new Set<(author: AuthorId, count: number) => void>()
  return {
    set(author, ids) {
      const before = missing.get(author)?.length ?? 0
      if (ids.length === 0) missing.delete(author)
      else missing.set(author, [...ids])
      if (before !== ids.length) for (const l of listeners) l(author, ids.length)
    },
    count: (author) => missing.get(author)?.length ?? 0,
    ids: (author) => [...(missing.get(author) ?? [])],
    authors: () => [...missing.keys()],
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
