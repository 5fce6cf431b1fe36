// Frames of /wildgrass/sync/1.0.0 (protocol/sync.md §Frames): one DAG-CBOR map per
// length-prefixed frame, field `t` names the type. Frames are transport, not signed objects:
// read by core's decoding rules but in any key order (what they carry is checked by core), and
// written with core's encoder (core/cbor.ts: encodeCanonical; decodeMap, the transport decoder).
// decodeFrame is the only way in for bytes from a peer; it throws WildgrassError (E_TRUNCATED,
// E_OVERSIZE, E_MALFORMED, E_NON_CANONICAL, E_BAD_TEXT, E_UNKNOWN_FIELD) and nothing else.
import { decodeMap, encodeCanonical, fail, isPlainMap, isWildgrassError, utf8Length } from '../../core/index.ts'
import type { AuthorId, CborMap, EventId } from '../../core/index.ts'
import * as L from './limits.ts'

export type Request =
  | { t: 'get-heads'; authors: AuthorId[] }
  | { t: 'get-changes'; author: AuthorId; since: string[] }
  | { t: 'get-events'; ids: EventId[] }
  | { t: 'get-recent'; after?: string; limit: number }

export type Response =
  | { t: 'heads'; heads: Array<{ author: AuthorId; heads: string[] }> }
  | { t: 'changes'; author: AuthorId; envelopes: Uint8Array[]; done: boolean }
  | { t: 'events'; events: Uint8Array[]; done: boolean }
  | { t: 'recent'; events: Uint8Array[]; cursor?: string }
  | { t: 'error'; code: string; message: string }

export type Frame = Request | Response

export function encodeFrame(frame: Frame): Uint8Array {
  // DAG-CBOR has no `undefined`: optional fields are left out
  const bytes = encodeCanonical(Object.fromEntries(Object.entries(frame).filter(([, v]) => v !== undefined)))
  if (bytes.length > L.MAX_FRAME_BYTES) fail('E_OVERSIZE', `sync frame of ${bytes.length} bytes`)
  return bytes
}

export function decodeRequest(bytes: Uint8Array): Request {
  const frame = decodeFrame(bytes)
  if (!isRequest(frame)) fail('E_MALFORMED', `sync: expected a request, got "${frame.t}"`)
  return frame
}

export function decodeResponse(bytes: Uint8Array): Response {
  const frame = decodeFrame(bytes)
  if (isRequest(frame)) fail('E_MALFORMED', `sync: expected a response, got "${frame.t}"`)
  return frame
}

function isRequest(frame: Frame): frame is Request {
  return frame.t.startsWith('get-')
}

export function decodeFrame(bytes: Uint8Array): Frame {
  try {
    return decodeFrameUnchecked(bytes)
  } catch (err) {
    // anything not already typed (a library surprise) still fails closed with a typed error
    if (isWildgrassError(err)) throw err
    return fail('E_MALFORMED', 'sync frame', err)
  }
}

function decodeFrameUnchecked(bytes: Uint8Array): Frame {
  const m = decodeMap(bytes, L.MAX_FRAME_BYTES, 'sync frame')
  const t = m.t
  switch (t) {
    case 'get-heads':
      fields(m, ['t', 'authors'])
      return { t, authors: list(m.authors, L.MAX_AUTHORS_PER_REQUEST, author, 'authors') }
    case 'get-changes':
      fields(m, ['t', 'author', 'since'])
      return { t, author: author(m.author), since: list(m.since, L.MAX_HEADS_PER_AUTHOR, head, 'since') }
    case 'get-events':
      fields(m, ['t', 'ids'])
      return { t, ids: list(m.ids, L.MAX_IDS_PER_REQUEST, eventId, 'ids') }
    case 'get-recent': {
      fields(m, ['t', 'after', 'limit'])
      const limit = int(m.limit, 'limit')
      if (limit < 1 || limit > L.MAX_RECENT_LIMIT) fail('E_OVERSIZE', `sync: limit ${limit}`)
      return m.after === undefined ? { t, limit } : { t, after: cursor(m.after), limit }
    }
    case 'heads':
      fields(m, ['t', 'heads'])
      return { t, heads: list(m.heads, L.MAX_AUTHORS_PER_REQUEST, authorHeads, 'heads') }
    case 'changes':
      fields(m, ['t', 'author', 'envelopes', 'done'])
      return { t, author: author(m.author), envelopes: blobs(m.envelopes, L.MAX_CHANGE_ENVELOPE_BYTES), done: bool(m.done) }
    case 'events':
      fields(m, ['t', 'events', 'done'])
      return { t, events: blobs(m.events, L.MAX_EVENT_BYTES), done: bool(m.done) }
    case 'recent': {
      fields(m, ['t', 'events', 'cursor'])
      const events = blobs(m.events, L.MAX_EVENT_BYTES)
      return m.cursor === undefined ? { t, events } : { t, events, cursor: cursor(m.cursor) }
    }
    case 'error':
      fields(m, ['t', 'code', 'message'])
      return { t, code: text(m.code, 32, 'code'), message: text(m.message, L.MAX_ERROR_MESSAGE_LENGTH, 'message') }
    default:
      return fail('E_MALFORMED', 'sync: unknown frame type')
  }
}

