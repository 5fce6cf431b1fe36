// Propagation benchmark: how long a post takes from its author's phone to every relay and every
// subscribed phone, on real nodes over links with a delay, against bare gossipsub on the same
// nodes and links, and a model calibrated on the run for 1,000 and 10,000 nodes. Figures only.
// Long (minutes): `npm run bench -- propagation` runs it; a plain `npm run bench` skips it.
//
// Real run. WG_PROP_RELAYS (10) relays, each the relay process's startRelay (SQLite archive,
// validation with node:crypto, filtered subscriptions, rate limits) on its own worker thread,
// peered as operators peer them: each lists WG_PROP_RELAY_PEERS (3) others with --peer, both
// ways (a ring plus random chords), and gossipsub keeps them as direct peers. WG_PROP_PHONES
// (500) phones: real libp2p client nodes running createNetwork with filtered delivery (what the
// app runs: the relay pushes them what their interest names over a subscription stream), in
// relay-only mode (no WebRTC), each connected to one relay, on WG_PROP_PHONE_WORKERS (4)
// threads. Every link — phone to relay, relay to relay — goes through a TCP proxy on loopback
// that delays each chunk by the link's one-way latency, drawn per link uniformly in
// [WG_PROP_LINK_MIN_MS, WG_PROP_LINK_MAX_MS] (50, 150) from a seeded PRNG (bench/lib/delay-links.ts).
// WG_PROP_PUBLISHERS (20) of the phones post; every phone's interest names those 20 authors.
// WG_PROP_MESSAGES (120) signed posts (after 10 not counted), one every 1 / WG_PROP_RATE s (1),
// each by a publisher drawn at random (who also sends that number's bare message); latency =
// (relay: validated, before its forward; phone: verified and stored by its network layer) − publish, absolute clock across threads; the
// publisher's own copy is not counted. p50/p95 over all (message, receiver) pairs.
// Bare: on the same nodes and the same connections, an unvalidated topic that every relay and
// phone subscribes to in gossipsub (same mesh parameters, src/net/gossip-config.ts; no
// Wildgrass verification, store or subscription), raw bytes of the same size, interleaved
// with ours so both see the same load; a phone receives bare by gossipsub push from its relay.
// Timed at gossipsub's 'message' dispatch. ratio_p50_vs_bare = ours / bare, to the phones.
//
// Model (bench/lib/propagation-model.ts): eager push along the mesh, shortest paths, send
// order drawn at random, transmission (message + 60 bytes of framing) at WG_PROP_MODEL_MBIT (20)
// Mbit/s uplink, per-hop processing measured in the run: at a relay, its events validator's
// p50 plus the archive's write time per event (the relay stores after it forwarded, so this
// overstates a hop: the model errs slow); at a phone, core's verification of one event. The
// run's links have no bandwidth limit; the model's 20 Mbit/s stands for what loopback costs in CPU.
// n1000/n10k: a random D-regular mesh of N relays, D = 12 (the relays' gossipsub D), 100 ms
// links; d6: gossipsub's default D = 6, which phones keep. model_at_real: the same model on the
// run's own graph (its relays, peer links, phones, drawn latencies and publishers).
// Machine: 2 vCPUs; everything runs in one process, so the relays and phones of the run compete
// for 2 cores that real devices would not share: 125 phones share a thread and verify one after
// another what real phones verify at once. Measured 2026-12-07 on the quiet machine (nothing else
// running), 1 post a second: 500 phones all live to the end, every post delivered to every phone
// and relay, ratio to bare gossipsub 1.054 at the phones and 1.008 at the relays (p50 400 vs
// 380 ms; p95 573 vs 528), 3.8 GB resident, 1.3 cores busy; 300 phones: 1.024 and 1.003. The
// same run with other sessions' work beside it (load average 8-19, this run getting 0.6-0.8 of
// a core, 2026-12-06) starved: 300 phones came up but lost their relay connections and did not
// get their subscriptions back (46-100% delivered), and 200 phones gave a ratio of 1.131 —
// what the phones' threads could not keep up with, not what the network does.
// link_ms is the mean of the drawn latencies.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createEvent, decodeEvent, encodeDidKey, generateSecretKey, getPublicKey, verifyEvents } from '../src/core/index.ts'
import type { SecretKey } from '../src/core/index.ts'
import { loadOrCreateRelayKeys } from '../src/relay/relay-keys.ts'
import { percentile, printTable, recordResults } from './lib/results.ts'
import { openDelayLink } from './lib/delay-links.ts'
import type { DelayLink } from './lib/delay-links.ts'
import { addLink, propagate, randomRegular, seededRandom } from './lib/propagation-model.ts'
import type { Graph } from './lib/propagation-model.ts'
import type { Arrival, Command, WorkerInit } from './lib/propagation-worker.ts'

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback)
const RELAYS = env('WG_PROP_RELAYS', 10)
const RELAY_PEERS = env('WG_PROP_RELAY_PEERS', 3)
const PHONES = env('WG_PROP_PHONES', 500)
const PHONE_WORKERS = env('WG_PROP_PHONE_WORKERS', 4)
const PUBLISHERS = env('WG_PROP_PUBLISHERS', 20)
const MESSAGES = env('WG_PROP_MESSAGES', 120)
const WARMUP = 10
const RATE = env('WG_PROP_RATE', 1)
const LINK_MIN = env('WG_PROP_LINK_MIN_MS', 50)
const LINK_MAX = env('WG_PROP_LINK_MAX_MS', 150)
const MODEL_MBIT = env('WG_PROP_MODEL_MBIT', 20)
const SEED = env('WG_PROP_SEED', 11)
/** the relays' gossipsub D (src/net/gossip-config.ts), and gossipsub's default that phones keep */
const RELAY_D = 12
const DEFAULT_D = 6
const RAW_TOPIC = 'bench/raw'
const random = seededRandom(SEED)
const linkMs = (): number => LINK_MIN + random() * (LINK_MAX - LINK_MIN)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const now = (): number => performance.timeOrigin + performance.now()
const figures: Record<string, number> = {}

