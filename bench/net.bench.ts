// Network benchmark. Figures only; nothing asserted.
//
// Propagation, topology as in production minus WebRTC: 2 relays peered as the backbone, N Node
// peers each connected to both relays over WebSockets on loopback (privacy relay-only, so the
// 2-core machine is not spent on N×WebRTC). The relays run on the main thread, the peers on
// WG_NET_WORKERS (4) worker threads, so a peer's signature check does not queue behind every
// other peer's on one event loop (on real devices each peer verifies on its own CPU; here all
// threads still share 2 cores). Random peers publish signed posts; latency = receipt at each
// other peer (after validation and storing) − publish, absolute clock across threads.
// "bare": the same nodes and connections, raw random bytes of the same size on an unvalidated
// topic, received straight from gossipsub, interleaved with ours. gossipsub dispatches a message
// before it forwards it; ours is delivered after the forward (a microtask later, so forwarding
// never waits for the store), so bare is timed the same way — in a microtask after its dispatch —
// for ratio_p50 = ours / bare. bare_dispatch_p50_ms (and ratio_p50_vs_dispatch) time bare at
// the dispatch itself, before its forward: the stricter comparison, reported alongside.
// Each size runs WG_NET_ROUNDS (3) independent rounds of WG_NET_MESSAGES (300) posts and as many
// bare messages; the figures pool all rounds, and ratio_p50_round_min/max show the spread.
// Relays and peers check signatures with createNodeVerifier() (src/net/verify-node.ts), as Node
// relays should; WG_NET_VERIFY=core uses core's WebCrypto path instead (what browsers run).
// Where ours' excess goes (measured 2026-11-25 with 300 messages per size, quiet machine):
// with the events validator replaced by a synchronous Accept (no decode, no verify) ours/bare
// was 1.11-1.16; without verification (decode only) 1.3-1.5; with everything 1.55-1.7. One
// OpenSSL Ed25519 verification is 64 us (measured, hot); in place, with 5 threads on 2 cores and
// cold caches, a receiver's decode + verify took 100-200 us at p50, and every message is checked
// by 2 relays and N peers sharing the 2 cores, so on this machine the excess is bounded below by
// signature checks that protocol v1 requires of every hop (protocol/gossip.md).
//
// Catch-up: a relay archive holds 10,000 posts of 10 authors (10 index changes each); a fresh
// peer syncs them over one WebSocket connection (heads, changes, 10k events verified in
// batches and stored). raw = the same event bytes streamed over the same kind of connection,
// one length-prefixed message per event: no protocol, no verification, no storing.
// raw_bulk = the same, packed into ~1 MiB writes (the floor: pure transfer). Catch-up is bound
// by signature verification (core openEvents, ~10k/s here), which neither raw figure does.
import { createEvent, generateSecretKey } from '../src/core/index.ts'
import { Worker } from 'node:worker_threads'
import { lpStream } from '@libp2p/utils'
import { percentile, printTable, recordResults } from './lib/results.ts'
import { createTestAuthor } from '../test/support/net-memory-store.ts'
import { startTestPeer, startTestRelay, waitFor } from '../test/support/net-harness.ts'
import { createNodeVerifier } from '../src/net/verify-node.ts'
import type { TestRelay } from '../test/support/net-harness.ts'
import type { AuthorId } from '../src/core/index.ts'
import { createNetwork } from '../src/net/network.ts'
import { createNode } from '../src/net/node.ts'
import { generatePeerKey } from '../src/net/peer-key.ts'
import { createRelayNode } from '../src/relay/relay-node.ts'
import { createStore } from '../src/store/create-store.ts'
import { createMemoryStorage } from '../src/store/memory-storage.ts'

const RAW_TOPIC = 'bench/raw'
const MESSAGES = Number(process.env.WG_NET_MESSAGES ?? 300)
/** independent rounds per size (WG_NET_ROUNDS): one round's ratio varies by ±0.1 on this machine */
const ROUNDS = Number(process.env.WG_NET_ROUNDS ?? 3)
const WARMUP = 20
/** threads hosting the peers (the relays run on the main thread) */
const WORKERS = Number(process.env.WG_NET_WORKERS ?? 4)
/** signature backend of relays and peers: 'node' (verify-node.ts, what Node relays run) or 'core' (WebCrypto) */
const VERIFY = process.env.WG_NET_VERIFY === 'core' ? 'core' : 'node'
const figures: Record<string, number> = {}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

