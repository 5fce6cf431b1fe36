// The propagation benchmark's model and delay links (bench/lib/): the model's arithmetic on
// graphs small enough to work out by hand, its reproducibility, and a link's delay.
import { connect, createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { addLink, propagate, randomRegular, seededRandom } from '../../../bench/lib/propagation-model.ts'
import type { Graph } from '../../../bench/lib/propagation-model.ts'
import { openDelayLink } from '../../../bench/lib/delay-links.ts'

const empty = (n: number, processMs: number): Graph => ({
  adj: Array.from({ length: n }, () => []),
  processMs: new Array<number>(n).fill(processMs),
  forwards: new Array<boolean>(n).fill(true),
})

describe('propagation model', () => {
  it('adds latency, processing and transmission along the shortest path', () => {
    // 0 — 1 — 2 and a slow direct link 0 — 2
    const g = empty(3, 2)
    addLink(g, 0, 1, 100)
    addLink(g, 1, 2, 50)
    addLink(g, 0, 2, 400)
    const at = propagate(g, 0, 1, seededRandom(1))
    expect(at[1]).toBeGreaterThanOrEqual(100 + 2 + 1)
    expect(at[1]).toBeLessThanOrEqual(100 + 2 + 2) // second in 0's send order at worst
    // through 1: 1 holds it at at[1], sends to 2 first (its only peer but the sender)
    expect(at[2]).toBeCloseTo(at[1]! + 1 + 50 + 2)
  })

  it('lets a node that does not forward receive, and nothing more', () => {
    const g = empty(3, 0)
    addLink(g, 0, 1, 10)
    addLink(g, 1, 2, 10)
    g.forwards[1] = false
    const at = propagate(g, 0, 0, seededRandom(1))
    expect(at[1]).toBe(10)
    expect(at[2]).toBe(Infinity)
  })

  it('draws the same regular graph and times from the same seed', () => {
    const run = (): number[] => {
      const random = seededRandom(7)
      const g = randomRegular(200, 6, random, () => 100, 1)
      return [...propagate(g, 0, 0.2, random)]
    }
    expect(run()).toEqual(run())
    const g = randomRegular(200, 6, seededRandom(7), () => 100, 1)
    const degrees = g.adj.map((a) => a.length)
    expect(Math.max(...degrees)).toBe(6)
    expect(degrees.filter((d) => d === 6).length).toBeGreaterThanOrEqual(196)
  })
})

describe('delay link', () => {
  it('delays each direction by its latency', async () => {
    const echo = createServer((s) => s.pipe(s))
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
    const port = (echo.address() as { port: number }).port
    const link = await openDelayLink(port, 60)
    const socket = connect(link.port, '127.0.0.1')
    await new Promise<void>((r) => socket.once('connect', r))
    const t0 = performance.now()
    const back = new Promise<void>((r) => socket.once('data', () => r()))
    socket.write('ping')
    await back
    const rtt = performance.now() - t0
    expect(rtt).toBeGreaterThanOrEqual(119)
    expect(rtt).toBeLessThan(1000)
    socket.destroy()
    await link.close()
    await new Promise<void>((r) => echo.close(() => r()))
  })
})
