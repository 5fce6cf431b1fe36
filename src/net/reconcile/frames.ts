// Frames of /wildgrass/reconcile/1.0.0 (protocol/reconcile.md §Frames): one DAG-CBOR map per
// length-prefixed frame, as in sync (protocol/sync.md §Framing). decodeReconcileFrame is the
// only way in for a peer's bytes; it throws WildgrassError (E_TRUNCATED, E_OVERSIZE,
// E_MALFORMED, E_NON_CANONICAL, E_BAD_TEXT, E_UNKNOWN_FIELD) and nothing else. The Negentropy message inside `neg` is
// decoded by negentropy.ts when it is used.
import { decodeMap, encodeCanonical, fail, isWildgrassError, utf8Length } from '../../core/index.ts'
import type { CborMap } from '../../core/index.ts'
import { MAX_CHANGE_ENVELOPE_BYTES, MAX_EVENT_BYTES } from '../sync/limits.ts'
import { ITEM_ID_BYTES } from './negentropy.ts'

export const RECONCILE_PROTOCOL = '/wildgrass/reconcile/1.0.0'
/** largest frame either side accepts */
export const MAX_RECONCILE_FRAME_BYTES = 1024 * 1024
/** largest Negentropy message in a `neg` frame; a side's output budget stays under it */
export const MAX_NEG_MESSAGE_BYTES = 256 * 1024
/** item ids in one `get` */
export const MAX_GET_IDS = 1024
/** events plus changes in one `items` frame */
export const MAX_ITEMS_PER_RECONCILE_FRAME = 1024
/** payload of one `items` frame */
export const ITEMS_PAYLOAD_BUDGET = MAX_RECONCILE_FRAME_BYTES - 64 * 1024
/** Negentropy rounds one session may take: a hostile peer cannot keep it going */
export const MAX_NEG_ROUNDS = 64
/**
 * a session's whole time, either side: a peer that answers just within each read's 30 s, or
 * keeps asking, cannot hold one of a responder's few sessions for long (a million-event session
 * takes seconds; a new relay fetching half a million items over 10 Mbit/s, about 3 minutes)
 */
export const MAX_SESSION_MS = 10 * 60_000
/**
 * items an initiator pushes, and a responder takes, in one session (protocol/reconcile.md §Flow):
 * 2^19, above the about 515,000 ids 64 rounds can find, so that one session per pair moves as
 * much each way as the two one-way sessions did; each item is verified by the responder.
 */
export const MAX_PUSH_ITEMS = 524_288

export type ReconcileFrame =
  | { t: 'neg'; msg: Uint8Array }
  | { t: 'get'; ids: Uint8Array[] }
  | { t: 'items'; events: Uint8Array[]; changes: Uint8Array[]; done: boolean }
  | { t: 'push'; events: Uint8Array[]; changes: Uint8Array[] }
  | { t: 'error'; code: string; message: string }

export function encodeReconcileFrame(frame: ReconcileFrame): Uint8Array {
  const bytes = encodeCanonical(frame)
  if (bytes.length > MAX_RECONCILE_FRAME_BYTES) fail('E_OVERSIZE', `reconcile frame of ${bytes.length} bytes`)
  return bytes
}

export function decodeReconcileFrame(bytes: Uint8Array): ReconcileFrame {
  try {
    return decodeUnchecked(bytes)
  } catch (err) {
    if (isWildgrassError(err)) throw err
    return fail('E_MALFORMED', 'reconcile frame', err)
  }
}

function decodeUnchecked(bytes: Uint8Array): ReconcileFrame {
  const m = decodeMap(bytes, MAX_RECONCILE_FRAME_BYTES, 'reconcile frame')
  switch (m.t) {
    case 'neg':
      fields(m, ['t', 'msg'])
      return { t: 'neg', msg: blob(m.msg, 1, MAX_NEG_MESSAGE_BYTES, 'msg') }
    case 'get':
      fields(m, ['t', 'ids'])
      return { t: 'get', ids: list(m.ids, MAX_GET_IDS, 'ids').map((v) => blob(v, ITEM_ID_BYTES, ITEM_ID_BYTES, 'id')) }
    case 'items': {
      fields(m, ['t', 'events', 'changes', 'done'])
      const { events, changes } = itemLists(m)
      if (typeof m.done !== 'boolean') fail('E_MALFORMED', 'reconcile: done is not a boolean')
      return { t: 'items', events, changes, done: m.done }
    }
    case 'push':
      fields(m, ['t', 'events', 'changes'])
      return { t: 'push', ...itemLists(m) }
    case 'error':
      fields(m, ['t', 'code', 'message'])
      return { t: 'error', code: text(m.code, 32, 'code'), message: text(m.message, 256, 'message') }
    default:
      return fail('E_MALFORMED', 'reconcile: unknown frame type')
  }
}

/** `events` and `changes` of an `items` or `push` frame, each bounded, and the two together */
function itemLists(m: CborMap): { events: Uint8Array[]; changes: Uint8Array[] } {
  const events = list(m.events, MAX_ITEMS_PER_RECONCILE_FRAME, 'events').map((v) => blob(v, 1, MAX_EVENT_BYTES, 'event'))
  const changes = list(m.changes, MAX_ITEMS_PER_RECONCILE_FRAME, 'changes').map((v) => blob(v, 1, MAX_CHANGE_ENVELOPE_BYTES, 'change'))
  if (events.length + changes.length > MAX_ITEMS_PER_RECONCILE_FRAME) fail('E_OVERSIZE', 'reconcile: too many items in one frame')
  return { events, changes }
}

function fields(m: CborMap, allowed: readonly string[]): void {
  for (const key of Object.keys(m)) if (!allowed.includes(key)) fail('E_UNKNOWN_FIELD', `reconcile frame: unknown field "${key.slice(0, 40)}"`)
}

function list(value: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(value)) fail('E_MALFORMED', `reconcile: ${what} is not a list`)
  if (value.length > max) fail('E_OVERSIZE', `reconcile: ${value.length} ${what}, limit ${max}`)
  return value
}

function blob(value: unknown, min: number, max: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) fail('E_MALFORMED', `reconcile: ${what} is not bytes`)
  if (value.length < min) fail(value.length === 0 ? 'E_TRUNCATED' : 'E_MALFORMED', `reconcile: ${what} of ${value.length} bytes`)
  if (value.length > max) fail('E_OVERSIZE', `reconcile: ${what} of ${value.length} bytes, limit ${max}`)
  // a copy: a view would keep the whole frame alive
  return new Uint8Array(value)
}

function text(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string') fail('E_MALFORMED', `reconcile: ${what} is not text`)
  // UTF-8 bytes, as every length of the protocol (protocol/conventions.md "Text")
  if (utf8Length(value) > max) fail('E_OVERSIZE', `reconcile: ${what} too long`)
  return value
}
