// Scale benchmark: what a phone receives, firehose vs filtered subscription (protocol/subscribe.md),
// on real nodes, and a model calibrated on them for 1,000 / 10,000 / 150,000 people. Figures only.
//
// Real-node run: WG_SCALE_RELAYS (3) in-process relays meshed with each other (WebSockets on
// loopback, no injected latency), WG_SCALE_AUTHORS (600) author keys publishing through
// WG_SCALE_PUBLISHERS (3) client nodes (authors are keys, not nodes: a node per author would not
// fit on 2 cores), WG_SCALE_PHONES (6) phones on filtered delivery each following WG_SCALE_FOLLOWS
// (100) authors drawn by a power law (Zipf, s = 1), and one phone on firehose delivery.
// WG_SCALE_MESSAGES (1200) posts, each with the signed index change naming it, by authors drawn
// uniformly. Bytes counted on the phone: the subscription's frame bytes (filtered); the gossip
// payloads delivered on the events and changes topics (firehose: a lower bound, without gossip's
// control messages and duplicates).
//
// Model: a person posts WG_SCALE_POSTS_PER_DAY (1) and reacts WG_SCALE_REACTIONS_PER_DAY (3)
// times a day; each such event travels with its index change. A filtered phone following F
// people receives the authors of the buckets its follows fall in (bucket width from
// chooseBucketBits for the relay's author count, anonymity 8): B·(1 − (1 − 1/B)^F) buckets of N/B
// authors. Bytes per event and change, and the frame overhead, are the real run's.
// Verifications: only the followed authors' events and changes (the rest of a bucket is dropped
// unverified). Not modelled: what concerns the phone's own key (replies, reactions to its posts — bounded by
// its own audience, not by N), threads opened, the community stream (bounded by its rate limit).
import { percentile, printTable, recordResults } from './lib/results.ts'
import { createTestAuthor } from '../test/support/net-memory-store.ts'
import type { TestAuthor } from '../test/support/net-memory-store.ts'
import { startTestPeer, startTestRelay, waitFor } from '../test/support/net-harness.ts'
import type { TestPeer, TestRelay } from '../test/support/net-harness.ts'
import { chooseBucketBits, bucketAt, cachedBucketOf } from '../src/net/subscribe/filter.ts'
import type { AuthorId, EventId } from '../src/core/index.ts'

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback)
const RELAYS = env('WG_SCALE_RELAYS', 3)
const AUTHORS = env('WG_SCALE_AUTHORS', 600)
const PUBLISHERS = env('WG_SCALE_PUBLISHERS', 3)
const PHONES = env('WG_SCALE_PHONES', 6)
const FOLLOWS = env('WG_SCALE_FOLLOWS', 100)
const MESSAGES = env('WG_SCALE_MESSAGES', 1200)
const POSTS_PER_DAY = env('WG_SCALE_POSTS_PER_DAY', 1)
const REACTIONS_PER_DAY = env('WG_SCALE_REACTIONS_PER_DAY', 3)
/** posts a second, network-wide: each is 2 gossip messages, under the 100 a second a node takes from one peer */
const RATE = env('WG_SCALE_RATE', 20)
const ANONYMITY = 8
const figures: Record<string, number> = {}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A relay as the relay process runs one, minus SQLite: it knows the authors whose index it holds. */
const startRelay = (peers: string[]): Promise<TestRelay> => startTestRelay({ peers, subscriptions: (store) => ({ authorCount: () => store.chains.size }) })

/** resolves when `state` has not changed for 6 s (at most 2 min) */
async function settle(state: () => string): Promise<void> {
  let last = ''
  let still = 0
  const t0 = Date.now()
  while (still < 3 && Date.now() - t0 < 120_000) {
    await sleep(2000)
    const now = state()
    still = now === last ? still + 1 : 0
    last = now
  }
}

/** waits until the `i`th post since `t0` is due at RATE */
async function paced(t0: number, i: number): Promise<void> {
  const due = t0 + ((i + 1) * 1000) / RATE
  if (due > Date.now()) await sleep(due - Date.now())
}

/** `count` distinct indexes of `n`, drawn with probability ∝ 1/rank (popular authors are followed more). */
function drawZipf(n: number, count: number): number[] {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1))
  const chosen = new Set<number>()
  while (chosen.size < Math.min(count, n)) {
    let x = Math.random() * weights.reduce((a, b) => a + b, 0)
    let i = 0
    for (; i < n - 1; i++) {
      if (!chosen.has(i)) x -= weights[i]!
      if (x <= 0 && !chosen.has(i)) break
    }
    chosen.add(i)
  }
  return [...chosen]
}

