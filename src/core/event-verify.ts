// Signature checks of events (protocol/events.md §Signing; protocol/identity.md for the strict
// Ed25519 rules) and the network-boundary entry points openEvent/openEvents.
import { decodeDidKey } from './did-key.ts'
import { WildgrassError, type ErrorCode } from './errors.ts'
import { decodeEvent, knownPartsOf, unsignedEventBytes, type EventOptions } from './event-decode.ts'
import { signedBytes, verifyBatch, verifySignature, type VerifyItem } from './keys.ts'
import type { SignedEvent } from './types.ts'

export type OpenResult = { ok: true; event: SignedEvent } | { ok: false; code: ErrorCode; message: string }

function verifyItemOf(e: SignedEvent): VerifyItem {
  const parts = knownPartsOf(e)
  const unsigned = parts?.unsigned ?? unsignedEventBytes(e)
  const publicKey = parts?.publicKey ?? decodeDidKey(e.author)
  return { publicKey, message: signedBytes('wildgrass/event/v1', unsigned), signature: e.sig }
}

/** Checks the author's signature only (decodeEvent did the rest). Throws E_BAD_SIGNATURE etc. */
export async function verifyEvent(event: SignedEvent): Promise<void> {
  const item = verifyItemOf(event)
  await verifySignature(item.publicKey, item.message, item.signature)
}

/** Verifies many events at once (verifyBatch): null for a valid one, else its error code. */
export async function verifyEvents(events: readonly SignedEvent[]): Promise<Array<ErrorCode | null>> {
  return verifyBatch(events.map(verifyItemOf))
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
  const codes = await verifyBatch(decoded.map(verifyItemOf))
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

