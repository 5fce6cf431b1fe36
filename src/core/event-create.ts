// Creating and signing events (protocol/events.md §3). Synchronous: noble signs without
// awaiting. The draft is checked by the same rules as received bytes: what we create, every
// honest peer accepts.
import { encodeCanonical } from './cbor.ts'
import { encodeDidKey } from './did-key.ts'
import { fail } from './errors.ts'
import { decodeEvent, type EventOptions } from './event-decode.ts'
import { eventToWire } from './event-wire.ts'
import { markVerified, type VerifiedEvent } from './event-verify.ts'
import { validateEvent } from './event-validate.ts'
import { getPublicKey, sign, signedBytes } from './keys.ts'
import { MAX_EVENT_BYTES, MAX_TAGS } from './limits.ts'
import { extractHashtags, normalizeHashtag } from './text.ts'
import type { EditBody, PostBody, ReactionBody, RepostBody, SecretKey, UnsignedEvent } from './types.ts'

export type EventDraft =
  | { kind: 'post'; body: PostBody; ts?: number }
  | { kind: 'reaction'; body: ReactionBody; ts?: number }
  | { kind: 'repost'; body: RepostBody; ts?: number }
  | { kind: 'edit'; body: EditBody; ts?: number }

/**
 * Validates, normalizes and signs an event. Post tags: when `body.tags` is undefined they are
 * the text's hashtags (extractHashtags, first MAX_TAGS); given tags are normalized and
 * de-duplicated; empty lists are dropped. Throws WildgrassError on any rule of events.md.
 * The result counts as verified (event-verify.ts): signed here with the author's own key.
 */
export function createEvent(secret: SecretKey, draft: EventDraft, options: EventOptions = {}): VerifiedEvent {
  if (typeof draft !== 'object' || draft === null || typeof draft.body !== 'object' || draft.body === null) {
    fail('E_MALFORMED', 'draft: not an object with a body')
  }
  const now = options.now ?? Date.now()
  const author = encodeDidKey(getPublicKey(secret))
  const ts = draft.ts ?? now
  let unsigned: UnsignedEvent
  if (draft.kind === 'post') unsigned = { v: 1, kind: 'post', author, ts, body: normalizePostBody(draft.body) }
  else if (draft.kind === 'reaction') unsigned = { v: 1, kind: 'reaction', author, ts, body: { target: draft.body.target, emoji: draft.body.emoji } }
  else if (draft.kind === 'repost') unsigned = { v: 1, kind: 'repost', author, ts, body: { target: draft.body.target } }
  else if (draft.kind === 'edit') {
    const { reply: _reply, quote: _quote, ...editable } = normalizePostBody(draft.body)
    unsigned = { v: 1, kind: 'edit', author, ts, body: { target: draft.body.target, ...editable } }
  } else return fail('E_UNKNOWN_KIND', 'unknown event kind')
  // Before encoding: the encoder would silently turn unpaired surrogates into U+FFFD.
  validateEvent(unsigned, now)
  const wire = eventToWire(unsigned)
  const sig = sign(secret, signedBytes('wildgrass/event/v1', encodeCanonical(wire)))
  const bytes = encodeCanonical({ ...wire, sig })
  if (bytes.length > MAX_EVENT_BYTES) fail('E_OVERSIZE', `event: ${bytes.length} bytes, limit ${MAX_EVENT_BYTES}`)
  return markVerified(decodeEvent(bytes, { now }))
}

function normalizePostBody(b: PostBody | EditBody): PostBody {
  if (b.tags !== undefined && !Array.isArray(b.tags)) fail('E_MALFORMED', 'tags: not a list')
  if (b.mentions !== undefined && !Array.isArray(b.mentions)) fail('E_MALFORMED', 'mentions: not a list')
  const tags =
    b.tags === undefined
      ? typeof b.text === 'string'
        ? extractHashtags(b.text).slice(0, MAX_TAGS)
        : []
      : [...new Set(b.tags.map((t) => (typeof t === 'string' ? normalizeHashtag(t) : t)))]
  const out: { -readonly [K in keyof PostBody]: PostBody[K] } = { text: b.text }
  if ('reply' in b && b.reply !== undefined) out.reply = b.reply
  if ('quote' in b && b.quote !== undefined) out.quote = b.quote
  if (b.mentions !== undefined && b.mentions.length > 0) out.mentions = [...new Set(b.mentions)]
  if (tags.length > 0) out.tags = tags
  if (b.cw !== undefined) out.cw = b.cw
  if (b.lang !== undefined) out.lang = b.lang
  if ('images' in b && b.images !== undefined && b.images.length > 0) out.images = b.images
  return out
}
