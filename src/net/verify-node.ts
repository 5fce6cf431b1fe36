// Synchronous strict Ed25519 verification for Node relays and peers (protocol/identity.md,
// "Strict verification"). node:crypto is the same OpenSSL that Node's WebCrypto uses, so this
// is core's WebCrypto backend without the thread-pool hop: core's strict byte checks first,
// OpenSSL's cofactorless equation, and any "no" re-decided by core's strict noble path, which
// also gives the exact code. Import it only from Node code (relay, Node peers, benchmarks).
import { createPublicKey, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { toHex } from '../core/index.ts'
import { checkCheap, checkPublicKey, classifyStrict } from '../core/ed25519-strict.ts'
import { createLruMap } from '../core/lru-map.ts'
import type { SignatureVerifier } from '../core/index.ts'

/** DER SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): the 32 key bytes follow. */
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])

/** A verifier with its own bounded LRU of imported keys (a feed names the same authors again and again). */
export function createNodeVerifier(options: { cacheSize?: number } = {}): SignatureVerifier {
  const limit = options.cacheSize ?? 4096
  const keys = createLruMap<KeyObject>(limit)
  const importKey = (id: string, publicKey: Uint8Array): KeyObject => {
    const der = new Uint8Array(SPKI_PREFIX.length + 32)
    der.set(SPKI_PREFIX, 0)
    der.set(publicKey, SPKI_PREFIX.length)
    const key = createPublicKey({ key: Buffer.from(der.buffer), format: 'der', type: 'spki' })
    keys.set(id, key)
    return key
  }
  return {
    verify(publicKey, message, signature) {
      // the spec's order: key rules (on-curve included), then the cheap signature rules; a key
      // in the cache passed the key rules when it went in (only valid keys do). A failing input
      // gets the full classification and its exact code.
      const id = publicKey instanceof Uint8Array && publicKey.length === 32 ? toHex(publicKey) : undefined
      const cached = id === undefined ? undefined : keys.get(id)
      if ((cached === undefined && checkPublicKey(publicKey) !== null) || checkCheap(publicKey, signature, message) !== null) {
        return classifyStrict(publicKey, message, signature)
      }
      let ok: boolean
      try {
        ok = verify(null, message, cached ?? importKey(id!, publicKey), signature)
      } catch {
        ok = false
      }
      return ok ? null : classifyStrict(publicKey, message, signature)
    },
  }
}
