// The signed envelope every Automerge change of a feed document travels in
// (protocol/feed-envelope.md). Core never imports Automerge: the change is opaque bytes here;
// the store checks that they are an Automerge change (protocol/feed-document.md). Like events
// (event-verify.ts), an envelope core verified or signed is remembered: verified once.
import { equalBytes } from './bytes.ts'
import { copyBytes, decodeCanonicalMap, encodeCanonical, expectBytes, expectVersion, rejectUnknownFields } from './cbor.ts'
import { encodeDidKey } from './did-key.ts'
import { fail } from './errors.ts'
import { checkSignature, getPublicKey, sign, signedBytes, type SignatureVerifier } from './keys.ts'
import { MAX_CHANGE_BYTES, MAX_CHANGE_ENVELOPE_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './limits.ts'
import type { AuthorId, PublicKey, SecretKey } from './types.ts'

export interface ChangeEnvelope {
  readonly v: 1
  readonly author: AuthorId
  /** one Automerge change, opaque to core */
  readonly change: Uint8Array
  readonly sig: Uint8Array
  /** canonical wire encoding */
  readonly bytes: Uint8Array
}

declare const verifiedBrand: unique symbol
/** An envelope whose signature core has checked (or that core signed). */
export type VerifiedChangeEnvelope = ChangeEnvelope & { readonly [verifiedBrand]: true }

const FIELDS = new Set(['v', 'author', 'change', 'sig'])
const known = new WeakMap<ChangeEnvelope, { unsigned: Uint8Array; publicKey: Uint8Array }>()
const verified = new WeakSet<ChangeEnvelope>()

/** Only envelopes decodeChangeEnvelope made (frozen) are remembered; a copy is checked each time. */
function markVerified(envelope: ChangeEnvelope): VerifiedChangeEnvelope {
  if (known.has(envelope)) verified.add(envelope)
  return envelope as VerifiedChangeEnvelope
}

function checkChange(change: unknown): asserts change is Uint8Array {
  if (!(change instanceof Uint8Array)) fail('E_MALFORMED', 'change: not bytes')
  if (change.length === 0) fail('E_BAD_CHANGE', 'change: empty')
  if (change.length > MAX_CHANGE_BYTES) fail('E_OVERSIZE', `change: ${change.length} bytes, limit ${MAX_CHANGE_BYTES}`)
}

/** Signs one change as the document owner (so verified). Throws E_BAD_CHANGE (empty) or E_OVERSIZE. */
export function signChange(secret: SecretKey, change: Uint8Array): VerifiedChangeEnvelope {
  checkChange(change)
  const author = getPublicKey(secret)
  const unsigned = { v: 1, author, change }
  const sig = sign(secret, signedBytes('wildgrass/change/v1', encodeCanonical(unsigned)))
  return markVerified(decodeChangeEnvelope(encodeCanonical({ ...unsigned, sig })))
}

/** Decodes an envelope: canonical DAG-CBOR, version, fields, sizes. No signature check. */
export function decodeChangeEnvelope(input: Uint8Array): ChangeEnvelope {
  const map = decodeCanonicalMap(input, MAX_CHANGE_ENVELOPE_BYTES, 'change envelope')
  expectVersion(map, 1, 'change envelope')
  rejectUnknownFields(map, FIELDS, 'change envelope')
  const publicKey = expectBytes(map.author, PUBLIC_KEY_BYTES, 'E_BAD_KEY', 'author')
  const author = encodeDidKey(publicKey as PublicKey)
  checkChange(map.change)
  const sig = expectBytes(map.sig, SIGNATURE_BYTES, 'E_MALFORMED', 'sig')
  const envelope: ChangeEnvelope = Object.freeze({
    v: 1,
    author,
    change: copyBytes(map.change),
    sig: copyBytes(sig),
    bytes: copyBytes(input),
  })
  known.set(envelope, { unsigned: encodeCanonical({ v: 1, author: publicKey, change: map.change }), publicKey: copyBytes(publicKey) })
  return envelope
}

/** Checks the envelope's signature by its author; at once for one core already verified. */
export async function verifyChangeEnvelope(envelope: ChangeEnvelope, options: { verifier?: SignatureVerifier } = {}): Promise<VerifiedChangeEnvelope> {
  if (verified.has(envelope)) return envelope as VerifiedChangeEnvelope
  // An object that did not come from decodeChangeEnvelope is judged by its bytes, and its fields
  // must be what the bytes say: no verifying one change and applying another.
  const decoded = known.has(envelope) ? envelope : decodeChangeEnvelope(envelope.bytes)
  if (decoded !== envelope && !(decoded.author === envelope.author && equalBytes(decoded.change, envelope.change) && equalBytes(decoded.sig, envelope.sig))) {
    fail('E_BAD_SIGNATURE', 'change envelope fields do not match its bytes')
  }
  const parts = known.get(decoded)!
  await checkSignature({ publicKey: parts.publicKey, message: signedBytes('wildgrass/change/v1', parts.unsigned), signature: decoded.sig }, options.verifier)
  return markVerified(envelope)
}

/**
 * Decode + verify + owner check: a change is accepted into `owner`'s feed document only when
 * the owner signed it (E_WRONG_AUTHOR otherwise). What sync and gossip call on receipt. Without
 * `owner`, the document is the one of the author the envelope names (gossip: the change goes
 * to that author's document only, so that author's signature is exactly the right check).
 */
export async function openChangeEnvelope(bytes: Uint8Array, owner?: AuthorId, options: { verifier?: SignatureVerifier } = {}): Promise<VerifiedChangeEnvelope> {
  const envelope = decodeChangeEnvelope(bytes)
  if (owner !== undefined && envelope.author !== owner) fail('E_WRONG_AUTHOR', 'change envelope: not signed by the document owner')
  return verifyChangeEnvelope(envelope, options)
}
