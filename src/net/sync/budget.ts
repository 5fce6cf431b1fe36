// What serving sync may cost (protocol/sync.md §Server budgets). Work is counted in work units
// (wu, about 0.1 ms of a relay's CPU on the reference machine, measured per request kind), not
// in requests: a request naming 256 authors or reading an author's whole feed document costs
// what it costs. Every request is paid from the peer's budget and from the node's budget (all
// peers together). A request its peer cannot pay waits until it can (slowed); a peer kept
// waiting too long within a minute, or refused too many sessions, is cut off (disconnected), as
// is one that sends more requests ahead than the protocol allows (the server does that check).
// A peer's state outlives its connection: coming back does not refill its budget.
import type { Request } from './frames.ts'

/** Work units of each part of a request (protocol/sync.md §Server budgets, measured). */
export const WORK_UNITS = {
  /** reading a request and writing its answer: frames, stream, encryption, socket (~0.5 ms) */
  request: 5,
  perAuthor: 0.2,
  perId: 0.1,
  /** get-changes that needs the author's document (the server holds it and the heads differ) */
  documentRead: 100,
  recentPage: 10,
  /** per 4 KiB of answer sent, charged after it was sent */
  per4KiB: 1,
} as const

export interface WorkRate {
  perSecond: number
  burst: number
}

export interface SyncBudgetLimits {
  /** requests per second of one peer, whatever they cost */
  requests: WorkRate
  /** work units per second of one peer */
  perPeer: WorkRate
  /** work units per second of all peers together */
  total: WorkRate
  /** sessions one peer may open per second (an honest client opens one per sync) */
  sessions: WorkRate
  /** sessions one peer may have open at once */
  sessionsPerPeer: number
  /** waiting for the node-wide budget longer than this: the request is refused (E_RATE_LIMITED) */
  maxTotalWaitMs: number
  /** a peer made to wait longer than this in all within a minute is cut off */
  maxPeerWaitPerMinuteMs: number
  /** a peer refused more sessions than this within a minute is cut off */
  maxRefusedPerMinute: number
}

/**
 * A relay (protocol/sync.md §Server budgets): a peer gets 20 requests/s and ~5 % of a core once
 * its burst (a first catch-up of some 100 follows) is spent; all peers together ~half a core.
 */
export const RELAY_SYNC_BUDGET: SyncBudgetLimits = {
  requests: { perSecond: 20, burst: 300 },
  perPeer: { perSecond: 500, burst: 10_000 },
  total: { perSecond: 5_000, burst: 50_000 },
  sessions: { perSecond: 0.5, burst: 10 },
  sessionsPerPeer: 2,
  maxTotalWaitMs: 5_000,
  maxPeerWaitPerMinuteMs: 30_000,
  maxRefusedPerMinute: 8,
}

/** A browser or Node peer serving its own store to direct peers: a phone is not a relay. */
export const CLIENT_SYNC_BUDGET: SyncBudgetLimits = {
  requests: { perSecond: 10, burst: 100 },
  perPeer: { perSecond: 200, burst: 5_000 },
  total: { perSecond: 1_000, burst: 20_000 },
  sessions: { perSecond: 0.5, burst: 10 },
  sessionsPerPeer: 2,
  maxTotalWaitMs: 5_000,
  maxPeerWaitPerMinuteMs: 30_000,
  maxRefusedPerMinute: 8,
}

/** The part of a request's cost known before it is answered (documentRead is added by the server). */
export function requestWork(request: Request): number {
  switch (request.t) {
    case 'get-heads':
      return WORK_UNITS.request + WORK_UNITS.perAuthor * request.authors.length
    case 'get-changes':
      return WORK_UNITS.request + WORK_UNITS.perAuthor
    case 'get-events':
      return WORK_UNITS.request + WORK_UNITS.perId * request.ids.length
    case 'get-recent':
      return WORK_UNITS.request + WORK_UNITS.recentPage
  }
}

export function answerWork(bytes: number): number {
  return (bytes / 4096) * WORK_UNITS.per4KiB
}

/** A token bucket that may go into debt: paying more than is there returns how long to wait. */
export interface WorkBucket {
  /** takes `work` now; returns the ms until the bucket is out of debt again (0: none) */
  pay(work: number): number
  /** gives back what a request that was not served paid */
  refund(work: number): void
  /** full and idle: equal to a fresh bucket */
  readonly idle: boolean
}

export function createWorkBucket(rate: WorkRate, now: () => number = Date.now): WorkBucket {
  let tokens = rate.burst
  let at = now()
  const refill = (): void => {
    const t = now()
    tokens = Math.min(rate.burst, tokens + ((t - at) / 1000) * rate.perSecond)
    at = t
  }
  return {
    pay(work) {
      refill()
      // debt is bounded: one burst, so a peer that keeps asking waits at most burst / rate
      tokens = Math.max(-rate.burst, tokens - work)
      return tokens >= 0 ? 0 : (-tokens / rate.perSecond) * 1000
    },
    refund(work) {
      tokens = Math.min(rate.burst, tokens + work)
    },
    get idle() {
      refill()
      return tokens >= rate.burst
    },
  }
}