type Latencies = [ours: number[], bare: number[], bareDispatch: number[]]

/** ROUNDS independent rounds (fresh relays, peers and meshes); figures from all of them pooled. */
async function propagation(n: number): Promise<void> {
  const rounds: Latencies[] = []
  for (let r = 0; r < ROUNDS; r++) rounds.push(await propagationRound(n))
  const [ours, bare, bareDispatch] = [0, 1, 2].map((k) => rounds.flatMap((l) => l[k]!))
  const key = `net.propagation.n${n}`
  figures[`${key}.p50_ms`] = percentile(ours!, 50)
  figures[`${key}.p95_ms`] = percentile(ours!, 95)
  figures[`${key}.p99_ms`] = percentile(ours!, 99)
  figures[`${key}.delivery`] = ours!.length / (ROUNDS * MESSAGES * (n - 1))
  figures[`${key}.bare_p50_ms`] = percentile(bare!, 50)
  figures[`${key}.bare_p99_ms`] = percentile(bare!, 99)
  figures[`${key}.bare_delivery`] = bare!.length / (ROUNDS * MESSAGES * (n - 1))
  figures[`${key}.ratio_p50`] = percentile(ours!, 50) / percentile(bare!, 50)
  figures[`${key}.bare_dispatch_p50_ms`] = percentile(bareDispatch!, 50)
  figures[`${key}.ratio_p50_vs_dispatch`] = percentile(ours!, 50) / percentile(bareDispatch!, 50)
  // how much one round's ratio varies: the spread a single run would have shown
  const perRound = rounds.map(([o, b]) => percentile(o, 50) / percentile(b, 50))
  figures[`${key}.ratio_p50_round_min`] = Math.min(...perRound)
  figures[`${key}.ratio_p50_round_max`] = Math.max(...perRound)
  console.log(
    `n=${n}: ours p50 ${percentile(ours!, 50).toFixed(2)} ms, bare p50 ${percentile(bare!, 50).toFixed(2)} ms; ratio per round ${perRound.map((x) => x.toFixed(2)).join(', ')}`,
  )
}

async function propagationRound(n: number): Promise<Latencies> {
  const net = VERIFY === 'node' ? { net: { verifier: createNodeVerifier() } } : {}
  const r1 = await startTestRelay(net)
  const r2 = await startTestRelay({ peers: [r1.addr], ...net })
  const relays: TestRelay[] = [r1, r2]
  for (const r of relays) r.node.services.pubsub.subscribe(RAW_TOPIC)
  const workerCount = Math.min(WORKERS, n)
  const perWorker = Array.from({ length: workerCount }, (_, w) => Math.floor(n / workerCount) + (w < n % workerCount ? 1 : 0))
  // who publishes what, drawn up front, so each worker signs its posts before the clock runs:
  // signing (noble, ~0.4 ms and much garbage) must not land between publish and receipt
  const total = WARMUP + MESSAGES
  const schedule = Array.from({ length: total }, () =>
    (['event', 'raw'] as const).map(() => {
      const worker = Math.floor(Math.random() * workerCount)
      return { worker, peer: Math.floor(Math.random() * perWorker[worker]!) }
    }),
  )
  const workers = perWorker.map(
    (count, w) =>
      new Worker(new URL('./lib/net-peer-worker.ts', import.meta.url), {
        workerData: {
          relays: [r1.addr, r2.addr],
          count,
          rawTopic: RAW_TOPIC,
          verify: VERIFY,
          posts: schedule.flatMap(([event], seq) => (event!.worker === w ? [{ seq, peer: event!.peer }] : [])),
        },
      }),
  )
  const sent: Array<Map<number, number>> = [new Map(), new Map()]
  const next = (w: Worker, type: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>): void => {
        if (m.type !== type) return
        w.off('message', onMessage)
        resolve(m)
      }
      w.on('message', onMessage)
      w.once('error', reject)
    })
  for (const w of workers)
    w.on('message', (m: { type: string; kind: 0 | 1; seq: number; at: number }) => {
      if (m.type === 'sent') sent[m.kind]!.set(m.seq, m.at)
    })
  try {
    await Promise.all(workers.map((w) => next(w, 'ready')))
    await sleep(2500) // a couple of heartbeats: meshes formed
    const size = createEvent(createTestAuthor().secret, { kind: 'post', body: { text: `propagation 100 ${'x'.repeat(200)}` } }).bytes.length
    // ours (signed events through validation into each peer's store) and bare (raw bytes of the
    // same size on an unvalidated topic, same nodes and connections) interleaved, one of each
    // per 40 ms, so both see the same machine load
    for (let seq = 0; seq < total; seq++) {
      for (const [i, kind] of (['event', 'raw'] as const).entries()) {
        const { worker, peer } = schedule[seq]![i]!
        workers[worker]!.postMessage({ type: 'publish', kind, seq, peer, size })
        await sleep(20)
      }
    }
    await sleep(3000)
    const reports = await Promise.all(
      workers.map(async (w) => {
        const done = next(w, 'report')
        w.postMessage({ type: 'report' })
        return (await done).received as Array<[0 | 1 | 2, number, number]>
      }),
    )
    const latencies: [number[], number[], number[]] = [[], [], []]
    for (const [kind, seq, at] of reports.flat()) {
      const t = sent[kind === 2 ? 1 : kind]!.get(seq)
      if (seq >= WARMUP && t !== undefined) latencies[kind].push(at - t)
    }
    return latencies
  } finally {
    await Promise.all(
      workers.map(async (w) => {
        const done = next(w, 'stopped')
        w.postMessage({ type: 'stop' })
        await Promise.race([done, sleep(10_000)])
        await w.terminate()
      }),
    )
    for (const r of relays) await r.stop()
  }
}

