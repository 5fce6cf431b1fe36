// Feed-document changes that arrived before the changes they depend on. Gossip does not
// keep order, and the store refuses a change whose Automerge dependencies it lacks
// (E_BAD_CHANGE, "missing dependencies"). A browser repairs that by catch-up sync; a relay
// serves sync but does not run it, so without this buffer one lost or late change would make
// it refuse every later change of that author. Held changes are retried as soon as another
// change of the same author is stored. Bounded in count and age: only memory, never trusted.

export interface PendingChanges {
  hold(author: string, bytes: Uint8Array): void
  /** removes and returns what is held for the author (still fresh) */
  take(author: string): Uint8Array[]
  readonly size: number
}

export interface PendingChangesInit {
  readonly maxPerAuthor?: number
  readonly maxTotal?: number
  readonly ttlMs?: number
  readonly now?: () => number
}

export function createPendingChanges(init: PendingChangesInit = {}): PendingChanges {
  const maxPerAuthor = init.maxPerAuthor ?? 64
  const maxTotal = init.maxTotal ?? 4096
  const ttlMs = init.ttlMs ?? 10 * 60_000
  const now = init.now ?? Date.now
  const held = new Map<string, Array<{ bytes: Uint8Array; at: number }>>()
  let size = 0

  const dropOldestAuthor = () => {
    const [author, list] = held.entries().next().value!
    held.delete(author)
    size -= list.length
  }

  return {
    hold(author, bytes) {
      const list = held.get(author) ?? []
      if (list.some((x) => x.bytes.length === bytes.length && x.bytes.every((b, i) => b === bytes[i]))) return
      if (list.length >= maxPerAuthor) {
        list.shift()
        size--
      }
      while (size >= maxTotal && held.size > 0) dropOldestAuthor()
      list.push({ bytes, at: now() })
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
      return list.filter((x) => x.at >= fresh).map((x) => x.bytes)
    },
    get size() {
      return size
    },
  }
}