/** What the server does with one request of a peer. */
export type BudgetVerdict =
  | { readonly action: 'serve'; readonly waitMs: number }
  /** the node is saturated: refuse this request (E_RATE_LIMITED), the peer did nothing wrong */
  | { readonly action: 'busy' }
  /** the peer went past its budget for too long: hang up on it */
  | { readonly action: 'cut' }

/** What the server does with a new session of a peer. */
export type SessionVerdict = 'open' | 'refuse' | 'cut'

export interface SyncBudget {
  /** a peer opens a session: within its limits (then closeSession later), refused, or cut off */
  openSession(peer: string): SessionVerdict
  closeSession(peer: string): void
  /** before answering: pay the request's work */
  admit(peer: string, work: number): BudgetVerdict
  /** after answering: the bytes it took (paid by the next request) */
  charge(peer: string, work: number): void
}

interface PeerState {
  requests: WorkBucket
  work: WorkBucket
  sessions: WorkBucket
  open: number
  /** ms waited, and sessions refused, in the last minute (a sliding window, see inLastMinute) */
  waited: MinuteCount
  refusals: MinuteCount
}

/**
 * A count over the last 60 s, estimated from this calendar minute's count and the previous
 * one's share still inside the window (the sliding-window counter rate limiters use). A
 * calendar minute alone would forget everything at each boundary, so a peer could wait 29 s
 * either side of one and never be cut.
 */
interface MinuteCount {
  minute: number
  current: number
  previous: number
}

const newCount = (minute: number): MinuteCount => ({ minute, current: 0, previous: 0 })

function roll(c: MinuteCount, t: number): void {
  const minute = Math.floor(t / 60_000)
  if (minute === c.minute) return
  c.previous = minute === c.minute + 1 ? c.current : 0
  c.current = 0
  c.minute = minute
}

function inLastMinute(c: MinuteCount, t: number): number {
  roll(c, t)
  return c.current + c.previous * (1 - (t % 60_000) / 60_000)
}

/** Peers remembered at most; idle ones go first. */
const MAX_PEERS = 10_000

export function createSyncBudget(limits: SyncBudgetLimits, now: () => number = Date.now): SyncBudget {
  const total = createWorkBucket(limits.total, now)
  const peers = new Map<string, PeerState>()
  const idle = (p: PeerState): boolean => p.open === 0 && p.requests.idle && p.work.idle && p.sessions.idle

  const stateOf = (peer: string): PeerState => {
    let s = peers.get(peer)
    if (s === undefined) {
      const minute = Math.floor(now() / 60_000)
      if (peers.size >= MAX_PEERS) for (const [k, v] of peers) if (idle(v) || peers.size >= MAX_PEERS) peers.delete(k)
      s = {
        requests: createWorkBucket(limits.requests, now),
        work: createWorkBucket(limits.perPeer, now),
        sessions: createWorkBucket(limits.sessions, now),
        open: 0,
        waited: newCount(minute),
        refusals: newCount(minute),
      }
      peers.set(peer, s)
    }
    return s
  }

  return {
    openSession(peer) {
      const s = stateOf(peer)
      const t = now()
      if (inLastMinute(s.waited, t) > limits.maxPeerWaitPerMinuteMs) return 'cut'
      if (s.open >= limits.sessionsPerPeer || s.sessions.pay(1) > 0) {
        roll(s.refusals, t)
        s.refusals.current++
        return inLastMinute(s.refusals, t) > limits.maxRefusedPerMinute ? 'cut' : 'refuse'
      }
      s.open++
      return 'open'
    },
    closeSession(peer) {
      const s = peers.get(peer)
      if (s !== undefined) s.open = Math.max(0, s.open - 1)
    },
    admit(peer, work) {
      const s = stateOf(peer)
      const own = Math.max(s.requests.pay(1), s.work.pay(work))
      const t = now()
      roll(s.waited, t)
      s.waited.current += own
      if (inLastMinute(s.waited, t) > limits.maxPeerWaitPerMinuteMs) return { action: 'cut' }
      const shared = total.pay(work)
      if (shared > limits.maxTotalWaitMs) {
        // not served: nothing was spent, and the peer is not to blame for the others
        total.refund(work)
        s.work.refund(work)
        s.requests.refund(1)
        s.waited.current -= own
        return { action: 'busy' }
      }
      return { action: 'serve', waitMs: Math.max(own, shared) }
    },
    charge(peer, work) {
      stateOf(peer).work.pay(work)
      total.pay(work)
    },
  }
}
