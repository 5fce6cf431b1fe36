// Per-peer token buckets (protocol/gossip.md §Rate limits): a flooding peer's excess messages
// are ignored (not forwarded, not delivered) without slowing anyone else.
export interface RateLimiter {
  /** true when `key` may spend one token now */
  take(key: string): boolean
}

export interface RateLimit {
  perSecond: number
  burst: number
}

export function createRateLimiter(limit: RateLimit, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(key) {
      const t = now()
      const b = buckets.get(key) ?? { tokens: limit.burst, at: t }
      b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond)
      b.at = t
      const ok = b.tokens >= 1
      if (ok) b.tokens -= 1
      buckets.set(key, b)
      // bounded memory: forget full buckets (they equal a fresh one)
      if (buckets.size > 10_000) for (const [k, v] of buckets) if (v.tokens >= limit.burst - 1) buckets.delete(k)
      return ok
    },
  }
}
