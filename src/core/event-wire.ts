// The wire form of events (protocol/events.md §1): the TS object <-> the CBOR map.
// On the wire the author and mentions are 32-byte public keys and references are 32-byte ids;
// in TS they are did:key strings and lowercase-hex EventIds. Structure only: types, lengths,
// versions, kinds, unknown fields. Content rules live in event-validate.ts.
import { fromHex, toHex } from './bytes.ts'
import { expectBytes, expectInteger, expectVersion, isPlainMap, rejectUnknownFields, type CborMap } from './cbor.ts'
import { decodeDidKey, encodeDidKey } from './did-key.ts'
import { fail } from './errors.ts'
import { EVENT_ID_BYTES, MAX_BLOB_BYTES, MAX_IMAGE_EDGE, MAX_IMAGES, MAX_MENTIONS, MAX_TAGS, PUBLIC_KEY_BYTES } from './limits.ts'
import type { AuthorId, EditBody, EventId, EventKind, ImageRef, ImageType, PostBody, PublicKey, ReactionBody, RepostBody, UnsignedEvent } from './types.ts'

export const EVENT_VERSION = 1
export const EVENT_KINDS: readonly EventKind[] = ['post', 'reaction', 'repost', 'edit']

const TOP_FIELDS = new Set(['v', 'kind', 'author', 'ts', 'body'])
const SIGNED_TOP_FIELDS = new Set([...TOP_FIELDS, 'sig'])
const BODY_FIELDS: Record<EventKind, ReadonlySet<string>> = {
  post: new Set(['text', 'reply', 'quote', 'mentions', 'tags', 'cw', 'lang', 'images']),
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
    if (b.images !== undefined && b.images.length > 0) body.images = b.images.map(imageToWire)
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
  const editable = editableFromWire(raw)
  if (!('images' in raw)) return { ...body, ...editable }
  const images = expectList(raw.images, MAX_IMAGES, 'images').map((x, i) => imageFromWire(x, `images[${i}]`))
  if (new Set(images.map((x) => x.sha256)).size !== images.length) fail('E_MALFORMED', 'images: the same blob twice')
  return { ...body, ...editable, images }
}

const IMAGE_FIELDS = new Set(['sha256', 'type', 'size', 'w', 'h', 'alt', 'blurhash', 'thumb'])
const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'] satisfies readonly ImageType[]

function imageToWire(x: ImageRef): CborMap {
  const out: CborMap = { sha256: idToWire(x.sha256, 'images.sha256'), type: x.type, size: x.size, w: x.w, h: x.h }
  if (x.alt !== undefined) out.alt = x.alt
  if (x.blurhash !== undefined) out.blurhash = x.blurhash
  if (x.thumb !== undefined) out.thumb = idToWire(x.thumb, 'images.thumb')
  return out
}

/**
 * One image map, in the order of its table (events.md §1): structure and ranges; the text rules
 * of alt and blurhash are event-validate's. Hashes are 32 bytes on the wire, hex in TS, like ids.
 */
function imageFromWire(raw: unknown, what: string): ImageRef {
  if (!isPlainMap(raw)) fail('E_MALFORMED', `${what}: not a map`)
  rejectUnknownFields(raw, IMAGE_FIELDS, what)
  const sha256 = idFromWire(raw.sha256, `${what}.sha256`)
  if (typeof raw.type !== 'string' || !IMAGE_TYPES.includes(raw.type)) fail('E_MALFORMED', `${what}.type: not image/jpeg, image/png or image/webp`)
  const size = boundedInteger(raw.size, MAX_BLOB_BYTES, `${what}.size`)
  const w = boundedInteger(raw.w, MAX_IMAGE_EDGE, `${what}.w`)
  const h = boundedInteger(raw.h, MAX_IMAGE_EDGE, `${what}.h`)
  const image: { -readonly [K in keyof ImageRef]: ImageRef[K] } = { sha256, type: raw.type as ImageType, size, w, h }
  if ('alt' in raw) {
    if (typeof raw.alt !== 'string') fail('E_MALFORMED', `${what}.alt: not text`)
    image.alt = raw.alt
  }
  if ('blurhash' in raw) {
    if (typeof raw.blurhash !== 'string') fail('E_MALFORMED', `${what}.blurhash: not text`)
    image.blurhash = raw.blurhash
  }
  if ('thumb' in raw) image.thumb = idFromWire(raw.thumb, `${what}.thumb`)
  return image
}

/** An integer from 1 to `max`: E_MALFORMED for another type or 0, E_OVERSIZE beyond `max`. */
function boundedInteger(value: unknown, max: number, what: string): number {
  const n = expectInteger(value, what)
  if (n === 0) fail('E_MALFORMED', `${what}: zero`)
  if (n > max) fail('E_OVERSIZE', `${what}: more than ${max}`)
  return n
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
