// Frames of /wildgrass/mailbox/1.0.0 (protocol/direct-messages.md §5): one DAG-CBOR map per
// length-prefixed frame, field `t` names the type, as in sync. decodeMailboxFrame is the only way
// in for bytes from a peer; it throws WildgrassError (E_TRUNCATED, E_OVERSIZE, E_MALFORMED,
// E_UNKNOWN_FIELD) and nothing else. What a frame carries (sealed messages, proofs) is judged by
// its own rules.
import * as dagCbor from '@ipld/dag-cbor'
import { fail, isWildgrassError, MAX_SEALED_BYTES } from '../core/index.ts'

export const MAILBOX_PROTOCOL = '/wildgrass/mailbox/1.0.0'
/** largest frame either side accepts: a page of mail */
export const MAX_MAILBOX_FRAME_BYTES = 512 * 1024
/** mailboxes one stream may open (weeks of one person, a few persons on one device) */
export const MAX_OPEN_BOXES = 16
/** sealed messages in one answer */
export const MAX_MAIL_PER_FRAME = 50
/** how long a fetch may wait for new mail */
export const MAX_WAIT_MS = 30_000
export const CHALLENGE_BYTES = 32
/** mailbox streams a relay serves at once per connection (a watching stream per device, deposits beside it) */
export const MAILBOX_STREAMS_PER_CONNECTION = 8

export interface MailItem {
  readonly box: Uint8Array
  /** the relay's arrival sequence: fetch after it next time */
  readonly seq: number
  readonly msg: Uint8Array
}

export type MailboxFrame =
  // server → client
  | { t: 'challenge'; nonce: Uint8Array }
  | { t: 'stored'; seq: number }
  | { t: 'opened'; boxes: number }
  | { t: 'mail'; items: MailItem[]; more: boolean }
  | { t: 'error'; code: string; message: string }
  // client → server
  | { t: 'put'; box: Uint8Array; msg: Uint8Array }
  | { t: 'open'; proofs: Array<{ box: Uint8Array; sig: Uint8Array }> }
  | { t: 'fetch'; from: Array<{ box: Uint8Array; after: number }>; wait: number }

export function encodeMailboxFrame(frame: MailboxFrame): Uint8Array {
  const bytes = dagCbor.encode(frame)
  if (bytes.length > MAX_MAILBOX_FRAME_BYTES) fail('E_OVERSIZE', `mailbox frame of ${bytes.length} bytes`)
  return bytes
}

export function decodeMailboxFrame(bytes: Uint8Array): MailboxFrame {
  try {
    return decodeUnchecked(bytes)
  } catch (err) {
    if (isWildgrassError(err)) throw err
    return fail('E_MALFORMED', 'mailbox frame', err)
  }
}

type CborMap = Record<string, unknown>

