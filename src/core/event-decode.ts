// Decoding untrusted event bytes (protocol/events.md §Validation): size, canonical DAG-CBOR,
// structure, content rules, timestamps — everything except the signature (event-verify.ts).
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from './bytes.ts'
import { copyBytes, decodeCanonicalMap, encodeCanonical } from './cbor.ts'
import { fail } from './errors.ts'
import { eventFromWire, eventToWire } from './event-wire.ts'
import { validateEvent } from './event-validate.ts'
import { MAX_EVENT_BYTES, SIGNATURE_BYTES } from './limits.ts'
import type { EventId, SignedEvent, UnsignedEvent } from './types.ts'

export interface EventOptions {
  /** the verifier's clock in ms since the epoch (default Date.now()); timestamps are judged against it */
  readonly now?: number
}

interface Known {
  readonly unsigned: Uint8Array
  readonly publicKey: Uint8Array
}

// Memo of what decoding already computed (canonical unsigned bytes, author key), so that
// verification does not encode again. Keyed by the frozen event objects this module returns.
const known = new WeakMap<SignedEvent, Known>()

/** What decodeEvent/createEvent remembered of a frozen event, if it came from them. */
export function knownPartsOf(e: SignedEvent): Known | undefined {
  return known.get(e)
}

/** Canonical DAG-CBOR bytes of the unsigned event: the input of the id and of the signature. */
export function unsignedEventBytes(e: UnsignedEvent): Uint8Array {
  return encodeCanonical(eventToWire(e))
}

/** The event id: lowercase hex SHA-256 of the canonical unsigned bytes (protocol/events.md §Id). */
export function eventIdOf(unsignedBytes: Uint8Array): EventId {
  return toHex(sha256(unsignedBytes)) as EventId
}

/** Decodes and validates a signed event without checking its signature. Throws WildgrassError. */
export function decodeEvent(input: Uint8Array, options: EventOptions = {}): SignedEvent {
  const map = decodeCanonicalMap(input, MAX_EVENT_BYTES, 'event')
  const unsignedEvent = eventFromWire(map, true)
  const sig = map.sig
  if (!(sig instanceof Uint8Array)) fail('E_MALFORMED', 'sig: missing or not bytes')
  if (sig.length !== SIGNATURE_BYTES) fail('E_MALFORMED', `sig: ${sig.length} bytes, expected ${SIGNATURE_BYTES}`)
  validateEvent(unsignedEvent, options.now ?? Date.now())
  const { sig: _sig, ...unsignedMap } = map
  const unsigned = encodeCanonical(unsignedMap)
  // Copies: the caller may reuse its buffer; decoded byte fields may be views into it.
  const event = freezeEvent({ ...unsignedEvent, id: eventIdOf(unsigned), sig: copyBytes(sig), bytes: copyBytes(input) } as SignedEvent)
  known.set(event, { unsigned, publicKey: copyBytes(map.author as Uint8Array) })
  return event
}

function freezeEvent(e: SignedEvent): SignedEvent {
  if (e.kind === 'post') {
    const b = e.body
    if (b.reply) Object.freeze(b.reply)
    if (b.mentions) Object.freeze(b.mentions)
    if (b.tags) Object.freeze(b.tags)
  }
  Object.freeze(e.body)
  return Object.freeze(e)
}
