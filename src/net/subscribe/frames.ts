// Frames of /wildgrass/subscribe/1.0.0 (protocol/subscribe.md §Frames): one DAG-CBOR map per
// length-prefixed frame, as in sync. decodeSubscribeFrame is the only way in for a peer's bytes;
// it throws WildgrassError (E_TRUNCATED, E_OVERSIZE, E_MALFORMED, E_UNKNOWN_FIELD, E_BAD_KEY)
// and nothing else. The events and changes a frame carries are opened by core when they are used.
import { decodeDidKey, decodeMap, encodeCanonical, encodeDidKey, fail, fromHex, isWildgrassError, toHex } from '../../core/index.ts'
import type { AuthorId, CborMap, EventId, PublicKey } from '../../core/index.ts'
import { MAX_CHANGE_ENVELOPE_BYTES, MAX_CURSOR_LENGTH, MAX_EVENT_BYTES } from '../sync/limits.ts'
import { MAX_FILTER_ABOUT, MAX_FILTER_BUCKETS, MAX_FILTER_THREADS } from './filter.ts'
import type { Filter } from './filter.ts'

export const SUBSCRIBE_PROTOCOL = '/wildgrass/subscribe/1.0.0'
export const MAX_SUBSCRIBE_FRAME_BYTES = 1024 * 1024
/** events plus changes in one `items` frame */
export const MAX_ITEMS_PER_SUBSCRIBE_FRAME = 1024
/** catch-up events per `sub` at most (the client asks again with the cursor it got) */
export const MAX_CATCH_UP_LIMIT = 1000

export type SubscribeFrame =
  | { t: 'info' }
  | { t: 'sub'; filter: Filter; since?: string; limit?: number }
  | { t: 'info-reply'; authors: number; cursor?: string }
  | { t: 'items'; events: Uint8Array[]; changes: Uint8Array[] }
  | { t: 'caught-up'; cursor?: string; more: boolean }
  | { t: 'mark'; cursor: string }
  | { t: 'error'; code: string; message: string }

export function encodeSubscribeFrame(frame: SubscribeFrame): Uint8Array {
  const wire = frame.t === 'sub' ? { ...frame, filter: filterToWire(frame.filter) } : frame
  const bytes = encodeCanonical(Object.fromEntries(Object.entries(wire).filter(([, v]) => v !== undefined)))
  if (bytes.length > MAX_SUBSCRIBE_FRAME_BYTES) fail('E_OVERSIZE', `subscribe frame of ${bytes.length} bytes`)
  return bytes
}

export function decodeSubscribeFrame(bytes: Uint8Array): SubscribeFrame {
  try {
    return decodeUnchecked(bytes)
  } catch (err) {
    if (isWildgrassError(err)) throw err
    return fail('E_MALFORMED', 'subscribe frame', err)
  }
}

function decodeUnchecked(bytes: Uint8Array): SubscribeFrame {
  const m = decodeMap(bytes, MAX_SUBSCRIBE_FRAME_BYTES, 'subscribe frame')
  switch (m.t) {
    case 'info':
      fields(m, ['t'])
      return { t: 'info' }
    case 'sub': {
      fields(m, ['t', 'filter', 'since', 'limit'])
      const limit = m.limit === undefined ? undefined : int(m.limit, 1, MAX_CATCH_UP_LIMIT, 'limit')
      return {
        t: 'sub',
        filter: filterFromWire(m.filter),
        ...(m.since === undefined ? {} : { since: cursor(m.since) }),
        ...(limit === undefined ? {} : { limit }),
      }
    }
    case 'info-reply':
      fields(m, ['t', 'authors', 'cursor'])
      return {
        t: 'info-reply',
        authors: int(m.authors, 0, Number.MAX_SAFE_INTEGER, 'authors'),
        ...(m.cursor === undefined ? {} : { cursor: cursor(m.cursor) }),
      }
    case 'items': {
      fields(m, ['t', 'events', 'changes'])
      const events = list(m.events, MAX_ITEMS_PER_SUBSCRIBE_FRAME, 'events').map((v) => blob(v, MAX_EVENT_BYTES, 'event'))
      const changes = list(m.changes, MAX_ITEMS_PER_SUBSCRIBE_FRAME, 'changes').map((v) => blob(v, MAX_CHANGE_ENVELOPE_BYTES, 'change'))
      if (events.length + changes.length > MAX_ITEMS_PER_SUBSCRIBE_FRAME) fail('E_OVERSIZE', 'subscribe: too many items in one frame')
      return { t: 'items', events, changes }
    }
    case 'caught-up':
      fields(m, ['t', 'cursor', 'more'])
      if (typeof m.more !== 'boolean') fail('E_MALFORMED', 'subscribe: more is not a boolean')
      return { t: 'caught-up', more: m.more, ...(m.cursor === undefined ? {} : { cursor: cursor(m.cursor) }) }
    case 'mark':
      fields(m, ['t', 'cursor'])
      return { t: 'mark', cursor: cursor(m.cursor) }
    case 'error':
      fields(m, ['t', 'code', 'message'])
      return { t: 'error', code: text(m.code, 32, 'code'), message: text(m.message, 256, 'message') }
    default:
      return fail('E_MALFORMED', 'subscribe: unknown frame type')
  }
}

