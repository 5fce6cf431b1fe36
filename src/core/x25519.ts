// X25519 (RFC 7748) for direct messages, behind a small provider interface: WebCrypto where the
// platform has it (Chromium's BoringSSL, Node's OpenSSL), @noble/curves otherwise; Node peers and
// benchmarks may pass a synchronous node:crypto provider (src/net/x25519-node.ts), as they do for
// signatures. Every provider gives the same bytes (vectors run them all). A low-order peer key
// (all-zero shared secret) is E_BAD_SEAL.
import { x25519 } from '@noble/curves/ed25519.js'
import { concatBytes, fromHex } from './bytes.ts'
import { fail } from './errors.ts'

/** A secret as its provider holds it (imported once). */
export interface X25519Secret {
  readonly handle: unknown
}

/** A peer's public key, imported once when it is used more than once (a recipient, a sender). */
export interface X25519Public {
  readonly bytes: Uint8Array
  readonly handle?: unknown
}

export interface X25519Provider {
  readonly name: string
  importSecret(bytes: Uint8Array): Promise<X25519Secret>
  importPublic(bytes: Uint8Array): X25519Public
  /** a fresh one-time key pair; `fixed` gives that secret's pair (vectors only) */
  generate(fixed?: Uint8Array): Promise<{ secret: X25519Secret; publicKey: Uint8Array }>
  /** the raw shared secret; throws anything on a low-order key (callers map it to E_BAD_SEAL) */
  shared(secret: X25519Secret, peer: X25519Public): Promise<Uint8Array> | Uint8Array
}

// PKCS #8 wrapping of a raw X25519 private key (RFC 8410): the one private import that Node and
// Chromium both take without the public key.
export const X25519_PKCS8_PREFIX = fromHex('302e020100300506032b656e04220420')
const BASE_POINT = new Uint8Array(32)
BASE_POINT[0] = 9

export const nobleX25519: X25519Provider = {
  name: 'noble',
  async importSecret(bytes) {
    return { handle: bytes.slice() }
  },
  importPublic: (bytes) => ({ bytes }),
  async generate(fixed) {
    const bytes = fixed ?? x25519.utils.randomSecretKey()
    return { secret: { handle: bytes }, publicKey: x25519.getPublicKey(bytes) }
  },
  shared: (secret, peer) => x25519.getSharedSecret(secret.handle as Uint8Array, peer.bytes),
}

function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle
}

export const webCryptoX25519: X25519Provider = {
  name: 'webcrypto',
  async importSecret(bytes) {
    const der = concatBytes(X25519_PKCS8_PREFIX, bytes) as Uint8Array<ArrayBuffer>
    return { handle: await subtle().importKey('pkcs8', der, { name: 'X25519' }, false, ['deriveBits']) }
  },
  importPublic(bytes) {
    const handle = subtle().importKey('raw', bytes.slice() as Uint8Array<ArrayBuffer>, { name: 'X25519' }, false, [])
    handle.catch(() => undefined) // judged where it is used
    return { bytes, handle }
  },
  async generate(fixed) {
    if (fixed !== undefined) {
      const secret = await this.importSecret(fixed)
      return { secret, publicKey: await this.shared(secret, this.importPublic(BASE_POINT)) }
    }
    // native key generation (a fixed-base multiplication) is the cheapest way to a one-time key
    const pair = (await subtle().generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair
    return { secret: { handle: pair.privateKey }, publicKey: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)) }
  },
  async shared(secret, peer) {
    const key = await ((peer.handle as Promise<CryptoKey> | undefined) ?? (this.importPublic(peer.bytes).handle as Promise<CryptoKey>))
    return new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: key }, secret.handle as CryptoKey, 256))
  },
}

let chosen: Promise<X25519Provider> | undefined

/** WebCrypto when it does X25519 here (probed once with RFC 7748 §6.1), noble otherwise. */
export function defaultX25519(): Promise<X25519Provider> {
  chosen ??= probe().then((ok) => (ok ? webCryptoX25519 : nobleX25519))
  return chosen
}

async function probe(): Promise<boolean> {
  if (globalThis.crypto?.subtle === undefined) return false
  try {
    const alice = await webCryptoX25519.importSecret(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'))
    const bob = webCryptoX25519.importPublic(fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'))
    const shared = await webCryptoX25519.shared(alice, bob)
    return shared[0] === 0x4a && shared[31] === 0x42
  } catch {
    return false
  }
}

/** The provider's shared secret, every failure as E_BAD_SEAL. */
export async function agree(provider: X25519Provider, secret: X25519Secret, peer: X25519Public): Promise<Uint8Array> {
  try {
    return await provider.shared(secret, peer)
  } catch (cause) {
    return fail('E_BAD_SEAL', 'key agreement failed (a low-order or malformed key)', cause)
  }
}
