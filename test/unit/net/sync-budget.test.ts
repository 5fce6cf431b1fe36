// Sync budgets (src/net/sync/budget.ts, protocol/sync.md §Server budgets) on a fake clock, and
// the server's pipelining rule over in-memory streams.
import { streamPair } from '@libp2p/utils'
import { describe, expect, it } from 'vitest'
import { encodeDidKey, generateSecretKey, getPublicKey } from '../../../src/core/index.ts'
import { createSyncBudget, createWorkBucket, requestWork, RELAY_SYNC_BUDGET, WORK_UNITS } from '../../../src/net/sync/budget.ts'
import { frameStream } from '../../../src/net/sync/framed-stream.ts'
import { MAX_PIPELINED_REQUESTS } from '../../../src/net/sync/limits.ts'
import { serveSyncStream } from '../../../src/net/sync/server.ts'
import { createMemoryStore } from '../../support/net-memory-store.ts'

function clock() {
  let t = 1_000_000
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms
    },
  }
}

describe('work buckets', () => {
  it('pay from the burst, then say how long to wait; debt is bounded by one burst', () => {
    const c = clock()
    const b = createWorkBucket({ perSecond: 10, burst: 20 }, c.now)
    expect(b.pay(20)).toBe(0)
    expect(b.pay(5)).toBe(500)
    c.advance(500)
    expect(b.pay(0)).toBe(0)
    expect(b.pay(1_000)).toBe(2_000) // not 100 s: at most burst / rate
    b.refund(1_000)
    expect(b.idle).toBe(true)
  })
})

describe('sync budget', () => {
  const fresh = () => encodeDidKey(getPublicKey(generateSecretKey()))

  it('prices requests by what they ask for', () => {
    expect(requestWork({ t: 'get-heads', authors: [fresh(), fresh()] })).toBe(WORK_UNITS.request + 2 * WORK_UNITS.perAuthor)
    expect(requestWork({ t: 'get-events', ids: ['ab'.repeat(32) as never] })).toBe(WORK_UNITS.request + WORK_UNITS.perId)
    expect(requestWork({ t: 'get-heads', authors: Array.from({ length: 256 }, fresh) })).toBeGreaterThan(
      10 * requestWork({ t: 'get-changes', author: fresh(), since: [] }),
    )
  })

  it('serves a burst, then slows a peer to its rate, then cuts it off after 30 s of waiting in a minute', () => {
    const c = clock()
    // a clock at the start of a minute: waits are counted per minute
    c.advance(60_000 - (c.now() % 60_000))
    const budget = createSyncBudget(RELAY_SYNC_BUDGET, c.now)
    const cheap = requestWork({ t: 'get-changes', author: fresh(), since: [] })
    const waits: number[] = []
    for (let i = 0; i < RELAY_SYNC_BUDGET.requests.burst; i++) {
      const v = budget.admit('mallory', cheap)
      expect(v.action).toBe('serve')
      waits.push(v.action === 'serve' ? v.waitMs : -1)
    }
    expect(waits.every((w) => w === 0)).toBe(true)
    // past the burst: one request per 50 ms (20/s), each waits its turn
    const v = budget.admit('mallory', cheap)
    expect(v).toEqual({ action: 'serve', waitMs: 50 })
    // the server waits before it answers, and reads the peer's next request after that: a
    // peer asking without pause is served at its rate for 30 s, then cut off
    const start = c.now()
    c.advance(50)
    let served = 0
    let verdict = budget.admit('mallory', cheap)
    while (verdict.action === 'serve') {
      served++
      c.advance(verdict.waitMs)
      verdict = budget.admit('mallory', cheap)
    }
    expect(verdict.action).toBe('cut')
    expect(served).toBeGreaterThan(500)
    expect(c.now() - start).toBeLessThanOrEqual(60_000)
    // someone else is not affected
    expect(budget.admit('alice', cheap)).toEqual({ action: 'serve', waitMs: 0 })
    // coming back does not refill the cut peer's budget
    expect(budget.openSession('mallory')).toBe('cut')
  })

  it('counts waiting over the last minute, not the calendar minute: a boundary does not forgive it', () => {
    const c = clock()
    // 40 s into a minute: a calendar count would forget the first 20 s of waiting at the boundary
    c.advance(60_000 - (c.now() % 60_000) + 40_000)
    const budget = createSyncBudget({ ...RELAY_SYNC_BUDGET, requests: { perSecond: 20, burst: 1 } }, c.now)
    const cheap = requestWork({ t: 'get-changes', author: fresh(), since: [] })
    const start = c.now()
    let verdict = budget.admit('mallory', cheap)
    while (verdict.action === 'serve') {
      c.advance(verdict.waitMs)
      verdict = budget.admit('mallory', cheap)
    }
    expect(verdict.action).toBe('cut')
    // the window estimate (this minute + the previous one's remaining share) passes 30 s after
    // ~35 s of waiting; a calendar minute would have taken 50 s
    expect(c.now() - start).toBeLessThan(40_000)
  })

  it('refuses sessions past the per-peer limits and cuts off a peer that keeps opening them', () => {
    const c = clock()
    const budget = createSyncBudget(RELAY_SYNC_BUDGET, c.now)
    expect(budget.openSession('p')).toBe('open')
    expect(budget.openSession('p')).toBe('open')
    const verdicts = Array.from({ length: RELAY_SYNC_BUDGET.maxRefusedPerMinute + 1 }, () => budget.openSession('p'))
    expect(verdicts.slice(0, -1).every((v) => v === 'refuse')).toBe(true)
    expect(verdicts.at(-1)).toBe('cut')
    // an honest client: one session at a time, one every 30 s, for hours
    for (let i = 0; i < 500; i++) {
      expect(budget.openSession('honest')).toBe('open')
      budget.closeSession('honest')
      c.advance(30_000)
    }
  })

  it('when all peers together spent the node budget, a request is refused as busy and its peer keeps its budget', () => {
    const c = clock()
    const budget = createSyncBudget({ ...RELAY_SYNC_BUDGET, total: { perSecond: 100, burst: 1_000 } }, c.now)
    const heavy = WORK_UNITS.documentRead
    const verdicts = Array.from({ length: 20 }, (_, i) => budget.admit(`peer-${i}`, heavy).action)
    expect(verdicts.slice(0, 10).every((v) => v === 'serve')).toBe(true)
    expect(verdicts.at(-1)).toBe('busy')
    c.advance(10_000)
    expect(budget.admit('peer-19', heavy)).toEqual({ action: 'serve', waitMs: 0 })
  })
})

