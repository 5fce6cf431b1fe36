// Signature checks of events (protocol/events.md §3; protocol/identity.md for the strict
// Ed25519 rules) and the network-boundary entry points openEvent/openEvents.
//
// Each object is verified once. An event core has verified (openEvent, openEvents, verifyEvent)
// or signed itself (createEvent) is remembered, as nostr-tools marks an event with its
// `verifiedSymbol`; verifying it again returns at once, so a layer handed an opened event (the
// store, a relay's archive) may call verifyEvents on it for free. The mark is a module-private
// WeakSet rather than a property: our events are frozen, and a property anyone can set would
// let a hand-made object pass as verified. A copy is verified each time it is checked.
import { equalBytes } from './bytes.ts'
import { encodeCanonical } from './cbor.ts'
import { decodeDidKey } from './did-key.ts'
import { WildgrassError, fail, type ErrorCode } from './errors.ts'
import { decodeEvent, knownPartsOf, type EventOptions } from './event-decode.ts'
import { eventToWire } from './event-wire.ts'
import { checkSignature, signedBytes, verifyBatch, type SignatureVerifier, type VerifyItem } from './keys.ts'
import type { SignedEvent } from './types.ts'

declare const verifiedBrand: unique symbol
/** An event whose signature core has checked (or that core signed): the type of opened events. */
export type VerifiedEvent = SignedEvent & { readonly [verifiedBrand]: true }

export type OpenResult = { ok: true; event: VerifiedEvent } | { ok: false; code: ErrorCode; message: string }

export interface VerifyOptions {
  /** a synchronous signature backend (keys.ts SignatureVerifier); default core's */
  readonly verifier?: SignatureVerifier
}

const verified = new WeakSet<SignedEvent>()

/**
 * Marks an event core has just verified or signed; returns it typed as such. Only objects
 * decodeEvent made are remembered: they are frozen, so what was verified cannot change after.
 */
export function markVerified(event: SignedEvent): VerifiedEvent {
  if (knownPartsOf(event) !== undefined) verified.add(event)
  return event as VerifiedEvent
}

/** True when core verified (or signed) this very object. */
export function isVerifiedEvent(event: SignedEvent): event is VerifiedEvent {
  return verified.has(event)
}

// An event object that did not come from decodeEvent/createEvent (a copy, a hand-made object) is
// judged by its fields, and its `bytes` must be exactly their signed encoding: otherwise a caller
// could verify one content and store or forward other bytes. A mismatch is E_BAD_SIGNATURE.
const MISMATCH = Symbol('bytes do not match the fields')

function verifyItemOf(e: SignedEvent): VerifyItem | typeof MISMATCH {
  const parts = knownPartsOf(e)
  if (parts !== undefined) return { publicKey: parts.publicKey, message: parts.signed, signature: e.sig }
  const wire = eventToWire(e)
  if (!(e.bytes instanceof Uint8Array) || !equalBytes(encodeCanonical({ ...wire, sig: e.sig }), e.bytes)) return MISMATCH
  return { publicKey: decodeDidKey(e.author), message: signedBytes('wildgrass/event/v1', encodeCanonical(wire)), signature: e.sig }
}

/** Checks the author's signature only (decodeEvent did the rest). Throws E_BAD_SIGNATURE etc. */
export async function verifyEvent(event: SignedEvent, options: VerifyOptions = {}): Promise<VerifiedEvent> {
  if (verified.has(event)) return event as VerifiedEvent
  const item = verifyItemOf(event)
  if (item === MISMATCH) fail('E_BAD_SIGNATURE', 'event bytes do not match its fields')
  await checkSignature(item, options.verifier)
  return markVerified(event)
}

/**
 * Verifies many events at once (verifyBatch): null for a valid one, else its error code.
 * Events already verified cost nothing.
 */
export async function verifyEvents(events: readonly SignedEvent[]): Promise<Array<ErrorCode | null>> {
  const items = events.map((e) => (verified.has(e) ? null : verifyItemOf(e)))
  const pending = items.filter((it): it is VerifyItem => it !== null && it !== MISMATCH)
  const codes = pending.length === 0 ? [] : await verifyBatch(pending)
  let next = 0
  return items.map((it, i) => {
    if (it === null) return null
    if (it === MISMATCH) return 'E_BAD_SIGNATURE'
    const code = codes[next++]!
    if (code === null) markVerified(events[i]!)
    return code
  })
}

/** Decode + verify: what every network boundary calls before storing or forwarding. */
export async function openEvent(bytes: Uint8Array, options: EventOptions & VerifyOptions = {}): Promise<VerifiedEvent> {
  return verifyEvent(decodeEvent(bytes, options), options)
}

/** openEvent for a batch: one result per input, in order; never throws for bad input. */
export async function openEvents(list: readonly Uint8Array[], options: EventOptions = {}): Promise<OpenResult[]> {
  const now = options.now ?? Date.now()
  const results: OpenResult[] = new Array<OpenResult>(list.length)
  const decoded: SignedEvent[] = []
  const slots: number[] = []
  list.forEach((bytes, i) => {
    try {
      decoded.push(decodeEvent(bytes, { now }))
      slots.push(i)
    } catch (error) {
      results[i] = failure(error)
    }
  })
  const codes = await verifyEvents(decoded)
  codes.forEach((code, j) => {
    const i = slots[j]!
    results[i] = code === null ? { ok: true, event: decoded[j] as VerifiedEvent } : { ok: false, code, message: `${code}: signature check failed` }
  })
  return results
}

function failure(error: unknown): OpenResult {
  if (error instanceof WildgrassError) return { ok: false, code: error.code, message: error.message }
  // Decoders only throw WildgrassError (fuzz-tested); anything else is a bug, not bad input.
  throw error
}
