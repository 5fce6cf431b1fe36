// The WebCrypto Ed25519 backend (protocol/identity.md, "Strict verification"). WebCrypto
// (OpenSSL in Node, BoringSSL in Chromium) checks the cofactorless equation; our cheap byte
// checks run first, and any "no" is re-classified by the strict noble path, so the answer and
// the code are the same as the noble backend's on every input.

import type { ErrorCode } from './errors.ts'
import { createLruMap } from './lru-map.ts'
import { toHex } from './bytes.ts'
import { checkCheap, classifyStrict } from './ed25519-strict.ts'

type Subtle = SubtleCrypto

function getSubtle(): Subtle | undefined {
  return globalThis.crypto?.subtle
}

// A bounded LRU of imported public keys: importKey costs about as much as a verify, and the same
// authors sign most of what a peer sees. Keyed by hex; a Map keeps insertion order for eviction.
const KEY_CACHE_LIMIT = 4096
// A settled import is stored as the CryptoKey itself, so a hit costs no extra promise hop.
const keyCache = createLruMap<CryptoKey | Promise<CryptoKey>>(KEY_CACHE_LIMIT)

function importVerifyKey(subtle: Subtle, publicKey: Uint8Array): CryptoKey | Promise<CryptoKey> {
  const id = toHex(publicKey)
  const hit = keyCache.get(id)
  if (hit !== undefined) return hit
  const raw = publicKey.slice() as Uint8Array<ArrayBuffer> // a copy: callers may reuse their buffer
  const pending = subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify'])
  keyCache.set(id, pending)
  pending.then(
    (key) => {
      if (keyCache.peek(id) === pending) keyCache.set(id, key)
    },
    // A failed import must not stay cached (it would poison later, valid uses of the key).
    () => {
      if (keyCache.peek(id) === pending) keyCache.delete(id)
    },
  )
  return pending
}

let support: Promise<boolean> | undefined

/** Whether this platform's WebCrypto verifies Ed25519 (Node 22+, Chromium 137+, Firefox, Safari). */
export function hasWebCryptoEd25519(): Promise<boolean> {
  support ??= probe()
  return support
}

// RFC 8032 section 7.1, TEST 1 (empty message): a real verify, not just an import, so that a
// platform that imports Ed25519 keys but cannot verify is treated as unsupported.
const PROBE_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
const PROBE_SIG = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'

async function probe(): Promise<boolean> {
  const subtle = getSubtle()
  if (subtle === undefined) return false
  try {
    const key = await subtle.importKey('raw', hexToBuffer(PROBE_KEY), { name: 'Ed25519' }, false, ['verify'])
    return await subtle.verify({ name: 'Ed25519' }, key, hexToBuffer(PROBE_SIG), new Uint8Array(0))
  } catch {
    return false
  }
}

function hexToBuffer(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/**
 * Verify one signature through WebCrypto under the strict rules. null = valid. The caller has
 * checked that WebCrypto supports Ed25519.
 */
export async function verifyWithWebCrypto(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<ErrorCode | null> {
  const subtle = getSubtle()
  if (subtle === undefined || checkCheap(publicKey, signature, message) !== null) {
    return classifyStrict(publicKey, message, signature)
  }
  let ok: boolean
  try {
    const cached = importVerifyKey(subtle, publicKey)
    const key = cached instanceof Promise ? await cached : cached
    ok = await subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)
  } catch {
    ok = false
  }
  // WebCrypto "yes" after the cheap checks means: A decoded on the curve and R is the canonical
  // encoding of [S]B - [k]A, which is the strict rule. A "no" (rare: attacks, corruption) is
  // re-decided by the strict path, which also gives the exact code; the spec is the arbiter.
  return ok ? null : classifyStrict(publicKey, message, signature)
}
