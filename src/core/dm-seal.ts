// Sealed messages (protocol/direct-messages.md §3): the letter, padded, encrypted to the
// recipient under a one-time key, with the sender's identity sealed inside. The pattern is
// Noise's one-way "X" (e, es, s, ss) on audited primitives: X25519, HKDF-SHA256 (@noble/hashes),
// ChaCha20-Poly1305 (RFC 8439, @noble/ciphers).
//
//   sealed = 0x01 ‖ E ‖ seal(k1, aad = 0x01 ‖ E, A) ‖ seal(k2, aad = 0x01 ‖ E ‖ c1, pad(letter))
//   k1 = HKDF(es,        salt, "sender" ‖ E ‖ Bx, 32)           es = X25519(e, Bx)
//   k2 = HKDF(es ‖ ss,   salt, "letter" ‖ E ‖ A ‖ Bx, 32)       ss = X25519(a, Bx)
//
// E is fresh for every message, so each key seals exactly one plaintext: the nonce is zero, as
// in Noise (a key used once needs no random nonce). Only the recipient can read
// A (the sender); only someone holding a or b can make the letter layer, so the recipient knows A
// wrote it — and cannot prove it to anyone else (no signature: deniable, like Signal's).
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { concatBytes, toHex, utf8Encode } from './bytes.ts'
import { fail, isWildgrassError } from './errors.ts'
import { deriveDmKeys, deriveKey, x25519PublicOf } from './dm-keys.ts'
import { decodeLetter, encodeLetter, type Letter, type LetterOptions } from './dm-letter.ts'
import { MAX_LETTER_BYTES, MAX_SEALED_BYTES, SEALED_HEADER_BYTES } from './dm-limits.ts'
import { pad, unpad } from './dm-padding.ts'
import { createLruMap } from './lru-map.ts'
import { agree, defaultX25519, type X25519Provider, type X25519Public } from './x25519.ts'
import type { PublicKey, SecretKey } from './types.ts'

const VERSION = 1
const SALT = utf8Encode('wildgrass/dm/v1')
const INFO_SENDER = utf8Encode('sender')
const INFO_LETTER = utf8Encode('letter')
/** peers whose X25519 key and static shared secret are kept in memory */
const PEER_CACHE = 1024

export interface SealOptions extends LetterOptions {
  /** the one-time X25519 secret (tests and vectors only: it must be fresh for every message) */
  readonly ephemeralSecret?: Uint8Array
}

export interface OpenedLetter {
  /** the sender's Ed25519 key, authenticated by the letter layer */
  readonly from: PublicKey
  readonly letter: Letter
}

/** One identity's sealing and opening, with its X25519 secret imported once. */
export interface DmIdentity {
  readonly publicKey: PublicKey
  /** Seals a letter to `recipient` (an Ed25519 identity key; the sender's own for a self-copy). */
  seal(recipient: PublicKey, letter: Omit<Letter, 'v'>, options?: SealOptions): Promise<Uint8Array>
  /**
   * Opens a sealed message. Errors: E_TRUNCATED / E_OVERSIZE (size), E_UNKNOWN_VERSION,
   * E_BAD_SEAL (not for this key, changed on the way, a sealed sender that is not a valid
   * identity, bad padding, a letter naming another recipient), then the letter's decoding errors.
   */
  open(sealed: Uint8Array, options?: LetterOptions): Promise<OpenedLetter>
}

interface Peer {
  readonly x: Uint8Array
  readonly imported: X25519Public
  /** X25519(my secret, peer): the static part of every letter key between us */
  readonly ss: Promise<Uint8Array>
}

/** `x25519`: the platform's default (WebCrypto or noble); Node peers may pass node:crypto's. */
export async function createDmIdentity(secret: SecretKey, x25519?: X25519Provider): Promise<DmIdentity> {
  const provider = x25519 ?? (await defaultX25519())
  const keys = deriveDmKeys(secret)
  const mine = await provider.importSecret(keys.xSecret)
  const peers = createLruMap<Peer>(PEER_CACHE)
  const peer = (publicKey: Uint8Array): Peer => {
    const id = toHex(publicKey)
    let p = peers.get(id)
    if (p === undefined) {
      const x = x25519PublicOf(publicKey)
      const imported = provider.importPublic(x)
      p = { x, imported, ss: agree(provider, mine, imported) }
      p.ss.catch(() => peers.delete(id))
      peers.set(id, p)
    }
    return p
  }
  return {
    publicKey: keys.publicKey,
    async seal(recipient, letter, options = {}) {
      const plain = pad(encodeLetter(letter, options), MAX_LETTER_BYTES)
      const to = peer(recipient)
      const e = await provider.generate(options.ephemeralSecret)
      const E = e.publicKey
      const es = await agree(provider, e.secret, to.imported)
      const head = concatBytes(new Uint8Array([VERSION]), E)
      const c1 = aead(deriveKey(es, SALT, concatBytes(INFO_SENDER, E, to.x), 32), head).encrypt(keys.publicKey)
      const k2 = deriveKey(concatBytes(es, await to.ss), SALT, concatBytes(INFO_LETTER, E, keys.publicKey, to.x), 32)
      const c2 = aead(k2, concatBytes(head, c1)).encrypt(plain)
      return concatBytes(head, c1, c2)
    },
    async open(sealed, options = {}) {
      if (!(sealed instanceof Uint8Array)) fail('E_MALFORMED', 'sealed message: not bytes')
      if (sealed.length < SEALED_HEADER_BYTES + 2 + 32 + 16) fail('E_TRUNCATED', 'sealed message: too short')
      if (sealed.length > MAX_SEALED_BYTES) fail('E_OVERSIZE', `sealed message: ${sealed.length} bytes`)
      if (sealed[0] !== VERSION) fail('E_UNKNOWN_VERSION', 'sealed message: unknown version')
      const head = sealed.subarray(0, 33)
      const E = sealed.subarray(1, 33)
      const c1 = sealed.subarray(33, SEALED_HEADER_BYTES)
      const es = await agree(provider, mine, provider.importPublic(E.slice()))
      const from = decrypt(deriveKey(es, SALT, concatBytes(INFO_SENDER, E, keys.xPublic), 32), head, c1)
      let sender: Peer
      try {
        sender = peer(from)
      } catch (cause) {
        return fail('E_BAD_SEAL', 'sealed message: the sealed sender is not a valid identity key', cause)
      }
      const k2 = deriveKey(concatBytes(es, await sender.ss), SALT, concatBytes(INFO_LETTER, E, from, keys.xPublic), 32)
      const padded = decrypt(k2, concatBytes(head, c1), sealed.subarray(SEALED_HEADER_BYTES))
      const letter = decodeLetter(unpad(padded, MAX_LETTER_BYTES), options)
      // a copy for the sender's own devices names the real recipient; any other letter must name me
      if (!equal(letter.to, keys.publicKey) && !equal(from, keys.publicKey)) fail('E_BAD_SEAL', 'sealed message: the letter names another recipient')
      return { from: from as PublicKey, letter }
    },
  }
}

const ZERO_NONCE = new Uint8Array(12)

function aead(key: Uint8Array, aad: Uint8Array) {
  return chacha20poly1305(key, ZERO_NONCE, aad)
}

function decrypt(key: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  try {
    return aead(key, aad).decrypt(ciphertext)
  } catch (cause) {
    if (isWildgrassError(cause)) throw cause
    return fail('E_BAD_SEAL', 'sealed message: does not open with this key (changed, or not for me)', cause)
  }
}

/** Constant-time comparison of keys (the letter's recipient against mine). */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let d = 0
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!
  return d === 0
}
