// Repair syncs coalesced and bounded (src/net/sync/repairs.ts) on vitest's fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import type { AuthorId } from '../../../src/core/index.ts'
import { createRepairs, REPAIR_LIMITS } from '../../../src/net/sync/repairs.ts'

const relay = peerIdFromString('12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo')
const other = peerIdFromString('12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq')
const author = (i: number) => `did:key:z6Mk${String(i).padStart(4, '0')}` as AuthorId

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('repairs', () => {
  it('coalesces the authors of a moment into one session per peer', () => {
    const runs: Array<[string, AuthorId[]]> = []
    const repairs = createRepairs(async (peer, authors) => runs.push([peer.toString(), authors]), REPAIR_LIMITS, Date.now)
    for (let i = 0; i < 20; i++) repairs.request(author(i), relay)
    repairs.request(author(99), other)
    vi.advanceTimersByTime(REPAIR_LIMITS.windowMs)
    expect(runs).toEqual([
      [relay.toString(), Array.from({ length: 20 }, (_, i) => author(i))],
      [other.toString(), [author(99)]],
    ])
  })

  it('repairs an author once per cooldown, whatever arrives meanwhile', () => {
    const runs: AuthorId[][] = []
    const repairs = createRepairs(async (_, authors) => runs.push(authors), REPAIR_LIMITS, Date.now)
    for (let i = 0; i < 20; i++) {
      repairs.request(author(1), relay)
      vi.advanceTimersByTime(1_000)
    }
    expect(runs).toEqual([[author(1)]])
    expect(repairs.counters.skipped).toBe(19)
    vi.advanceTimersByTime(REPAIR_LIMITS.authorCooldownMs)
    repairs.request(author(1), relay)
    vi.advanceTimersByTime(REPAIR_LIMITS.windowMs)
    expect(runs).toHaveLength(2)
  })

  it('opens at most a few sessions a minute; the rest waits, bounded', () => {
    const runs: AuthorId[][] = []
    const repairs = createRepairs(async (_, authors) => runs.push(authors), REPAIR_LIMITS, Date.now)
    for (let i = 0; i < 1_000; i++) {
      repairs.request(author(i), relay)
      vi.advanceTimersByTime(REPAIR_LIMITS.windowMs + 1)
    }
    // 1,000 authors over ~8 minutes: 4 sessions a minute, each with what waited
    expect(runs.length).toBeLessThanOrEqual(4 * 9)
    expect(runs.every((a) => a.length <= REPAIR_LIMITS.authorsPerSession)).toBe(true)
    repairs.stop()
  })
})
