// Repair syncs (protocol/sync.md §Flow, "repairs"): a gossiped change whose dependencies this
// client lacks makes it fetch that author's changes from the peer that forwarded it. Anyone can
// sign such changes (keys are free, the missing dependency need never exist), so repairs are
// coalesced and bounded: the authors of one moment go into one session with that peer; an author
// is repaired at most once per cooldown; a client opens at most a few repair sessions a minute,
// and holds a bounded number of authors waiting for one.
import type { PeerId } from '@libp2p/interface'
import type { AuthorId } from '../../core/index.ts'

export interface RepairLimits {
  /** repairs asked within this window go into one session per peer */
  windowMs: number
  /** an author is repaired at most once in this time */
  authorCooldownMs: number
  /** repair sessions per minute, all peers together */
  sessionsPerMinute: number
  /** authors in one repair session */
  authorsPerSession: number
  /** authors waiting for a session, all peers together; more are dropped */
  maxWaiting: number
}

export const REPAIR_LIMITS: RepairLimits = {
  windowMs: 500,
  authorCooldownMs: 10 * 60_000,
  sessionsPerMinute: 4,
  authorsPerSession: 64,
  maxWaiting: 256,
}

export interface RepairCounters {
  /** repair sessions started */
  sessions: number
  /** repairs not made: the author was repaired recently, or too many were waiting */
  skipped: number
}

export interface Repairs {
  /** `author`'s change from `from` lacked its dependencies */
  request(author: AuthorId, from: PeerId): void
  readonly counters: Readonly<RepairCounters>
  stop(): void
}

/** Authors remembered for the cooldown at most (the oldest are forgotten first). */
const MAX_REMEMBERED = 10_000

export function createRepairs(
  run: (peer: PeerId, authors: AuthorId[]) => Promise<unknown>,
  limits: RepairLimits = REPAIR_LIMITS,
  now: () => number = Date.now,
): Repairs {
  const repairedAt = new Map<AuthorId, number>()
  const waiting = new Map<string, { peer: PeerId; authors: Set<AuthorId> }>()
  const started: number[] = []
  const counters: RepairCounters = { sessions: 0, skipped: 0 }
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let waitingCount = 0

  const schedule = (ms: number): void => {
    if (timer !== undefined || stopped) return
    timer = setTimeout(() => {
      timer = undefined
      flush()
    }, ms)
  }

  const flush = (): void => {
    const t = now()
    while (started.length > 0 && started[0]! <= t - 60_000) started.shift()
    for (const [key, entry] of waiting) {
      if (started.length >= limits.sessionsPerMinute) {
        // the rest waits until the oldest session of the minute is a minute old
        schedule(started[0]! + 60_000 - t)
        return
      }
      const authors = [...entry.authors].slice(0, limits.authorsPerSession)
      for (const a of authors) entry.authors.delete(a)
      waitingCount -= authors.length
      if (entry.authors.size === 0) waiting.delete(key)
      started.push(t)
      counters.sessions++
      run(entry.peer, authors).catch(() => undefined)
    }
  }

  return {
    request(author, from) {
      if (stopped) return
      const t = now()
      const last = repairedAt.get(author)
      if ((last !== undefined && t - last < limits.authorCooldownMs) || waitingCount >= limits.maxWaiting) {
        counters.skipped++
        return
      }
      repairedAt.delete(author)
      repairedAt.set(author, t)
      if (repairedAt.size > MAX_REMEMBERED) repairedAt.delete(repairedAt.keys().next().value!)
      const key = from.toString()
      const entry = waiting.get(key) ?? { peer: from, authors: new Set<AuthorId>() }
      entry.authors.add(author)
      waiting.set(key, entry)
      waitingCount++
      schedule(limits.windowMs)
    },
    counters,
    stop() {
      stopped = true
      clearTimeout(timer)
      waiting.clear()
    },
  }
}