/** On the wire keys and ids are bytes (32 each), not their text forms. */
function filterToWire(f: Filter): CborMap {
  return {
    bits: f.bits,
    buckets: [...f.buckets],
    ...(f.about.length > 0 ? { about: f.about.map((a) => decodeDidKey(a)) } : {}),
    ...(f.threads.length > 0 ? { threads: f.threads.map((id) => fromHex(id)) } : {}),
    ...(f.community ? { community: true } : {}),
  }
}

function filterFromWire(value: unknown): Filter {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) fail('E_MALFORMED', 'subscribe: filter is not a map')
  const m = value as CborMap
  fields(m, ['bits', 'buckets', 'about', 'threads', 'community'])
  const bits = int(m.bits, 1, 32, 'bits')
  const max = 2 ** bits - 1
  const buckets = list(m.buckets, MAX_FILTER_BUCKETS, 'buckets').map((v) => int(v, 0, max, 'bucket'))
  const about = m.about === undefined ? [] : list(m.about, MAX_FILTER_ABOUT, 'about').map((v) => encodeDidKey(blob(v, 32, 'key') as PublicKey))
  const threads =
    m.threads === undefined
      ? []
      : list(m.threads, MAX_FILTER_THREADS, 'threads').map((v) => {
          const id = blob(v, 32, 'thread')
          if (id.length !== 32) fail('E_MALFORMED', 'subscribe: a thread id is 32 bytes')
          return toHex(id) as EventId
        })
  if (m.community !== undefined && m.community !== true) fail('E_MALFORMED', 'subscribe: community is true or absent')
  return { bits, buckets, about: about as AuthorId[], threads, community: m.community === true }
}

function fields(m: CborMap, allowed: readonly string[]): void {
  for (const key of Object.keys(m)) if (!allowed.includes(key)) fail('E_UNKNOWN_FIELD', `subscribe frame: unknown field "${key.slice(0, 40)}"`)
}

function list(value: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(value)) fail('E_MALFORMED', `subscribe: ${what} is not a list`)
  if (value.length > max) fail('E_OVERSIZE', `subscribe: ${value.length} ${what}, limit ${max}`)
  return value
}

function blob(value: unknown, max: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) fail('E_MALFORMED', `subscribe: ${what} is not bytes`)
  if (value.length === 0) fail('E_TRUNCATED', `subscribe: empty ${what}`)
  if (value.length > max) fail('E_OVERSIZE', `subscribe: ${what} of ${value.length} bytes, limit ${max}`)
  return new Uint8Array(value)
}

function int(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail('E_MALFORMED', `subscribe: ${what} is not an integer`)
  if (value < min || value > max) fail('E_MALFORMED', `subscribe: ${what} ${value} outside ${min}–${max}`)
  return value
}

function text(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string') fail('E_MALFORMED', `subscribe: ${what} is not text`)
  if (value.length > max) fail('E_OVERSIZE', `subscribe: ${what} too long`)
  return value
}

function cursor(value: unknown): string {
  return text(value, MAX_CURSOR_LENGTH, 'cursor')
}
