// People and a clock for store tests: an identity (secret + did:key) and a clock that moves one
// second per reading, so every event and action of a test has its own timestamp.
import { encodeDidKey } from '../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../src/core/keys.ts'
import type { AuthorId, SecretKey } from '../../src/core/types.ts'

export interface Person {
  readonly secret: SecretKey
  readonly id: AuthorId
}

export function person(): Person {
  const secret = generateSecretKey()
  return { secret, id: encodeDidKey(getPublicKey(secret)) }
}

/** From 2026-01-01, one second later at every call. */
export function steppingClock(): () => number {
  let t = Date.UTC(2026, 0, 1)
  return () => (t += 1000)
}