async function catchup(): Promise<void> {
  const relay = await startTestRelay()
  const authors = Array.from({ length: 10 }, () => createTestAuthor())
  for (const a of authors) {
    for (let c = 0; c < 10; c++)
      await a.post(
        relay.store,
        Array.from({ length: 100 }, (_, i) => `catch-up ${c}-${i} ${'y'.repeat(150)}`),
      )
  }
  const allEvents = [...relay.store.events.values()]
  const RAW = '/wildgrass-bench/raw/1.0.0'
  const RAW_BULK = '/wildgrass-bench/raw-bulk/1.0.0'
  // raw: the same event bytes, length-prefixed, packed into ~1 MiB writes (as sync's frames are)
  const chunks: Uint8Array[] = []
  for (let i = 0; i < allEvents.length;) {
    const parts: Uint8Array[] = []
    let size = 0
    while (i < allEvents.length && size < 960 * 1024) {
      const e = allEvents[i++]!
      parts.push(new Uint8Array([e.length >> 8, e.length & 0xff]), e)
      size += e.length + 2
    }
    chunks.push(concat(parts))
  }
  const rawBytes = chunks.reduce((n, c) => n + c.length, 0)
  await relay.node.handle(RAW_BULK, async (stream) => {
    const lp = lpStream(stream, { maxDataLength: 2 ** 20 })
    for (const c of chunks) await lp.write(c)
    await stream.close()
  })
  // raw per event: the same bytes, one length-prefixed message each
  await relay.node.handle(RAW, async (stream) => {
    const lp = lpStream(stream, { maxDataLength: 2 ** 20 })
    for (const e of allEvents) await lp.write(e)
    await stream.close()
  })
  try {
    const runs: number[] = []
    const raws: number[] = []
    const bulks: number[] = []
    for (let run = 0; run < 3; run++) {
      // no authors of its own: the connect-time sync transfers nothing; we measure syncWith
      const measured = await startTestPeer([relay.addr], { privacy: 'relay-only', authors: [], net: { recentPages: 0 } })
      await waitFor(() => measured.net.status.get().relays.length === 1, 10_000, 'relay')
      await sleep(200)
      const relayPeer = relay.node.peerId
      const t0 = performance.now()
      const report = await measured.net.syncWith(relayPeer, { authors: authors.map((a) => a.id), recent: false })
      runs.push(performance.now() - t0)
      if (report.events !== allEvents.length) throw new Error(`synced ${report.events} events`)
      const t1 = performance.now()
      const stream = await measured.node.dialProtocol(relayPeer, RAW)
      const lp = lpStream(stream, { maxDataLength: 2 ** 20 })
      for (let got = 0; got < allEvents.length; got++) await lp.read()
      raws.push(performance.now() - t1)
      await stream.close()
      const t2 = performance.now()
      const bulk = await measured.node.dialProtocol(relayPeer, RAW_BULK)
      const lpBulk = lpStream(bulk, { maxDataLength: 2 ** 20 })
      let got = 0
      while (got < rawBytes) got += (await lpBulk.read()).byteLength
      bulks.push(performance.now() - t2)
      await bulk.close()
      await measured.stop()
    }
    figures['net.catchup_10k.ms'] = percentile(runs, 50)
    figures['net.catchup_10k.raw_ms'] = percentile(raws, 50)
    figures['net.catchup_10k.ratio'] = percentile(runs, 50) / percentile(raws, 50)
    figures['net.catchup_10k.raw_bulk_ms'] = percentile(bulks, 50)
    figures['net.catchup_10k.ratio_bulk'] = percentile(runs, 50) / percentile(bulks, 50)
  } finally {
    await relay.stop()
  }
}

