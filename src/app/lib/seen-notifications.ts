// What the person has seen of their notifications, for the unread count: the newest time seen,
// and how many notifications of exactly that time were on screen. Times are whole seconds
// (protocol/events.md §8), so two can share one, and the second must not pass for seen with the
// first. Numbers only: this is kept in clear (localStorage), and ids would say who wrote.

export interface SeenNotifications {
  readonly ts: number
  /** notifications of time `ts` that were shown */
  readonly atTs: number
}

export const NOTHING_SEEN: SeenNotifications = { ts: 0, atTs: 0 }

/** How many of these notifications were not seen yet. */
export function countUnseen(all: ReadonlyArray<{ ts: number }>, seen: SeenNotifications): number {
  const newer = all.filter((n) => n.ts > seen.ts).length
  const same = all.filter((n) => n.ts === seen.ts).length
  return newer + Math.max(0, same - seen.atTs)
}

/** `seen` once these notifications were on screen (the same object when nothing new was). */
export function markSeen(seen: SeenNotifications, shown: ReadonlyArray<{ ts: number }>): SeenNotifications {
  if (countUnseen(shown, seen) === 0) return seen
  const ts = Math.max(seen.ts, ...shown.map((n) => n.ts))
  return { ts, atTs: shown.filter((n) => n.ts === ts).length }
}

/** Reads what preferences kept: this JSON, or (before) the newest time alone. */
export function parseSeen(text: string | null): SeenNotifications {
  if (text === null) return NOTHING_SEEN
  try {
    const v = JSON.parse(text) as unknown
    if (typeof v === 'number' && Number.isFinite(v)) return { ts: v, atTs: Number.MAX_SAFE_INTEGER } // all of that time were seen
    const o = v as Partial<SeenNotifications> | null
    if (typeof o === 'object' && o !== null && Number.isFinite(o.ts) && Number.isFinite(o.atTs)) return { ts: o.ts!, atTs: o.atTs! }
  } catch {
    // unreadable: as if nothing was seen
  }
  return NOTHING_SEEN
}