function fields(m: CborMap, allowed: string[]): void {
  for (const key of Object.keys(m)) if (!allowed.includes(key)) fail('E_UNKNOWN_FIELD', `sync frame: unknown field "${key.slice(0, 40)}"`)
}

function list<T>(value: unknown, max: number, item: (v: unknown) => T, what: string): T[] {
  if (!Array.isArray(value)) fail('E_MALFORMED', `sync: ${what} is not a list`)
  if (value.length > max) fail('E_OVERSIZE', `sync: ${value.length} ${what}, limit ${max}`)
  return value.map(item)
}

function blobs(value: unknown, maxEach: number): Uint8Array[] {
  return list(
    value,
    L.MAX_ITEMS_PER_FRAME,
    (v) => {
      if (!(v instanceof Uint8Array)) fail('E_MALFORMED', 'sync: item is not bytes')
      if (v.length === 0) fail('E_TRUNCATED', 'sync: empty item')
      if (v.length > maxEach) fail('E_OVERSIZE', `sync: item of ${v.length} bytes, limit ${maxEach}`)
      // a copy: a view would keep the whole frame alive (and IndexedDB would store all of it)
      return new Uint8Array(v)
    },
    'items',
  )
}

/** Text of at most `max` UTF-8 bytes (protocol/sync.md: every length in bytes). */
function text(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string') fail('E_MALFORMED', `sync: ${what} is not text`)
  if (utf8Length(value) > max) fail('E_OVERSIZE', `sync: ${what} too long`)
  return value
}

function int(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail('E_MALFORMED', `sync: ${what} is not an integer`)
  return value
}

function bool(value: unknown): boolean {
  if (typeof value !== 'boolean') fail('E_MALFORMED', 'sync: done is not a boolean')
  return value
}

// Authors are checked only for shape here; the signature check of what they sign
// (openChangeEnvelope / openEvents) is the real gate.
function author(value: unknown): AuthorId {
  const s = text(value, L.MAX_AUTHOR_LENGTH, 'author')
  if (!/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/.test(s)) fail('E_MALFORMED', 'sync: author is not a did:key')
  return s as AuthorId
}

function head(value: unknown): string {
  const s = text(value, 64, 'head')
  if (!/^[0-9a-f]{64}$/.test(s)) fail('E_MALFORMED', 'sync: head is not 64 hex digits')
  return s
}

function eventId(value: unknown): EventId {
  const s = text(value, 64, 'event id')
  if (!/^[0-9a-f]{64}$/.test(s)) fail('E_MALFORMED', 'sync: event id is not 64 hex digits')
  return s as EventId
}

function cursor(value: unknown): string {
  return text(value, L.MAX_CURSOR_LENGTH, 'cursor')
}

function authorHeads(value: unknown): { author: AuthorId; heads: string[] } {
  if (!isPlainMap(value)) fail('E_MALFORMED', 'sync: heads entry')
  const m = value
  fields(m, ['author', 'heads'])
  return { author: author(m.author), heads: list(m.heads, L.MAX_HEADS_PER_AUTHOR, head, 'heads') }
}
