// Fuzzing the opening of sealed messages (asynchronous, so outside the synchronous fuzz engine):
// random and mutated sealed messages must only ever give typed errors, and a message that was
// changed must never open (the AEAD layers catch every change). Shared by Node
// (test/unit/net/dm-fuzz.test.ts) and Chromium (test/browser/private-fuzz.test.ts), each with its
// X25519 providers.
import { createDmIdentity } from '../../src/core/dm-seal.ts'
import { isWildgrassError } from '../../src/core/errors.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import type { PublicKey, SecretKey } from '../../src/core/types.ts'
import type { X25519Provider } from '../../src/core/x25519.ts'
import { createRandom, mutate } from './fuzz-engine.ts'

export interface SealedFuzzReport {
  readonly opened: number
  /** opened although the bytes differ from every sealed original: must stay 0 */
  readonly openedChanged: number
  readonly rejectedByCode: Readonly<Record<string, number>>
}

export async function fuzzOpeningSealed(x25519: X25519Provider, cases: number, seed: number, now: number): Promise<SealedFuzzReport> {
  const a = await createDmIdentity(new Uint8Array(32).fill(31) as SecretKey, x25519)
  const bSecret = new Uint8Array(32).fill(32) as SecretKey
  const b = await createDmIdentity(bSecret, x25519)
  const B = getPublicKey(bSecret) as PublicKey
  const corpus = await Promise.all(
    ['短', 'a longer message, with more to pad '.repeat(4), '🌱'.repeat(100)].map((text, i) =>
      a.seal(B, { id: new Uint8Array(16).fill(i), to: B, ts: now - 1000, text }, { now }),
    ),
  )
  const random = createRandom(seed)
  const rejectedByCode: Record<string, number> = {}
  let opened = 0
  let openedChanged = 0
  const same = (x: Uint8Array) => corpus.some((c) => c.length === x.length && c.every((v, j) => v === x[j]))
  for (let i = 0; i < cases; i++) {
    const input =
      i % 3 === 0 ? Uint8Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 256)) : mutate(corpus[i % corpus.length]!, random)
    try {
      await b.open(input, { now })
      opened++
      // a mutation may leave the bytes as they were (a byte set to its own value): only those open
      if (!same(input)) openedChanged++
    } catch (error) {
      if (!isWildgrassError(error)) {
        const hex = Array.from(input, (x) => x.toString(16).padStart(2, '0')).join('')
        throw new Error(`opening threw a non-WildgrassError on case ${i} (seed ${seed}): ${String(error)}\ninput: ${hex}`, { cause: error })
      }
      rejectedByCode[error.code] = (rejectedByCode[error.code] ?? 0) + 1
    }
  }
  return { opened, openedChanged, rejectedByCode }
}
