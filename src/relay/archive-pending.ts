// Feed-document changes that arrived before the changes they depend on. Gossip does not
// keep order, and the store refuses a change whose Automerge dependencies it lacks
// (reason missing-dependencies). A browser repairs that by catch-up sync; a relay
// serves sync but does not run it, so without this buffer one lost or late change would make
// it refuse every later change of that author. Held changes are retried as soon as another
// change of the same author is stored. Bounded in count and age: only memory, never trusted.
// What is held is the opened envelope, so a retry neither decodes nor verifies it again.

export interface PendingChanges<T extends { readonly bytes: Uint8Array }> {
  hold(author: string, change: T): void
  /** removes and returns what is held for the author (still fresh) */
  take(author: string): T[]
  readonly size: number
}

export interface PendingChangesInit {
  readonly maxPerAuthor?: number
  readonly maxTotal?: number
  readonly ttlMs?: number
  readonly now?: () => number
}

export function createPendingChanges<T extends { readonly bytes: Uint8Array }>(init: PendingChangesInit = {}): PendingChanges<T> {
  const maxPerAuthor = init.maxPerAuthor ?? 64
  const maxTotal = init.maxTotal ?? 4096
  const ttlMs = init.ttlMs ?? 10 * 60_000
  const now = init.now ?? Date.now
  const held = new Map<string, Array<{ change: T; at: number }>>()
  let size = 0

  const dropOldestAuthor = () => {
    const [author, list] = held.entries().next().value!
    held.delete(author)
    size -= list.length
  }

  return {
    hold(author, change) {
      const list = held.get(author) ?? []
      const { bytes } = change
      if (list.some((x) => x.change.bytes.length === bytes.length && x.change.bytes.every((b, i) => b === bytes[i]))) return
      if (list.length >= maxPerAuthor) {
        list.shift()
        size--
      }
      while (size >= maxTotal && held.size > 0) dropOldestAuthor()
      list.push({ change, at: now() })
      // re-insert: Map order is insertion order, so the author just seen is the newest
      held.delete(author)
      held.set(author, list)
      size++
    },
    take(author) {
      const list = held.get(author)
      if (list === undefined) return []
      held.delete(author)
      size -= list.length
      const fresh = now() - ttlMs
      return list.filter((x) => x.at >= fresh).map((x) => x.change)
    },
    get size() {
      return size
    },
  }
}