/** undirected relay links: a ring, then random chords until every relay lists RELAY_PEERS others */
function relayGraph(): Array<[number, number, number]> {
  const edges = new Map<string, [number, number, number]>()
  const degree = new Array<number>(RELAYS).fill(0)
  const add = (a: number, b: number): void => {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`
    if (a === b || edges.has(key)) return
    edges.set(key, [a, b, linkMs()])
    degree[a]!++
    degree[b]!++
  }
  for (let i = 0; i < RELAYS && RELAYS > 1; i++) add(i, (i + 1) % RELAYS)
  for (let tries = 0; tries < 1000 && degree.some((d) => d < Math.min(RELAY_PEERS, RELAYS - 1)); tries++) {
    const a = degree.findIndex((d) => d < RELAY_PEERS)
    const b = Math.floor(random() * RELAYS)
    if (degree[b]! < RELAY_PEERS || tries > 500) add(a, b)
  }
  return [...edges.values()]
}

function reply<T>(w: Worker, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }): void => {
      if (m.type !== type) return
      w.off('message', onMessage)
      resolve(m as T)
    }
    w.on('message', onMessage)
    w.once('error', reject)
  })
}
const spawn = (init: WorkerInit): Worker => new Worker(new URL('./lib/propagation-worker.ts', import.meta.url), { workerData: init })

/** memory (all threads) and CPU (cores busy) sampled every second while `during` runs */
function sampler(): { stop(): { rssMaxMb: number; coresBusy: number } } {
  let rssMax = 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const timer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 1000)
  return {
    stop() {
      clearInterval(timer)
      const cpu = process.cpuUsage(cpu0)
      return { rssMaxMb: Math.max(rssMax, process.memoryUsage().rss) / 2 ** 20, coresBusy: (cpu.user + cpu.system) / 1000 / (performance.now() - t0) }
    },
  }
}

// ---- the real run ----
const dirs: string[] = []
const links: DelayLink[] = []
const relayInfo = await Promise.all(
  Array.from({ length: RELAYS }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-prop-'))
    dirs.push(dir)
    const keys = await loadOrCreateRelayKeys(dir)
    // its WebSocket port: known once it listens (a port chosen beforehand may be taken meanwhile)
    return { dir, id: peerIdFromPrivateKey(keys.peerKey).toString(), wsPort: undefined as number | undefined }
  }),
)
const relayEdges = relayGraph()
const relayPeers: string[][] = relayInfo.map(() => [])
for (const [a, b, ms] of relayEdges) {
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    const link = await openDelayLink(() => relayInfo[to]!.wsPort, ms)
    links.push(link)
    relayPeers[from]!.push(`/ip4/127.0.0.1/tcp/${link.port}/ws/p2p/${relayInfo[to]!.id}`)
  }
}
// phones: receiver numbers after the relays; phone p on relay p mod RELAYS
const phoneRelay = Array.from({ length: PHONES }, (_, p) => p % RELAYS)
const phoneLinkMs = phoneRelay.map(() => linkMs())
const phoneAddr: string[] = []
for (let p = 0; p < PHONES; p++) {
  const r = relayInfo[phoneRelay[p]!]!
  const link = await openDelayLink(() => r.wsPort, phoneLinkMs[p]!)
  links.push(link)
  phoneAddr.push(`/ip4/127.0.0.1/tcp/${link.port}/ws/p2p/${r.id}`)
}
const publisherPhones = Array.from({ length: PUBLISHERS }, (_, i) => Math.floor((i * PHONES) / PUBLISHERS))
const secrets = new Map<number, SecretKey>(publisherPhones.map((p) => [p, generateSecretKey()]))
const authors = [...secrets.values()].map((s) => encodeDidKey(getPublicKey(s)))
const total = WARMUP + MESSAGES
// one publisher per sequence number, for its post and its bare message: paired, the same paths
const schedule = Array.from({ length: total }, () => publisherPhones[Math.floor(random() * PUBLISHERS)]!)
const size = createEvent(generateSecretKey(), { kind: 'post', body: { text: `prop#${total}# ${'x'.repeat(200)}` } }).bytes.length

const setup = sampler()
const tSetup = performance.now()
const relayWorkers = relayInfo.map((r, i) => spawn({ role: 'relay', receiver: i, dataDir: r.dir, peers: relayPeers[i]!, rawTopic: RAW_TOPIC }))
await Promise.all(relayWorkers.map(async (w, i) => (relayInfo[i]!.wsPort = (await reply<{ wsPort: number }>(w, 'ready')).wsPort)))
const workerOf = (p: number): number => p % PHONE_WORKERS
const localIndex = (p: number): number => Math.floor(p / PHONE_WORKERS)
const phoneWorkers = Array.from({ length: PHONE_WORKERS }, (_, w) => {
  const mine = Array.from({ length: PHONES }, (_, p) => p).filter((p) => workerOf(p) === w)
  return spawn({
    role: 'phones',
    phones: mine.map((p) => ({ receiver: RELAYS + p, addr: phoneAddr[p]! })),
    authors,
    rawTopic: RAW_TOPIC,
    posts: schedule.flatMap((p, seq) => (workerOf(p) === w ? [{ seq, phone: localIndex(p), secret: secrets.get(p)! }] : [])),
  })
})
await Promise.all(phoneWorkers.map((w) => reply(w, 'ready')))
const setupMs = performance.now() - tSetup
const setupLoad = setup.stop()
console.log(`${RELAYS} relays, ${PHONES} phones up in ${(setupMs / 1000).toFixed(1)} s; rss ${setupLoad.rssMaxMb.toFixed(0)} MB`)
await sleep(3000) // a few heartbeats: meshes formed

const sent: Array<Map<number, { at: number; from: number }>> = [new Map(), new Map()]
for (const w of phoneWorkers)
  w.on('message', (m: { type: string; kind: 0 | 1; seq: number; at: number }) => {
    if (m.type === 'sent') sent[m.kind]!.get(m.seq)!.at = m.at
  })
const run = sampler()
for (const w of [...relayWorkers, ...phoneWorkers]) w.postMessage({ type: 'elu' } satisfies Command)
const mainElu = performance.eventLoopUtilization()
const t1 = now()
for (let seq = 0; seq < total; seq++) {
  for (const kind of [0, 1] as const) {
    const p = schedule[seq]!
    sent[kind]!.set(seq, { at: NaN, from: RELAYS + p })
    phoneWorkers[workerOf(p)]!.postMessage({ type: 'publish', kind, seq, phone: localIndex(p), size } satisfies Command)
    const due = t1 + ((2 * seq + kind + 1) * 1000) / (2 * RATE)
    await sleep(Math.max(0, due - now()))
  }
}
await sleep(5000)
const load = run.stop()
console.log(`main thread (delay links) busy ${(performance.eventLoopUtilization(mainElu).utilization * 100).toFixed(0)}%`)
type RelayReport = { elu: number; arrivals: Arrival[]; validateMs: number[]; storeMs: Array<[number, number]>; connections: string[]; peers: number }
type PhoneReport = { elu: number; arrivals: Arrival[]; live: number; connected: number; subscribed: number; errors: number }
const ask = <T>(w: Worker): Promise<T> => {
  const done = reply<T>(w, 'report')
  w.postMessage({ type: 'report' } satisfies Command)
  return done
}
const relayReports = await Promise.all(relayWorkers.map((w) => ask<RelayReport>(w)))
const phoneReports = await Promise.all(phoneWorkers.map((w) => ask<PhoneReport>(w)))
console.log(
  'event loops busy %: relays',
  relayReports.map((r) => Math.round(r.elu * 100)).join(' '),
  '; phone workers',
  phoneReports.map((r) => Math.round(r.elu * 100)).join(' '),
)
console.log(
  'relays: connections',
  relayReports.map((r) => r.connections.length).join(' '),
  '; raw-topic subscribers',
  relayReports.map((r) => r.peers).join(' '),
)
console.log(
  'phone workers: connected',
  phoneReports.map((r) => r.connected).join(' '),
  '; subscribed',
  phoneReports.map((r) => r.subscribed).join(' '),
  '; sync errors',
  phoneReports.map((r) => r.errors).join(' '),
)
for (const w of [...phoneWorkers, ...relayWorkers]) {
  w.postMessage({ type: 'stop' } satisfies Command)
  await Promise.race([reply(w, 'stopped'), sleep(15_000)])
  await w.terminate()
}
for (const l of links) await l.close()
for (const d of dirs) rmSync(d, { recursive: true, force: true })

// ---- real figures ----
const lat = { ours: { relays: [] as number[], phones: [] as number[] }, bare: { relays: [] as number[], phones: [] as number[] } }
for (const [kind, seq, receiver, at] of [...relayReports, ...phoneReports].flatMap((r) => r.arrivals)) {
  const s = sent[kind]!.get(seq)
  if (seq < WARMUP || s === undefined || receiver === s.from || Number.isNaN(s.at)) continue
  lat[kind === 0 ? 'ours' : 'bare'][receiver < RELAYS ? 'relays' : 'phones'].push(at - s.at)
}
// a relay-to-relay connection not through a delay link (a redial to a listen address) would have no delay
const wsPorts = relayInfo.map((r) => `/tcp/${r.wsPort}/`)
const unproxied = relayReports.flatMap((r) => r.connections).filter((a) => wsPorts.some((p) => a.includes(p))).length
const validateMs = relayReports.flatMap((r) => r.validateMs)
const stored = relayReports.flatMap((r) => r.storeMs)
const storePerEvent =
  stored.reduce((n, [ms]) => n + ms, 0) /
  Math.max(
    1,
    stored.reduce((n, [, e]) => n + e, 0),
  )
const relayProcessMs = percentile(validateMs, 50) + storePerEvent
// a phone's processing: core's verification of one event (WebCrypto), measured here after the run
const probe = Array.from({ length: 200 }, (_, i) => createEvent(generateSecretKey(), { kind: 'post', body: { text: `prop#${i}# ${'x'.repeat(200)}` } }).bytes)
const phoneVerify: number[] = []
for (const bytes of probe) {
  const e = decodeEvent(bytes)
  const t = performance.now()
  await verifyEvents([e])
  phoneVerify.push(performance.now() - t)
}
const phoneProcessMs = percentile(phoneVerify, 50)

const key = 'scale.propagation.real'
const oursP50 = percentile(lat.ours.phones, 50)
const bareP50 = percentile(lat.bare.phones, 50)
figures[`${key}.relays`] = RELAYS
figures[`${key}.relay_peers`] = RELAY_PEERS
figures[`${key}.clients`] = PHONES
figures[`${key}.messages`] = MESSAGES
figures[`${key}.rate_per_s`] = RATE
figures[`${key}.link_ms`] = [...relayEdges.map(([, , ms]) => ms), ...phoneLinkMs].reduce((a, b) => a + b, 0) / (relayEdges.length + PHONES)
figures[`${key}.link_min_ms`] = LINK_MIN
figures[`${key}.link_max_ms`] = LINK_MAX
figures[`${key}.p50_ms`] = oursP50
figures[`${key}.p95_ms`] = percentile(lat.ours.phones, 95)
figures[`${key}.relays_p50_ms`] = percentile(lat.ours.relays, 50)
figures[`${key}.relays_p95_ms`] = percentile(lat.ours.relays, 95)
figures[`${key}.delivery`] = lat.ours.phones.length / (MESSAGES * (PHONES - 1))
figures[`${key}.relays_delivery`] = lat.ours.relays.length / (MESSAGES * RELAYS)
figures[`${key}.bare_p50_ms`] = bareP50
figures[`${key}.bare_p95_ms`] = percentile(lat.bare.phones, 95)
figures[`${key}.bare_relays_p50_ms`] = percentile(lat.bare.relays, 50)
figures[`${key}.bare_delivery`] = lat.bare.phones.length / (MESSAGES * (PHONES - 1))
figures[`${key}.ratio_p50_vs_bare`] = oursP50 / bareP50
figures[`${key}.relays_ratio_p50_vs_bare`] = percentile(lat.ours.relays, 50) / percentile(lat.bare.relays, 50)
figures[`${key}.relay_validate_p50_ms`] = percentile(validateMs, 50)
figures[`${key}.relay_store_ms_per_event`] = storePerEvent
figures[`${key}.phone_verify_p50_ms`] = phoneProcessMs
figures[`${key}.setup_s`] = setupMs / 1000
figures[`${key}.rss_max_mb`] = Math.max(setupLoad.rssMaxMb, load.rssMaxMb)
figures[`${key}.cores_busy`] = load.coresBusy
console.log(`phones live at the end: ${phoneReports.reduce((n, r) => n + r.live, 0)}/${PHONES}; relay-to-relay connections without delay: ${unproxied}`)

// ---- the model ----
const txMs = ((size + 60) * 8) / (MODEL_MBIT * 1000)
const modelRandom = seededRandom(SEED + 1)

/** p50/p95 of arrival times at the nodes `counted` accepts, over `sources` */
function simulate(g: Graph, sources: number[], counted: (node: number, source: number) => boolean): { p50: number; p95: number } {
  const all: number[] = []
  for (const s of sources) {
    const at = propagate(g, s, txMs, modelRandom)
    at.forEach((t, node) => {
      if (node !== s && counted(node, s) && Number.isFinite(t)) all.push(t)
    })
  }
  return { p50: percentile(all, 50), p95: percentile(all, 95) }
}

// the run's own graph: relays, their peer links, phones on their relays, the drawn latencies
const real: Graph = {
  adj: Array.from({ length: RELAYS + PHONES }, () => []),
  processMs: [...new Array<number>(RELAYS).fill(relayProcessMs), ...new Array<number>(PHONES).fill(phoneProcessMs)],
  forwards: [...new Array<boolean>(RELAYS).fill(true), ...new Array<boolean>(PHONES).fill(false)],
}
for (const [a, b, ms] of relayEdges) addLink(real, a, b, ms)
phoneRelay.forEach((r, p) => addLink(real, r, RELAYS + p, phoneLinkMs[p]!))
const realSources = schedule.slice(WARMUP).map((p) => RELAYS + p)
const atReal = simulate(real, realSources, (node) => node >= RELAYS)
figures['scale.propagation.model_at_real.p50_ms'] = atReal.p50
figures['scale.propagation.model_at_real.p95_ms'] = atReal.p95
figures['scale.propagation.model_at_real.real_vs_model'] = oursP50 / atReal.p50
figures['scale.propagation.model.relay_process_ms'] = relayProcessMs
figures['scale.propagation.model.tx_ms'] = txMs
for (const [n, sources] of [
  [1_000, 100],
  [10_000, 20],
] as const) {
  const tag = `n${n >= 10_000 ? `${n / 1000}k` : n}`
  for (const d of [RELAY_D, DEFAULT_D]) {
    const g = randomRegular(n, d, modelRandom, () => 100, relayProcessMs)
    const picked = Array.from({ length: sources }, () => Math.floor(modelRandom() * n))
    const m = simulate(g, picked, () => true)
    const prefix = d === RELAY_D ? `scale.propagation.${tag}` : `scale.propagation.${tag}.d${d}`
    figures[`${prefix}.p50_ms`] = m.p50
    figures[`${prefix}.p95_ms`] = m.p95
  }
}
figures['scale.propagation.model.d'] = RELAY_D
if (process.env.WG_PROP_DRY === '1') printTable(figures)
else recordResults(figures)
process.exit(0)
