// The wire form of events (protocol/events.md §1): the TS object <-> the CBOR map.
// On the wire the author and mentions are 32-byte public keys and references are 32-byte ids;
// in TS they are did:key strings and lowercase-hex EventIds. Structure only: types, lengths,
// versions, kinds, unknown fields. Content rules live in event-validate.ts.
import { fromHex, toHex } from './bytes.ts'
import { expectBytes, expectInteger, expectVersion, isPlainMap, rejectUnknownFields, type CborMap } from './cbor.ts'
import { decodeDidKey, encodeDidKey } from './did-key.ts'
import { fail } from './errors.ts'
import { EVENT_ID_BYTES, MAX_MENTIONS, MAX_TAGS, PUBLIC_KEY_BYTES } from './limits.ts'
import type { AuthorId, EditBody, EventId, EventKind, PostBody, PublicKey, ReactionBody, RepostBody, UnsignedEvent } from './types.ts'

export const EVENT_VERSION = 1
export const EVENT_KINDS: readonly EventKind[] = ['post', 'reaction', 'repost', 'edit']

const TOP_FIELDS = new Set(['v', 'kind', 'author', 'ts', 'body'])
const SIGNED_TOP_FIELDS = new Set([...TOP_FIELDS, 'sig'])
const BODY_FIELDS: Record<EventKind, ReadonlySet<string>> = {
  post: new Set(['text', 'reply', 'quote', 'mentions', 'tags', 'cw', 'lang']),
  reaction: new Set(['target', 'emoji']),
  repost: new Set(['target']),
  edit: new Set(['target', 'text', 'mentions', 'tags', 'cw', 'lang']),
}
const REPLY_FIELDS = new Set(['root', 'parent'])

const EVENT_ID = /^[0-9a-f]{64}$/

/** True for a well-formed event id: 64 lowercase hex digits. */
export function isEventId(s: unknown): s is EventId {
  return typeof s === 'string' && EVENT_ID.test(s)
}

function idToWire(id: unknown, what: string): Uint8Array {
  if (!isEventId(id)) fail('E_BAD_REFERENCE', `${what}: not an event id`)
  return fromHex(id)
}

function idFromWire(value: unknown, what: string): EventId {
  return toHex(expectBytes(value, EVENT_ID_BYTES, 'E_BAD_REFERENCE', what)) as EventId
}

function keyFromWire(value: unknown, what: string): AuthorId {
  return encodeDidKey(expectBytes(value, PUBLIC_KEY_BYTES, 'E_BAD_KEY', what) as PublicKey)
}

/** The CBOR map of an unsigned event (no `sig`). Optional fields absent, never null. */
export function eventToWire(e: UnsignedEvent): CborMap {
  let body: CborMap
  if (e.kind === 'post') {
    const b: PostBody = e.body
    body = { text: b.text }
    if (b.reply !== undefined) {
      if (!isPlainMap(b.reply)) fail('E_BAD_REFERENCE', 'reply: not a {root, parent} object')
      body.reply = { root: idToWire(b.reply.root, 'reply.root'), parent: idToWire(b.reply.parent, 'reply.parent') }
    }
    if (b.quote !== undefined) body.quote = idToWire(b.quote, 'quote')
    body = { ...body, ...editableToWire(b) }
  } else if (e.kind === 'reaction') {
    body = { target: idToWire(e.body.target, 'target'), emoji: e.body.emoji }
  } else if (e.kind === 'repost') {
    body = { target: idToWire(e.body.target, 'target') }
  } else if (e.kind === 'edit') {
    body = { target: idToWire(e.body.target, 'target'), ...editableToWire(e.body) }
  } else {
    return fail('E_UNKNOWN_KIND', 'unknown event kind')
  }
  return { v: e.v, kind: e.kind, author: decodeDidKey(e.author), ts: e.ts, body }
}

/** The fields a post and an edit share: text, mentions, tags, cw, lang (optional ones absent). */
function editableToWire(b: Omit<EditBody, 'target'>): CborMap {
  const out: CborMap = { text: b.text }
  if (b.mentions !== undefined && b.mentions.length > 0) out.mentions = b.mentions.map((m) => decodeDidKey(m))
  if (b.tags !== undefined && b.tags.length > 0) out.tags = [...b.tags]
  if (b.cw !== undefined) out.cw = b.cw
  if (b.lang !== undefined) out.lang = b.lang
  return out
}