// Catch-up into the real store: the same 10,000 posts of 10 authors, but as the app makes them
// (one signed Automerge change per post), held by a relay whose source is the real store, and
// synced by a fresh peer whose sink is the real store over memory storage (verification,
// Automerge, every index). The memory sink above only keeps bytes; this is what a device pays.
async function catchupStore(): Promise<void> {
  const AUTHORS = 10
  const POSTS = 1000
  const relayStore = createStore({ storage: createMemoryStorage() })
  const events: Uint8Array[] = []
  const changes: Uint8Array[] = []
  const authorIds: AuthorId[] = []
  for (let a = 0; a < AUTHORS; a++) {
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    authorIds.push(author.me!)
    for (let i = 0; i < POSTS; i++) {
      const published = await author.post({ text: `catch-up ${a}-${i} ${'y'.repeat(150)}` })
      events.push(published.event!.bytes)
      changes.push(...published.envelopes)
    }
    await author.close()
  }
  for (let i = 0; i < changes.length; i += 1000) await relayStore.ingestChanges(changes.slice(i, i + 1000))
  for (let i = 0; i < events.length; i += 1000) await relayStore.ingestEvents(events.slice(i, i + 1000))
  const node = await createRelayNode({
    peerKey: await generatePeerKey(),
    host: '127.0.0.1',
    port: 0,
    webrtcDirect: false,
    peers: [],
    testing: { allowLoopback: true },
  })
  const relayNet = createNetwork({ node, source: relayStore, sink: relayStore }, { role: 'relay' })
  await relayNet.start()
  const addr = node
    .getMultiaddrs()
    .map(String)
    .find((a) => a.includes('/ws/'))!
  try {
    const runs: number[] = []
    for (let run = 0; run < 3; run++) {
      const peerNode = await createNode({ peerKey: await generatePeerKey() }, { relays: [addr], privacy: 'relay-only', testing: { allowLoopback: true } })
      const store = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
      await store.start()
      const net = createNetwork(
        { node: peerNode, source: store, sink: store },
        { role: 'client', relays: [addr], privacy: 'relay-only', authors: () => [], syncIntervalMs: 0, recentPages: 0 },
      )
      await net.start()
      await waitFor(() => net.status.get().relays.length === 1, 10_000, 'relay')
      await sleep(200)
      const t0 = performance.now()
      const report = await net.syncWith(node.peerId, { authors: authorIds, recent: false })
      runs.push(performance.now() - t0)
      if (report.events !== events.length || report.changes !== changes.length) throw new Error(`synced ${report.events} events, ${report.changes} changes`)
      await net.stop()
      await peerNode.stop()
      await store.close()
    }
    figures['net.catchup_store_10k.ms'] = percentile(runs, 50)
    console.log(`catch-up into the store: ${runs.map((ms) => Math.round(ms)).join(', ')} ms`)
  } finally {
    await relayNet.stop()
    await node.stop()
    await relayStore.close()
  }
}

// WG_NET_SIZES=10,30 and WG_NET_PARTS=propagation|catchup|catchup-store narrow a run; WG_NET_DRY=1 only prints
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const sizes = (process.env.WG_NET_SIZES ?? '10,30,60').split(',').map(Number)
const parts = (process.env.WG_NET_PARTS ?? 'propagation,catchup,catchup-store').split(',')
if (parts.includes('propagation')) for (const n of sizes) await propagation(n)
if (parts.includes('catchup')) await catchup()
if (parts.includes('catchup-store')) await catchupStore()
if (process.env.WG_NET_DRY === '1') printTable(figures)
else recordResults(figures)
process.exit(0)
