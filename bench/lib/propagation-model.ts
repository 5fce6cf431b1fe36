// The propagation model of bench/propagation.long.bench.ts: eager push along a gossip mesh.
// A node that holds a message (received and processed) sends it to each of its mesh peers but
// the one it came from, one after another on its uplink (the k-th gets it after k transmission
// times), in random order; a link adds its one-way latency; the receiver adds its processing
// (verify + store at a relay) before it holds the message and forwards it. First arrival wins
// (gossipsub drops repeats by message id), so a receiver's time is a shortest path: Dijkstra,
// with the send order drawn per node and message. Lazy gossip (IHAVE/IWANT) is left out: on a
// connected mesh eager push arrives first. Every draw from a seeded PRNG: reproducible.

import { createRandom as seededRandom } from '../../test/fuzz/fuzz-engine.ts'

/** the fuzzers' seeded PRNG (mulberry32): the same seed gives the same draws */
export { seededRandom }

export interface Graph {
  /** neighbours of each node, with the link's one-way latency in ms */
  adj: Array<Array<{ to: number; ms: number }>>
  /** ms a node spends on a message before it holds it (and may forward it) */
  processMs: number[]
  /** false: receives, never forwards (a phone) */
  forwards: boolean[]
}

export function addLink(g: Graph, a: number, b: number, ms: number): void {
  g.adj[a]!.push({ to: b, ms })
  g.adj[b]!.push({ to: a, ms })
}

/**
 * A random d-regular graph on n nodes (configuration model: stubs paired at random; a pair that
 * would be a self-loop or a repeated link goes back and is paired again, up to 20 rounds, so
 * only a handful of nodes end with degree d − 1), latencies from `latency`.
 */
export function randomRegular(n: number, d: number, random: () => number, latency: () => number, processMs: number): Graph {
  const g: Graph = { adj: Array.from({ length: n }, () => []), processMs: new Array<number>(n).fill(processMs), forwards: new Array<boolean>(n).fill(true) }
  let stubs = Array.from({ length: n * d }, (_, i) => Math.floor(i / d))
  const seen = new Set<number>()
  for (let round = 0; round < 20 && stubs.length > 1; round++) {
    for (let i = stubs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[stubs[i], stubs[j]] = [stubs[j]!, stubs[i]!]
    }
    const left: number[] = []
    for (let i = 0; i + 1 < stubs.length; i += 2) {
      const a = Math.min(stubs[i]!, stubs[i + 1]!)
      const b = Math.max(stubs[i]!, stubs[i + 1]!)
      if (a === b || seen.has(a * n + b)) {
        left.push(a, b)
        continue
      }
      seen.add(a * n + b)
      addLink(g, a, b, latency())
    }
    stubs = left
  }
  return g
}

/** Arrival time (ms after publish) at every node of a message published by `source`. */
export function propagate(g: Graph, source: number, txMs: number, random: () => number): Float64Array {
  const n = g.adj.length
  const at = new Float64Array(n).fill(Infinity)
  const done = new Uint8Array(n)
  const from = new Int32Array(n).fill(-1)
  at[source] = 0 // the publisher holds its own message at once
  const heap = new MinHeap()
  heap.push(0, source)
  while (heap.size > 0) {
    const [t, u] = heap.pop()
    if (done[u] === 1 || t > at[u]!) continue
    done[u] = 1
    if (u !== source && !g.forwards[u]) continue
    const out = g.adj[u]!.filter((e) => e.to !== from[u])
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    out.forEach((e, k) => {
      const arrive = t + (k + 1) * txMs + e.ms + g.processMs[e.to]!
      if (done[e.to] === 0 && arrive < at[e.to]!) {
        at[e.to] = arrive
        from[e.to] = u
        heap.push(arrive, e.to)
      }
    })
  }
  return at
}

class MinHeap {
  private keys: number[] = []
  private vals: number[] = []
  get size(): number {
    return this.keys.length
  }
  push(key: number, val: number): void {
    const k = this.keys
    const v = this.vals
    let i = k.length
    k.push(key)
    v.push(val)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (k[p]! <= key) break
      k[i] = k[p]!
      v[i] = v[p]!
      i = p
    }
    k[i] = key
    v[i] = val
  }
  pop(): [number, number] {
    const k = this.keys
    const v = this.vals
    const top: [number, number] = [k[0]!, v[0]!]
    const lastK = k.pop()!
    const lastV = v.pop()!
    if (k.length > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= k.length) break
        const c = l + 1 < k.length && k[l + 1]! < k[l]! ? l + 1 : l
        if (k[c]! >= lastK) break
        k[i] = k[c]!
        v[i] = v[c]!
        i = c
      }
      k[i] = lastK
      v[i] = lastV
    }
    return top
  }
}