function decodeUnchecked(bytes: Uint8Array): MailboxFrame {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) fail('E_TRUNCATED', 'mailbox frame: empty')
  if (bytes.length > MAX_MAILBOX_FRAME_BYTES) fail('E_OVERSIZE', `mailbox frame: ${bytes.length} bytes`)
  if (bytes[0]! >> 5 !== 5) fail('E_MALFORMED', 'mailbox frame: not a CBOR map')
  let m: unknown
  try {
    m = dagCbor.decode(bytes)
  } catch (cause) {
    const truncated = cause instanceof Error && /not enough|unexpected end|did not find/i.test(cause.message)
    return fail(truncated ? 'E_TRUNCATED' : 'E_MALFORMED', 'mailbox frame: invalid DAG-CBOR', cause)
  }
  if (!isMap(m)) fail('E_MALFORMED', 'mailbox frame: not a map')
  switch (m.t) {
    case 'challenge':
      fields(m, ['t', 'nonce'])
      return { t: m.t, nonce: blob(m.nonce, CHALLENGE_BYTES, CHALLENGE_BYTES, 'nonce') }
    case 'stored':
      fields(m, ['t', 'seq'])
      return { t: m.t, seq: int(m.seq, 'seq') }
    case 'opened':
      fields(m, ['t', 'boxes'])
      return { t: m.t, boxes: int(m.boxes, 'boxes') }
    case 'mail':
      fields(m, ['t', 'items', 'more'])
      if (typeof m.more !== 'boolean') fail('E_MALFORMED', 'mailbox: more is not a boolean')
      return { t: m.t, items: list(m.items, MAX_MAIL_PER_FRAME, mailItem, 'items'), more: m.more }
    case 'error':
      fields(m, ['t', 'code', 'message'])
      return { t: m.t, code: text(m.code, 32, 'code'), message: text(m.message, 256, 'message') }
    case 'put':
      fields(m, ['t', 'box', 'msg'])
      return { t: m.t, box: box(m.box), msg: blob(m.msg, 1, MAX_SEALED_BYTES, 'msg') }
    case 'open':
      fields(m, ['t', 'proofs'])
      return { t: m.t, proofs: list(m.proofs, MAX_OPEN_BOXES, proof, 'proofs') }
    case 'fetch': {
      fields(m, ['t', 'from', 'wait'])
      const wait = int(m.wait, 'wait')
      if (wait > MAX_WAIT_MS) fail('E_OVERSIZE', `mailbox: wait ${wait} ms`)
      return { t: m.t, from: list(m.from, MAX_OPEN_BOXES, cursor, 'from'), wait }
    }
    default:
      return fail('E_MALFORMED', 'mailbox: unknown frame type')
  }
}

function isMap(value: unknown): value is CborMap {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && Object.getPrototypeOf(value) === Object.prototype
  )
}

function fields(m: CborMap, allowed: string[]): void {
  for (const key of Object.keys(m)) if (!allowed.includes(key)) fail('E_UNKNOWN_FIELD', `mailbox frame: unknown field "${key.slice(0, 40)}"`)
}

function list<T>(value: unknown, max: number, item: (v: unknown) => T, what: string): T[] {
  if (!Array.isArray(value)) fail('E_MALFORMED', `mailbox: ${what} is not a list`)
  if (value.length > max) fail('E_OVERSIZE', `mailbox: ${value.length} ${what}, limit ${max}`)
  return value.map(item)
}

function blob(value: unknown, min: number, max: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) fail('E_MALFORMED', `mailbox: ${what} is not bytes`)
  if (value.length < min) fail(value.length === 0 ? 'E_TRUNCATED' : 'E_MALFORMED', `mailbox: ${what} too short`)
  if (value.length > max) fail('E_OVERSIZE', `mailbox: ${what} of ${value.length} bytes`)
  return new Uint8Array(value) // a copy: a view would keep the whole frame alive
}

function box(value: unknown): Uint8Array {
  return blob(value, 32, 32, 'box')
}

function int(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail('E_MALFORMED', `mailbox: ${what} is not a non-negative integer`)
  return value
}

function text(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string') fail('E_MALFORMED', `mailbox: ${what} is not text`)
  if (value.length > max) fail('E_OVERSIZE', `mailbox: ${what} too long`)
  return value
}

function mailItem(value: unknown): MailItem {
  if (!isMap(value)) fail('E_MALFORMED', 'mailbox: item is not a map')
  fields(value, ['box', 'seq', 'msg'])
  return { box: box(value.box), seq: int(value.seq, 'seq'), msg: blob(value.msg, 1, MAX_SEALED_BYTES, 'msg') }
}

function proof(value: unknown): { box: Uint8Array; sig: Uint8Array } {
  if (!isMap(value)) fail('E_MALFORMED', 'mailbox: proof is not a map')
  fields(value, ['box', 'sig'])
  return { box: box(value.box), sig: blob(value.sig, 64, 64, 'sig') }
}

function cursor(value: unknown): { box: Uint8Array; after: number } {
  if (!isMap(value)) fail('E_MALFORMED', 'mailbox: cursor is not a map')
  fields(value, ['box', 'after'])
  return { box: box(value.box), after: int(value.after, 'after') }
}