describe('the server and pipelining', () => {
  it('a client with more requests ahead of the answers than allowed, while it is being slowed, is cut off', async () => {
    const [client, server] = await streamPair()
    const budget = createSyncBudget({ ...RELAY_SYNC_BUDGET, requests: { perSecond: 20, burst: 1 } })
    const counters = { served: 0, active: 0, refused: 0, throttled: 0, busy: 0, cut: 0 }
    let cut = 0
    const served = serveSyncStream(server, createMemoryStore(), { budget: { peer: 'p', budget, counters, cut: () => cut++ } })
    const framed = frameStream(client)
    const answers: string[] = []
    const reading = (async () => {
      for (;;) answers.push((await framed.readResponse()).t)
    })().catch(() => undefined)
    for (let i = 0; i < MAX_PIPELINED_REQUESTS + 3; i++) await framed.write({ t: 'get-changes', author: fresh(), since: [] }).catch(() => undefined)
    await served
    await reading
    expect(cut).toBe(1)
    expect(counters.throttled).toBeGreaterThan(0)
    expect(answers.length).toBeLessThan(MAX_PIPELINED_REQUESTS + 3)
  })

  it('a client within the rule is answered in order', async () => {
    const [client, server] = await streamPair()
    const served = serveSyncStream(server, createMemoryStore())
    const framed = frameStream(client)
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < MAX_PIPELINED_REQUESTS; i++) await framed.write({ t: 'get-heads', authors: [fresh()] })
      for (let i = 0; i < MAX_PIPELINED_REQUESTS; i++) expect((await framed.readResponse()).t).toBe('heads')
    }
    await framed.close()
    await served
  })
})

const fresh = () => encodeDidKey(getPublicKey(generateSecretKey()))
