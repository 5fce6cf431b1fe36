// Fuzzing the opening of sealed messages (asynchronous, so not in the synchronous fuzz engine):
// random and mutated sealed messages must only ever give typed errors, and a mutated message
// must never open (the AEAD layers catch every change).
import { describe, expect, it } from 'vitest'
import { createDmIdentity } from '../../src/core/dm-seal.ts'
import { isWildgrassError } from '../../src/core/errors.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import type { PublicKey, SecretKey } from '../../src/core/types.ts'
import { nodeX25519 } from '../../src/net/x25519-node.ts'
import { createRandom, mutate } from '../fuzz/fuzz-engine.ts'

const CASES = 6000
const NOW = Date.UTC(2026, 0, 15, 12)

describe('fuzz: opening sealed messages', () => {
  it(`${CASES} mutated and random sealed messages give only typed errors, and none that changed opens`, async () => {
    const a = await createDmIdentity(new Uint8Array(32).fill(31) as SecretKey, nodeX25519)
    const bSecret = new Uint8Array(32).fill(32) as SecretKey
    const b = await createDmIdentity(bSecret, nodeX25519)
    const B = getPublicKey(bSecret) as PublicKey
    const corpus = await Promise.all(['短', 'a longer message, with more to pad '.repeat(4), '🌱'.repeat(100)].map((text, i) =>
      a.seal(B, { id: new Uint8Array(16).fill(i), to: B, ts: NOW - 1000, text }, { now: NOW })))
    const random = createRandom(20261203)
    const codes: Record<string, number> = {}
    let openedChanged = 0
    const same = (x: Uint8Array) => corpus.some((c) => c.length === x.length && c.every((v, j) => v === x[j]))
    for (let i = 0; i < CASES; i++) {
      const input = i % 3 === 0
        ? Uint8Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 256))
        : mutate(corpus[i % corpus.length]!, random)
      try {
        await b.open(input, { now: NOW })
        if (!same(input)) openedChanged++
      } catch (e) {
        expect(isWildgrassError(e), String(e)).toBe(true)
        const code = (e as { code: string }).code
        codes[code] = (codes[code] ?? 0) + 1
      }
    }
    // a mutation may leave the bytes as they were (a byte set to its own value): only those open
    expect(openedChanged).toBe(0)
    for (const code of ['E_BAD_SEAL', 'E_TRUNCATED', 'E_UNKNOWN_VERSION']) expect(codes[code] ?? 0, code).toBeGreaterThan(0)
  }, 120_000)
})
