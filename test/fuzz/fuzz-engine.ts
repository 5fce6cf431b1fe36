// A deterministic fuzzer for the core decoders: random bytes and mutated valid
// bytes must only ever produce a WildgrassError — never another exception, never a hang.
// Shared by test/unit/protocol/fuzz.test.ts (fixed seed, in every test run) and test/fuzz/run.ts.
import { isWildgrassError } from '../../src/core/errors.ts'

export interface FuzzTarget {
  readonly name: string
  /** valid inputs to mutate */
  readonly corpus: readonly Uint8Array[]
  /** the decoder under test: may return anything or throw a WildgrassError */
  readonly decode: (bytes: Uint8Array) => unknown
}

export interface FuzzReport {
  cases: number
  accepted: number
  rejectedByCode: Record<string, number>
  slowestMs: number
  /** which decoder took slowestMs, and on what input (hex) */
  slowest: string
}

/** mulberry32: small, fast, good enough to spread cases; the seed makes a run repeatable. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Bytes that matter to CBOR: heads of each major type with each length width, breaks, floats.
const INTERESTING = [
  0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x20, 0x38, 0x40, 0x58, 0x5f, 0x60, 0x78, 0x7f, 0x80, 0x98, 0x9f, 0xa0, 0xa1, 0xb8, 0xbf, 0xc0, 0xd8, 0xd9, 0x2a,
  0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xff,
]

export function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n)
  let out = new Uint8Array(input)
  const rounds = 1 + pick(4)
  for (let r = 0; r < rounds; r++) {
    const at = pick(Math.max(1, out.length))
    switch (pick(8)) {
      case 0: // flip one bit
        if (out.length > 0) out[at]! ^= 1 << pick(8)
        break
      case 1: // set a random byte
        if (out.length > 0) out[at] = pick(256)
        break
      case 2: // set a CBOR-significant byte
        if (out.length > 0) out[at] = INTERESTING[pick(INTERESTING.length)]!
        break
      case 3: // truncate
        out = out.subarray(0, at)
        break
      case 4: {
        // insert random bytes
        const extra = Uint8Array.from({ length: 1 + pick(8) }, () => pick(256))
        out = Uint8Array.from([...out.subarray(0, at), ...extra, ...out.subarray(at)])
        break
      }
      case 5: // delete a run
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1 + pick(8))])
        break
      case 6: {
        // duplicate a run (repeated keys, nested structures)
        const len = 1 + pick(16)
        out = Uint8Array.from([...out.subarray(0, at + len), ...out.subarray(at, at + len), ...out.subarray(at + len)])
        break
      }
      default: // big-endian length-ish bump of a 2-byte window
        if (out.length > at + 1) {
          out[at] = (out[at]! + 1) & 0xff
          out[at + 1] = 0xff
        }
    }
  }
  return out
}

function randomBytes(random: () => number): Uint8Array {
  const length = Math.floor(random() * 96)
  const out = Uint8Array.from({ length }, () => Math.floor(random() * 256))
  // Half start with a map head, so the input gets past the first check and into the CBOR decoder.
  if (length > 0 && random() < 0.5) out[0] = 0xa0 | Math.floor(random() * 8)
  return out
}

/**
 * Runs `cases` inputs spread over the targets: a third random bytes, two thirds mutations of
 * valid inputs. Throws (with a reproducer in hex) on the first non-WildgrassError.
 */
export function runFuzz(targets: readonly FuzzTarget[], cases: number, seed: number): FuzzReport {
  const random = createRandom(seed)
  const report: FuzzReport = { cases: 0, accepted: 0, rejectedByCode: {}, slowestMs: 0, slowest: '' }
  for (let i = 0; i < cases; i++) {
    const target = targets[i % targets.length]!
    const fromCorpus = random() < 2 / 3 && target.corpus.length > 0
    const input = fromCorpus ? mutate(target.corpus[Math.floor(random() * target.corpus.length)]!, random) : randomBytes(random)
    const start = performance.now()
    try {
      target.decode(input)
      report.accepted++
    } catch (error) {
      if (!isWildgrassError(error)) {
        const hex = Array.from(input, (b) => b.toString(16).padStart(2, '0')).join('')
        throw new Error(`${target.name} threw a non-WildgrassError on case ${i} (seed ${seed}): ${String(error)}\ninput: ${hex}`, { cause: error })
      }
      report.rejectedByCode[error.code] = (report.rejectedByCode[error.code] ?? 0) + 1
    }
    const ms = performance.now() - start
    if (ms > report.slowestMs) {
      report.slowestMs = ms
      report.slowest = `${target.name} case ${i} (${input.length} bytes)`
    }
    report.cases++
  }
  return report
}
