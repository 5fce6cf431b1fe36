// Decoding untrusted event bytes (protocol/events.md §4): size, canonical DAG-CBOR,
// structure, content rules, timestamps — everything except the signature (event-verify.ts).
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from './bytes.ts'
import { copyBytes, decodeCanonicalMap, encodeCanonical } from './cbor.ts'
import { fail } from './errors.ts'
import { eventFromWire, eventToWire } from './event-wire.ts'
import { validateEvent } from './event-validate.ts'
import { signedBytes } from './keys.ts'
import { MAX_EVENT_BYTES, SIGNATURE_BYTES } from './limits.ts'
import type { EventId, SignedEvent, UnsignedEvent } from './types.ts'

export interface EventOptions {
  /** the verifier's clock in ms since the epoch (default Date.now()); timestamps are judged against it */
  readonly now?: number
}

interface Known {
  /** what the signature covers: tag ‖ 0x00 ‖ unsigned (conventions.md) */
  readonly signed: Uint8Array
  /** the canonical unsigned bytes: a view into `signed` */
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

/** The event id: lowercase hex SHA-256 of the canonical unsigned bytes (protocol/events.md §2). */
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
  const signed = cutSignature(input) ?? signedBytes(EVENT_TAG, encodeUnsigned(map))
  const unsigned = signed.subarray(SIGNED_PREFIX)
  // Copies: the caller may reuse its buffer; decoded byte fields may be views into it.
  const event = freezeEvent({ ...unsignedEvent, id: eventIdOf(unsigned), sig: copyBytes(sig), bytes: copyBytes(input) } as SignedEvent)
  known.set(event, { signed, unsigned, publicKey: copyBytes(map.author as Uint8Array) })
  return event
}

function encodeUnsigned(map: Record<string, unknown>): Uint8Array {
  const { sig: _sig, ...unsignedMap } = map
  return encodeCanonical(unsignedMap)
}

// The canonical signed map starts `a6 61 76 01 62 74 73 1b <8-byte ts> 63 73 69 67 58 40 <sig>`:
// six keys in DAG-CBOR order v, ts, sig, … and ts ≥ 2024 always takes the 8-byte head. Removing
// the sig entry and lowering the count gives exactly the canonical unsigned map (events.md §2),
// one encode fewer per decoded event; it is written straight after the signing tag, so the
// signed message needs no second copy. Anything else falls back to encoding.
const EVENT_TAG = 'wildgrass/event/v1'
/** tag ‖ 0x00, in front of the unsigned bytes */
const SIGNED_HEAD = signedBytes(EVENT_TAG, new Uint8Array(0))
const SIGNED_PREFIX = SIGNED_HEAD.length
const SIG_AT = 16
const PREFIX = [0xa6, 0x61, 0x76, 0x01, 0x62, 0x74, 0x73, 0x1b]
const SIG_KEY = [0x63, 0x73, 0x69, 0x67, 0x58, 0x40]
const SIG_ENTRY = SIG_KEY.length + 64

/** tag ‖ 0x00 ‖ the unsigned map cut out of `bytes`, or undefined when not in the usual form */
function cutSignature(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < SIG_AT + SIG_ENTRY) return undefined
  for (let i = 0; i < PREFIX.length; i++) if (bytes[i] !== PREFIX[i]) return undefined
  for (let i = 0; i < SIG_KEY.length; i++) if (bytes[SIG_AT + i] !== SIG_KEY[i]) return undefined
  const out = new Uint8Array(SIGNED_PREFIX + bytes.length - SIG_ENTRY)
  out.set(SIGNED_HEAD)
  out.set(bytes.subarray(0, SIG_AT), SIGNED_PREFIX)
  out.set(bytes.subarray(SIG_AT + SIG_ENTRY), SIGNED_PREFIX + SIG_AT)
  out[SIGNED_PREFIX] = 0xa5
  return out
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