/** Authors a filtered phone following `follows` of `n` authors receives (its buckets' authors), expected. */
export function modelAuthorsReceived(n: number, follows: number): number {
  const bits = chooseBucketBits(n, ANONYMITY)
  const buckets = 2 ** bits
  const occupied = buckets * (1 - (1 - 1 / buckets) ** follows)
  return Math.min(n, occupied * (n / buckets))
}

async function runReal(): Promise<{
  authorsKnown: number
  perMessageBytes: number
  overhead: number
  filteredKb: number[]
  relayDelivery: number
  firehoseDelivery: number
  firehoseKb: number
  verified: number
}> {
  const relays: TestRelay[] = []
  for (let i = 0; i < RELAYS; i++) relays.push(await startRelay(relays.map((r) => r.addr)))
  const relayAddrs = relays.map((r) => r.addr)
  const authors: TestAuthor[] = Array.from({ length: AUTHORS }, () => createTestAuthor())
  const publishers: TestPeer[] = []
  for (let i = 0; i < PUBLISHERS; i++) publishers.push(await startTestPeer([relayAddrs[i % RELAYS]!], { privacy: 'relay-only' }))
  // every author publishes once first, so that the relays know them all (the bucket width depends on it)
  const publishOne = async (a: number, text: string): Promise<{ id: EventId; bytes: number }> => {
    const pub = publishers[a % PUBLISHERS]!
    const { events, change } = await authors[a]!.post(pub.store, [text])
    await pub.net.publishChange(change.bytes)
    await pub.net.publishEvent(events[0]!.bytes)
    return { id: events[0]!.id, bytes: events[0]!.bytes.length + change.bytes.length }
  }
  await waitFor(() => relays.every((r) => r.node.getPeers().length >= RELAYS - 1), 20_000, 'relay mesh')
  await sleep(1500)
  const t0 = Date.now()
  for (let a = 0; a < AUTHORS; a++) {
    await publishOne(a, `hello from ${a}`)
    await paced(t0, a)
  }
  // until the relays' author counts stop growing (gossip loses some on this loaded machine)
  await settle(() => relays.map((r) => r.store.chains.size).join(','))

  const follows = Array.from({ length: PHONES }, () => drawZipf(AUTHORS, FOLLOWS).map((i) => authors[i]!.id))
  const phones = await Promise.all(
    follows.map((f, i) =>
      startTestPeer([relayAddrs[i % RELAYS]!], {
        privacy: 'relay-only',
        authors: f,
        net: { delivery: 'filtered', anonymity: ANONYMITY, interest: () => ({ authors: f, about: [], threads: [], community: false }) },
      }),
    ),
  )
  const firehose = await startTestPeer([relayAddrs[0]!], { privacy: 'relay-only' })
  let firehoseBytes = 0
  let firehoseMessages = 0
  firehose.node.services.pubsub.addEventListener('message', (e) => {
    if (e.detail.topic === 'wg/1/events' || e.detail.topic === 'wg/1/changes') {
      firehoseBytes += e.detail.data.length
      firehoseMessages++
    }
  })
  await waitFor(() => phones.every((p) => (p.net.subscriptionLive?.() ?? []).length === 1), 30_000, 'phones subscribed')
  await sleep(3000) // firehose mesh formed (its heartbeat is 1 s)
  const before = phones.map((p) => ({ ...p.net.subscriptionCounters! }))
  const firehoseBefore = { bytes: firehoseBytes, messages: firehoseMessages }

  const t1 = Date.now()
  let runBytes = 0
  const sent: Array<{ id: EventId; author: AuthorId }> = []
  for (let m = 0; m < MESSAGES; m++) {
    const a = Math.floor(Math.random() * AUTHORS)
    const one = await publishOne(a, `post ${m} by author ${a}, a line of ordinary length for a microblog`)
    sent.push({ id: one.id, author: authors[a]!.id })
    runBytes += one.bytes
    await paced(t1, m)
  }
  // settled: nothing more arrives at any phone for 6 s (gossip may lose messages on this loaded
  // machine; what each relay stored is counted, below, so losses do not pass for savings)
  await settle(() => JSON.stringify([firehoseMessages, ...phones.map((p) => p.net.subscriptionCounters!.bytes)]))

  // the width the phones chose: from what their relay knew (the model below uses AUTHORS)
  const bits = chooseBucketBits(relays[0]!.store.chains.size, ANONYMITY)
  const perMessageBytes = runBytes / MESSAGES
  const held = (r: TestRelay): typeof sent => sent.filter((x) => r.store.events.has(x.id))
  const relayDelivery = relays.map((r) => held(r).length / MESSAGES)
  const filteredKb: number[] = []
  const overheads: number[] = []
  const verified: number[] = []
  phones.forEach((p, i) => {
    const c = p.net.subscriptionCounters!
    const bytes = c.bytes - before[i]!.bytes
    const buckets = new Set(follows[i]!.map((a) => bucketAt(cachedBucketOf(a), bits)))
    // what its relay stored of the run, in its buckets: what a lossless relay would have sent it
    const relay = relays[i % RELAYS]!
    const inBuckets = held(relay).filter((x) => buckets.has(bucketAt(cachedBucketOf(x.author), bits))).length
    const delivered = relayDelivery[i % RELAYS]!
    overheads.push(bytes / (inBuckets * perMessageBytes))
    verified.push((c.verified - before[i]!.verified) / delivered)
    filteredKb.push(bytes / delivered / 1024)
  })
  const overhead = percentile(overheads, 50)
  for (const p of [...phones, firehose, ...publishers]) await p.stop()
  for (const r of relays) await r.stop()
  return {
    authorsKnown: relays[0]!.store.chains.size,
    perMessageBytes,
    overhead,
    filteredKb,
    relayDelivery: percentile(relayDelivery, 50),
    firehoseDelivery: (firehoseMessages - firehoseBefore.messages) / (2 * MESSAGES),
    firehoseKb: (firehoseBytes - firehoseBefore.bytes) / relayDelivery[0]! / 1024,
    verified: percentile(verified, 50),
  }
}

