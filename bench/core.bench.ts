// Core benchmark: on the same 10,000 signed events, verify throughput of our batch
// verifier, of raw WebCrypto (importKey + verify, all in flight at once) and of @noble/ed25519;
// events encoded and decoded per second. Prints and records figures; asserts nothing.
// Run: ./node_modules/.bin/node bench/core.bench.ts [events]
import { verify as nobleVerify } from '@noble/ed25519'
import { encodeCanonical } from '../src/core/cbor.ts'
import { createEvent } from '../src/core/event-create.ts'
import { decodeEvent, knownPartsOf } from '../src/core/event-decode.ts'
import { openEvents, verifyEvents } from '../src/core/event-verify.ts'
import { eventToWire } from '../src/core/event-wire.ts'
import { signedBytes, type VerifyItem } from '../src/core/keys.ts'
import type { SecretKey, SignedEvent } from '../src/core/types.ts'
import { recordResults } from './lib/results.ts'

const COUNT = Number(process.argv[2] ?? 10_000)
const AUTHORS = 1_000 // each signs COUNT / AUTHORS events: a peer sees many posts per author
const NOBLE_SUBSET = 1_000
const NOW = Date.UTC(2026, 0, 15)

function seed(i: number): SecretKey {
  const s = new Uint8Array(32)
  new DataView(s.buffer).setUint32(0, i + 1)
  return s as SecretKey
}

const texts = ['Hello, Wildgrass! #bench', '野火烧不尽，春风吹又生 🌱 #野草', '今天天氣很好，出去走走 ☀️', 'A somewhat longer post '.repeat(8)]
const t0 = performance.now()
const events: SignedEvent[] = []
for (let i = 0; i < COUNT; i++) {
  events.push(createEvent(seed(i % AUTHORS), { kind: 'post', ts: NOW - i * 1000, body: { text: texts[i % texts.length]!, lang: 'en' } }, { now: NOW }))
}
const setupMs = performance.now() - t0
const wires = events.map((e) => e.bytes)
const avgBytes = wires.reduce((n, b) => n + b.length, 0) / COUNT
console.log(`${COUNT} events by ${AUTHORS} authors created in ${Math.round(setupMs)} ms, ${Math.round(avgBytes)} bytes on average`)

const rate = (n: number, ms: number) => (n / ms) * 1000

// Fresh decoded copies per measurement, so no run profits from objects another run built.
const decodeAll = () => wires.map((b) => decodeEvent(b, { now: NOW }))
const items = (list: SignedEvent[]): VerifyItem[] =>
  list.map((e) => ({ publicKey: knownPartsOf(e)!.publicKey, message: signedBytes('wildgrass/event/v1', knownPartsOf(e)!.unsigned), signature: e.sig }))

// raw WebCrypto: importKey + verify for every event, everything in flight at once.
async function rawWebCrypto(list: VerifyItem[]): Promise<number> {
  const subtle = globalThis.crypto.subtle
  const start = performance.now()
  const ok = await Promise.all(
    list.map(async (it) => {
      const key = await subtle.importKey('raw', it.publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
      return subtle.verify({ name: 'Ed25519' }, key, it.signature as Uint8Array<ArrayBuffer>, it.message as Uint8Array<ArrayBuffer>)
    }),
  )
  const ms = performance.now() - start
  if (!ok.every(Boolean)) throw new Error('raw WebCrypto rejected a valid event')
  return rate(list.length, ms)
}

async function batch(list: SignedEvent[]): Promise<number> {
  const start = performance.now()
  const codes = await verifyEvents(list)
  const ms = performance.now() - start
  if (codes.some((c) => c !== null)) throw new Error('batch rejected a valid event')
  return rate(list.length, ms)
}

async function open(): Promise<number> {
  const start = performance.now()
  const results = await openEvents(wires, { now: NOW })
  const ms = performance.now() - start
  if (!results.every((r) => r.ok)) throw new Error('openEvents rejected a valid event')
  return rate(wires.length, ms)
}

function noble(list: VerifyItem[]): number {
  const subset = list.slice(0, NOBLE_SUBSET)
  const start = performance.now()
  for (const it of subset) if (!nobleVerify(it.signature, it.message, it.publicKey)) throw new Error('noble rejected a valid event')
  return rate(subset.length, performance.now() - start)
}

// Warm-up (JIT, WebCrypto thread pool) on a small slice, then alternate the two WebCrypto
// contenders over three rounds and keep each one's best: the machine is shared and noisy.
await rawWebCrypto(items(decodeAll().slice(0, 500)))
await batch(decodeAll().slice(0, 500))
let webcrypto = 0
let batched = 0
for (let round = 0; round < 3; round++) {
  webcrypto = Math.max(webcrypto, await rawWebCrypto(items(decodeAll())))
  batched = Math.max(batched, await batch(decodeAll()))
}
const opened = await open()

// Cold keys: 2,000 events by 2,000 authors never seen before, so the batch verifier's key caches
// do not help it (raw WebCrypto imports every key anyway). One pass each, batch first.
const COLD = 2_000
const cold: SignedEvent[] = []
for (let i = 0; i < COLD; i++) {
  cold.push(createEvent(seed(1_000_000 + i), { kind: 'post', ts: NOW - i, body: { text: texts[i % texts.length]! } }, { now: NOW }))
}
const coldDecoded = () => cold.map((e) => decodeEvent(e.bytes, { now: NOW }))
const batchCold = await batch(coldDecoded())
const webcryptoCold = await rawWebCrypto(items(coldDecoded()))
const nobleRate = noble(items(decodeAll()))

// codec: encode = canonical DAG-CBOR of the signed wire map; decode = decodeEvent (canonical
// check, structure, content rules, id; no signature).
let start = performance.now()
for (const e of events) encodeCanonical({ ...eventToWire(e), sig: e.sig })
const encodeRate = rate(COUNT, performance.now() - start)
start = performance.now()
for (const b of wires) decodeEvent(b, { now: NOW })
const decodeRate = rate(COUNT, performance.now() - start)

recordResults({
  'verify.batch_per_s': batched,
  'verify.webcrypto_per_s': webcrypto,
  'verify.noble_per_s': nobleRate,
  'verify.batch_vs_webcrypto': batched / webcrypto,
  'verify.open_events_per_s': opened,
  'verify.batch_cold_keys_per_s': batchCold,
  'verify.batch_vs_webcrypto_cold_keys': batchCold / webcryptoCold,
  'codec.encode_per_s': encodeRate,
  'codec.decode_per_s': decodeRate,
})