/**
 * Reads the structure of a decoded event map, in the order of protocol/events.md §4:
 * version, kind, unknown fields, then each field's type and length.
 */
export function eventFromWire(map: CborMap, signed: boolean): UnsignedEvent {
  expectVersion(map, EVENT_VERSION, 'event')
  const kind = map.kind
  if (typeof kind !== 'string') fail('E_MALFORMED', 'event: kind missing or not text')
  if (!(EVENT_KINDS as readonly string[]).includes(kind)) fail('E_UNKNOWN_KIND', 'event: unknown kind')
  rejectUnknownFields(map, signed ? SIGNED_TOP_FIELDS : TOP_FIELDS, 'event')
  const author = keyFromWire(map.author, 'author')
  const ts = expectInteger(map.ts, 'ts')
  const raw = map.body
  if (!isPlainMap(raw)) fail('E_MALFORMED', 'body: missing or not a map')
  rejectUnknownFields(raw, BODY_FIELDS[kind as EventKind], 'body')
  const head = { v: EVENT_VERSION, author, ts } as const
  if (kind === 'reaction') {
    if (typeof raw.emoji !== 'string') fail('E_MALFORMED', 'emoji: missing or not text')
    const body: ReactionBody = { target: idFromWire(raw.target, 'target'), emoji: raw.emoji }
    return { ...head, kind, body }
  }
  if (kind === 'repost') {
    const body: RepostBody = { target: idFromWire(raw.target, 'target') }
    return { ...head, kind, body }
  }
  if (kind === 'edit') {
    const target = idFromWire(raw.target, 'target')
    return { ...head, kind, body: { target, ...editableFromWire(raw) } }
  }
  return { ...head, kind: 'post', body: postBodyFromWire(raw) }
}

function postBodyFromWire(raw: CborMap): PostBody {
  if (typeof raw.text !== 'string') fail('E_MALFORMED', 'text: missing or not text')
  const body: { -readonly [K in keyof PostBody]: PostBody[K] } = { text: raw.text }
  if ('reply' in raw) {
    const reply = raw.reply
    if (!isPlainMap(reply)) fail('E_MALFORMED', 'reply: not a map')
    rejectUnknownFields(reply, REPLY_FIELDS, 'reply')
    if (!('root' in reply)) fail('E_BAD_REFERENCE', 'reply: no root')
    if (!('parent' in reply)) fail('E_BAD_REFERENCE', 'reply: no parent')
    body.reply = { root: idFromWire(reply.root, 'reply.root'), parent: idFromWire(reply.parent, 'reply.parent') }
  }
  if ('quote' in raw) body.quote = idFromWire(raw.quote, 'quote')
  return { ...body, ...editableFromWire(raw) }
}

/** text, mentions, tags, cw, lang: in this order (events.md §4 step 9) */
function editableFromWire(raw: CborMap): Omit<EditBody, 'target'> {
  if (typeof raw.text !== 'string') fail('E_MALFORMED', 'text: missing or not text')
  const body: { -readonly [K in keyof Omit<EditBody, 'target'>]: EditBody[K] } = { text: raw.text }
  if ('mentions' in raw) {
    const list = expectList(raw.mentions, MAX_MENTIONS, 'mentions')
    const mentions = list.map((m, i) => keyFromWire(m, `mentions[${i}]`))
    if (new Set(mentions).size !== mentions.length) fail('E_MALFORMED', 'mentions: duplicate')
    body.mentions = mentions
  }
  if ('tags' in raw) {
    const list = expectList(raw.tags, MAX_TAGS, 'tags')
    if (!list.every((t) => typeof t === 'string')) fail('E_MALFORMED', 'tags: not all text')
    body.tags = list as string[]
  }
  if ('cw' in raw) {
    if (typeof raw.cw !== 'string') fail('E_MALFORMED', 'cw: not text')
    body.cw = raw.cw
  }
  if ('lang' in raw) {
    if (typeof raw.lang !== 'string') fail('E_MALFORMED', 'lang: not text')
    body.lang = raw.lang
  }
  return body
}

/** A non-empty list of at most `max` items (an empty list must be omitted: one form per event). */
function expectList(value: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(value)) fail('E_MALFORMED', `${what}: not a list`)
  if (value.length === 0) fail('E_NON_CANONICAL', `${what}: empty list must be omitted`)
  if (value.length > max) fail('E_OVERSIZE', `${what}: more than ${max}`)
  return value
}