const real = await runReal()
const perDay = POSTS_PER_DAY + REACTIONS_PER_DAY
/** a run's bytes for N authors sending MESSAGES, scaled to N people's day */
const dayFactor = (AUTHORS * perDay) / MESSAGES
const measuredDay = percentile(real.filteredKb, 50) * dayFactor
const modelDay = (n: number): number => (modelAuthorsReceived(n, FOLLOWS) * perDay * real.perMessageBytes * real.overhead) / 1024
const firehoseDay = (n: number): number => (n * perDay * real.perMessageBytes) / 1024

const tag = `f${FOLLOWS}`
figures['scale.real.relays'] = RELAYS
figures['scale.real.authors'] = AUTHORS
figures['scale.real.authors_known_by_relay'] = real.authorsKnown
figures['scale.real.phones'] = PHONES + 1
figures['scale.real.messages'] = MESSAGES
figures['scale.real.bytes_per_message'] = real.perMessageBytes
figures['scale.real.frame_overhead'] = real.overhead
figures['scale.real.relay_delivery'] = real.relayDelivery
figures['scale.real.firehose_phone_delivery'] = real.firehoseDelivery
figures[`scale.phone_verifications_per_day.${tag}.real`] = real.verified * dayFactor
figures[`scale.phone_kb_per_day.${tag}.real`] = measuredDay
figures[`scale.phone_kb_per_day.${tag}.model_at_real`] = modelDay(AUTHORS)
figures[`scale.phone_kb_per_day.${tag}.real_vs_model`] = measuredDay / modelDay(AUTHORS)
figures['scale.phone_kb_per_day.firehose.real'] = real.firehoseKb * dayFactor
for (const n of [1_000, 10_000, 150_000]) {
  const key = n >= 1000 ? `n${n / 1000}k` : `n${n}`
  figures[`scale.phone_kb_per_day.${tag}.${key}`] = modelDay(n)
  // the rest of a bucket is dropped before any signature check: only whom it follows is verified
  figures[`scale.phone_verifications_per_day.${tag}.${key}`] = Math.min(n, FOLLOWS) * perDay * 2
  figures[`scale.phone_kb_per_day.firehose.${key}`] = firehoseDay(n)
}
figures[`scale.phone_kb_per_day.${tag}.ratio_n150k_vs_n10k`] = modelDay(150_000) / modelDay(10_000)
printTable({ 'filtered phones, run kB (each)': 0, ...Object.fromEntries(real.filteredKb.map((k, i) => [`  phone ${i}`, k])) })
recordResults(figures)
process.exit(0)
