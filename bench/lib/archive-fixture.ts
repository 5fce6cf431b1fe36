// Signed events in bulk for the archive benchmarks: a network of `authors` keys writing posts,
// replies, reactions and reposts in time order, signed with node:crypto's Ed25519 (a native
// signer: @noble signs ~1,000 a second here, too slow for a million). The bytes are built with
// core's own wire mapping and canonical encoder (event-wire.ts, cbor.ts), exactly as createEvent
// does, so they are valid events: checkFixture opens a sample with core's decoder and verifier.
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { encodeCanonical } from '../../src/core/cbor.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import { eventToWire } from '../../src/core/event-wire.ts'
import { openEvents } from '../../src/core/event-verify.ts'
import { signedBytes } from '../../src/core/keys.ts'
import type { AuthorId, EventId, PublicKey, UnsignedEvent } from '../../src/core/types.ts'
import type { FixtureWorkerData } from './archive-fixture-worker.ts'
import { createRandom as seededRandom } from '../../test/fuzz/fuzz-engine.ts'

export interface FixtureAuthor {
  readonly id: AuthorId
  readonly key: KeyObject
}

export interface FixtureEvent {
  readonly id: EventId
  readonly author: AuthorId
  readonly ts: number
  readonly bytes: Uint8Array
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), and the SPKI prefix of its public key
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX_BYTES = 12

export function createFixtureAuthors(count: number): FixtureAuthor[] {
  return Array.from({ length: count }, () => {
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, randomBytes(32)]), format: 'der', type: 'pkcs8' })
    const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
    const pub = new Uint8Array(spki.subarray(SPKI_PREFIX_BYTES)) as PublicKey
    return { id: encodeDidKey(pub), key }
  })
}

const WORDS =
  'the a relay of my new post today rain tea train 野草 春风 今天 朋友 城市 音乐 电影 读书 天气 吃饭 weekend photo river mountain night morning coffee #野草 #music #books'.split(
    ' ',
  )
const EMOJI = ['👍', '❤️', '😂', '🔥', '🌱']

function textOf(rand: () => number): string {
  const n = 8 + Math.floor(rand() * 24)
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!)
  return out.join(' ')
}

/** the fuzzers' seeded PRNG (mulberry32): the same seed gives the same draws */
export { seededRandom }

export interface EventStreamInit {
  readonly authors: readonly FixtureAuthor[]
  /** the first event's timestamp (ms) and the time between events (ms; whole seconds are kept) */
  readonly startTs: number
  readonly stepMs: number
  readonly seed: number
}

/**
 * An endless time-ordered stream of signed events: 20 % posts, 8 % replies (to a recent post,
 * in its thread), 62 % reactions and 10 % reposts of recent posts; a post mentions someone one
 * time in ten. Authors are drawn uniformly. `next(n)` gives the next n.
 */
export function createEventStream(init: EventStreamInit): { next(n: number): FixtureEvent[] } {
  const rand = seededRandom(init.seed)
  const recent: Array<{ id: EventId; root: EventId }> = [] // a ring of recent posts, targets of the rest
  const RING = 5000
  let i = 0
  const pick = () => recent[Math.floor(rand() * recent.length)]!
  const one = (): FixtureEvent => {
    const author = init.authors[Math.floor(rand() * init.authors.length)]!
    const ts = Math.floor((init.startTs + i * init.stepMs) / 1000) * 1000
    i++
    const r = rand()
    let unsigned: UnsignedEvent
    if (recent.length === 0 || r < 0.2) {
      const mention = rand() < 0.1 ? [init.authors[Math.floor(rand() * init.authors.length)]!.id] : undefined
      unsigned = { v: 1, kind: 'post', author: author.id, ts, body: { text: textOf(rand), ...(mention ? { mentions: mention } : {}) } }
    } else if (r < 0.28) {
      const parent = pick()
      unsigned = { v: 1, kind: 'post', author: author.id, ts, body: { text: textOf(rand), reply: { root: parent.root, parent: parent.id } } }
    } else if (r < 0.9) {
      unsigned = { v: 1, kind: 'reaction', author: author.id, ts, body: { target: pick().id, emoji: EMOJI[Math.floor(rand() * EMOJI.length)]! } }
    } else {
      unsigned = { v: 1, kind: 'repost', author: author.id, ts, body: { target: pick().id } }
    }
    const wire = eventToWire(unsigned)
    const body = encodeCanonical(wire)
    const sig = new Uint8Array(sign(null, signedBytes('wildgrass/event/v1', body), author.key))
    const id = createHash('sha256').update(body).digest('hex') as EventId
    if (unsigned.kind === 'post') {
      const root = unsigned.body.reply?.root ?? id
      if (recent.length < RING) recent.push({ id, root })
      else recent[Math.floor(rand() * RING)] = { id, root }
    }
    return { id, author: author.id, ts, bytes: encodeCanonical({ ...wire, sig }) }
  }
  return { next: (n) => Array.from({ length: n }, one) }
}

/** Opens `sample` with core (decode, limits, signature) and checks the ids: throws if any is not a valid event. */
export async function checkFixture(sample: readonly FixtureEvent[]): Promise<void> {
  const opened = await openEvents(sample.map((e) => e.bytes))
  opened.forEach((o, i) => {
    if (!o.ok) throw new Error(`fixture event ${i} is not valid: ${o.code} ${o.message}`)
    if (o.event.id !== sample[i]!.id || o.event.author !== sample[i]!.author || o.event.ts !== sample[i]!.ts)
      throw new Error(`fixture event ${i}: id, author or ts differ`)
  })
}

/** Draws `count` distinct indexes of `n` with probability ∝ 1/(rank+1) (Zipf, s = 1): popular authors are followed more. */
export function drawZipf(n: number, count: number, rand: () => number): number[] {
  const cumulative = new Float64Array(n)
  let total = 0
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1)
  const chosen = new Set<number>()
  while (chosen.size < Math.min(count, n)) {
    const x = rand() * total
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < x) lo = mid + 1
      else hi = mid
    }
    chosen.add(lo)
  }
  return [...chosen]
}

export function startGenerator(
  data: FixtureWorkerData,
  batchSize: number,
): { authors: Promise<AuthorId[]>; pull(n: number): Promise<FixtureEvent[]>; stop(): Promise<number> } {
  const worker = new Worker(new URL('./archive-fixture-worker.ts', import.meta.url), { workerData: data })
  const waiting: Array<(batch: FixtureEvent[]) => void> = []
  let gotAuthors!: (ids: AuthorId[]) => void
  const authors = new Promise<AuthorId[]>((resolve) => (gotAuthors = resolve))
  worker.on('message', (m: { authors: AuthorId[] } | { batch: FixtureEvent[] }) => ('authors' in m ? gotAuthors(m.authors) : waiting.shift()!(m.batch)))
  worker.on('error', (err) => {
    console.error('fixture worker failed', err)
    process.exit(1)
  })
  const ahead: Array<Promise<FixtureEvent[]>> = []
  const request = () => ahead.push(new Promise((resolve) => (waiting.push(resolve), worker.postMessage({ n: batchSize }))))
  request()
  request()
  let buffer: FixtureEvent[] = []
  return {
    authors,
    async pull(n) {
      while (buffer.length < n) {
        const batch = await ahead.shift()!
        request()
        buffer = buffer.length === 0 ? batch : [...buffer, ...batch]
      }
      const out = buffer.slice(0, n)
      buffer = buffer.slice(n)
      return out
    },
    stop: () => worker.terminate(),
  }
}
