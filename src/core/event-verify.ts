// Signature checks of events (protocol/events.md §3; protocol/identity.md for the strict
// Ed25519 rules) and the network-boundary entry points openEvent/openEvents.
import { equalBytes } from './bytes.ts'
import { encodeCanonical } from './cbor.ts'
import { decodeDidKey } from './did-key.ts'
import { WildgrassError, fail, type ErrorCode } from './errors.ts'
import { decodeEvent, knownPartsOf, type EventOptions } from './event-decode.ts'
import { eventToWire } from './event-wire.ts'
import { signedBytes, verifyBatch, verifySignature, type VerifyItem } from './keys.ts'
import type { SignedEvent } from './types.ts'

export type OpenResult = { ok: true; event: SignedEvent } | { ok: false; code: ErrorCode; message: string }

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
export async function verifyEvent(event: SignedEvent): Promise<void> {
  const item = verifyItemOf(event)
  if (item === MISMATCH) fail('E_BAD_SIGNATURE', 'event bytes do not match its fields')
  await verifySignature(item.publicKey, item.message, item.signature)
}

/** Verifies many events at once (verifyBatch): null for a valid one, else its error code. */
export async function verifyEvents(events: readonly SignedEvent[]): Promise<Array<ErrorCode | null>> {
  const items = events.map(verifyItemOf)
  const real = items.filter((it): it is VerifyItem => it !== MISMATCH)
  const codes = await verifyBatch(real)
  let next = 0
  return items.map((it) => (it === MISMATCH ? 'E_BAD_SIGNATURE' : codes[next++]!))
}

/** Decode + verify: what every network boundary calls before storing or forwarding. */
export async function openEvent(bytes: Uint8Array, options: EventOptions = {}): Promise<SignedEvent> {
  const event = decodeEvent(bytes, options)
  await verifyEvent(event)
  return event
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
    results[i] = code === null ? { ok: true, event: decoded[j]! } : { ok: false, code, message: `${code}: signature check failed` }
  })
  return results
}

function failure(error: unknown): OpenResult {
  if (error instanceof WildgrassError) return { ok: false, code: error.code, message: error.message }
  // Decoders only throw WildgrassError (fuzz-tested); anything else is a bug, not bad input.
  throw error
}

