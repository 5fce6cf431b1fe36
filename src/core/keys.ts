// Ed25519 identity keys and strict signature verification (protocol/identity.md).
// Signing is synchronous and deterministic (RFC 8032) through @noble/ed25519. Verification is
// strict so that every verifier agrees: WebCrypto where the platform has it, noble otherwise,
// with the same answer and the same error code on every input.

import { getPublicKey as nobleGetPublicKey, sign as nobleSign } from '@noble/ed25519'
import type { PublicKey, SecretKey } from './types.ts'
import { fail, type ErrorCode } from './errors.ts'
import { concatBytes } from './bytes.ts'
import { checkPublicKey, classifyStrict } from './ed25519-strict.ts'
import { hasWebCryptoEd25519, verifyWithWebCrypto } from './ed25519-webcrypto.ts'

export { hasWebCryptoEd25519 } from './ed25519-webcrypto.ts'

/** Domain-separation tags (protocol/conventions.md, "Signed bytes"). */
export type SigningTag =
  | 'wildgrass/event/v1'
  | 'wildgrass/change/v1'
  | 'wildgrass/invite/v1'
  | 'wildgrass/relay/v1'
  | 'wildgrass/release/v1'
  | 'wildgrass/mailbox/v1'
  | 'wildgrass/blob/v1'

export const SIGNING_TAGS: readonly SigningTag[] = [
  'wildgrass/event/v1',
  'wildgrass/change/v1',
  'wildgrass/invite/v1',
  'wildgrass/relay/v1',
  'wildgrass/release/v1',
  'wildgrass/mailbox/v1',
  'wildgrass/blob/v1',
]

export type VerifyBackend = 'webcrypto' | 'noble'

export interface VerifyItem {
  publicKey: Uint8Array
  message: Uint8Array
  signature: Uint8Array
}

/**
 * A pluggable, synchronous signature check. Core's own verifySignature is async (WebCrypto: a
 * thread-pool hop per call); on Node a synchronous backend over node:crypto is much faster per
 * message under load (src/net/verify-node.ts). Passed in by the caller, so core stays pure and
 * browser builds never see node:crypto. Every backend must give exactly core's answer and
 * error code on every input: null when valid under protocol/identity.md's strict rules.
 */
export interface SignatureVerifier {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): ErrorCode | null
}

/** Checks one signature through `verifier` when given, else verifySignature; throws typed. */
export async function checkSignature(item: VerifyItem, verifier?: SignatureVerifier): Promise<void> {
  if (verifier === undefined) return verifySignature(item.publicKey, item.message, item.signature)
  const code = verifier.verify(item.publicKey, item.message, item.signature)
  if (code !== null) throwCode(code)
}

function assertSecretKey(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) fail('E_BAD_KEY', 'secret key must be 32 bytes')
}

/** A fresh 32-byte secret seed from the platform CSPRNG. */
export function generateSecretKey(): SecretKey {
  return globalThis.crypto.getRandomValues(new Uint8Array(32)) as SecretKey
}

/** The public key of a 32-byte secret seed (RFC 8032 section 5.1.5). */
export function getPublicKey(secret: SecretKey): PublicKey {
  assertSecretKey(secret)
  return nobleGetPublicKey(secret) as PublicKey
}

/** Deterministic RFC 8032 signature: 64 bytes R || S. Sign signedBytes(tag, ...), never raw bytes. */
export function sign(secret: SecretKey, message: Uint8Array): Uint8Array {
  assertSecretKey(secret)
  return nobleSign(message, secret)
}

const TAG_BYTES = new Map<SigningTag, Uint8Array>(SIGNING_TAGS.map((t) => [t, new TextEncoder().encode(t)]))

/** The exact bytes Ed25519 signs: ASCII tag || 0x00 || canonical unsigned bytes (conventions.md). */
export function signedBytes(tag: SigningTag, unsigned: Uint8Array): Uint8Array {
  const t = TAG_BYTES.get(tag)
  if (t === undefined) return fail('E_MALFORMED', `unknown signing tag`)
  return concatBytes(t, new Uint8Array([0]), unsigned)
}

/** Throws E_BAD_KEY (length, non-canonical, off-curve) or E_SMALL_ORDER_KEY (identity.md). */
export function assertPublicKey(bytes: Uint8Array): asserts bytes is PublicKey {
  const code = checkPublicKey(bytes)
  if (code !== null) fail(code, code === 'E_SMALL_ORDER_KEY' ? 'public key has small order' : 'not a valid Ed25519 public key')
}

const MESSAGES: Record<string, string> = {
  E_BAD_KEY: 'not a valid Ed25519 public key',
  E_SMALL_ORDER_KEY: 'public key has small order',
  E_NON_CANONICAL_SIG: 'signature is not canonical (S >= L, or R not a canonical point of large order)',
  E_BAD_SIGNATURE: 'signature does not verify',
  E_MALFORMED: 'message is not bytes',
}

function throwCode(code: ErrorCode): never {
  return fail(code, MESSAGES[code] ?? 'signature rejected')
}

/** Verify with a chosen backend (tests, benchmarks). Resolves when valid, otherwise throws typed. */
export async function verifySignatureWith(backend: VerifyBackend, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<void> {
  const code = await classifyWith(backend, publicKey, message, signature)
  if (code !== null) throwCode(code)
}

async function classifyWith(backend: VerifyBackend, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<ErrorCode | null> {
  if (backend === 'noble') return classifyStrict(publicKey, message, signature)
  if (!(await hasWebCryptoEd25519())) fail('E_MALFORMED', 'WebCrypto Ed25519 is not available on this platform')
  return verifyWithWebCrypto(publicKey, message, signature)
}

async function pickBackend(): Promise<VerifyBackend> {
  return (await hasWebCryptoEd25519()) ? 'webcrypto' : 'noble'
}

/**
 * Strict Ed25519 verification (identity.md): resolves when valid; throws E_BAD_KEY,
 * E_SMALL_ORDER_KEY, E_NON_CANONICAL_SIG or E_BAD_SIGNATURE.
 */
export async function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<void> {
  return verifySignatureWith(await pickBackend(), publicKey, message, signature)
}

// Verifications in flight at once: enough to keep the WebCrypto thread pool busy, few enough
// that a batch of 100,000 does not allocate 100,000 promises up front. Lanes pull the next item
// as soon as they finish one, so a slow item never stalls a whole chunk.
const BATCH_LANES = 256

/** verifyBatch with a chosen backend (tests, benchmarks). */
export async function verifyBatchWith(backend: VerifyBackend, items: readonly VerifyItem[]): Promise<Array<ErrorCode | null>> {
  const out = new Array<ErrorCode | null>(items.length)
  if (backend === 'noble') {
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!
      out[i] = classifyStrict(it.publicKey, it.message, it.signature)
    }
    return out
  }
  if (!(await hasWebCryptoEd25519())) fail('E_MALFORMED', 'WebCrypto Ed25519 is not available on this platform')
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      const it = items[i]!
      out[i] = await verifyWithWebCrypto(it.publicKey, it.message, it.signature)
    }
  }
  const lanes: Array<Promise<void>> = []
  for (let l = 0; l < Math.min(BATCH_LANES, items.length); l++) lanes.push(lane())
  await Promise.all(lanes)
  return out
}

/** Verify many signatures: one answer per item, null = valid, else the code verifySignature would throw. */
export async function verifyBatch(items: readonly VerifyItem[]): Promise<Array<ErrorCode | null>> {
  return verifyBatchWith(await pickBackend(), items)
}
