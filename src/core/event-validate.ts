// Content rules of events (protocol/events.md §4 step 11, §5–§8): text, counts,
// hashtags, emoji, language tag and timestamps. Runs on the TS object, after the structure
// was read (event-wire.ts) or before a draft is encoded (event-create.ts).
import { fail } from './errors.ts'
import {
  MAX_ALT_BYTES,
  MAX_ALT_GRAPHEMES,
  MAX_BLURHASH_BYTES,
  MAX_CLOCK_SKEW_MS,
  MAX_CW_BYTES,
  MAX_CW_GRAPHEMES,
  MAX_EMOJI_BYTES,
  MAX_IMAGES,
  MAX_LANG_BYTES,
  MAX_MENTIONS,
  MAX_POST_GRAPHEMES,
  MAX_POST_TEXT_BYTES,
  MAX_TAG_BYTES,
  MAX_TAG_GRAPHEMES,
  MAX_TAGS,
  MIN_TIMESTAMP_MS,
} from './limits.ts'
import { checkText, isSingleEmoji, isValidHashtag, utf8Length } from './text.ts'
import type { EditBody, ImageRef, PostBody, UnsignedEvent } from './types.ts'

// BCP 47 shape (RFC 5646 §2.1, simplified): a 2-3 letter language, then subtags of 1-8
// letters/digits. Registry membership is not checked: peers must not disagree on a list.
const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/

const TEXT_RULE = { field: 'text', maxGraphemes: MAX_POST_GRAPHEMES, maxBytes: MAX_POST_TEXT_BYTES, multiline: true }
const CW_RULE = { field: 'cw', maxGraphemes: MAX_CW_GRAPHEMES, maxBytes: MAX_CW_BYTES, multiline: false }
const TAG_RULE = { field: 'tag', maxGraphemes: MAX_TAG_GRAPHEMES, maxBytes: MAX_TAG_BYTES, multiline: false }
const ALT_RULE = { field: 'images.alt', maxGraphemes: MAX_ALT_GRAPHEMES, maxBytes: MAX_ALT_BYTES, multiline: true }
/** blurhash: base-83 digits (its own alphabet), at least the 6 of a 1×1 hash */
const BLURHASH = /^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/

/** E_TIMESTAMP_PAST before 2024-01-01, E_TIMESTAMP_FUTURE beyond `now` + 10 minutes. */
export function checkTimestamp(ts: number, now: number): void {
  if (!Number.isSafeInteger(ts) || ts < 0) fail('E_MALFORMED', 'ts: not a non-negative integer')
  if (ts < MIN_TIMESTAMP_MS) fail('E_TIMESTAMP_PAST', 'ts: before 2024-01-01')
  if (ts > now + MAX_CLOCK_SKEW_MS) fail('E_TIMESTAMP_FUTURE', 'ts: more than 10 minutes in the future')
}

/** Throws the first broken content rule of an event; `now` is the verifier's clock in ms. */
export function validateEvent(e: UnsignedEvent, now: number): void {
  if (e.kind === 'post' || e.kind === 'edit') validatePostBody(e.body)
  else if (e.kind === 'reaction') {
    if (typeof e.body.emoji !== 'string' || !isSingleEmoji(e.body.emoji, MAX_EMOJI_BYTES)) {
      fail('E_BAD_TEXT', 'emoji: not exactly one emoji grapheme')
    }
  }
  checkTimestamp(e.ts, now)
}

/** The rules of a post's text, mentions, tags, cw and lang, which an edit follows too. */
function validatePostBody(b: PostBody | EditBody): void {
  checkText(b.text, TEXT_RULE)
  if (b.mentions !== undefined && b.mentions.length > MAX_MENTIONS) fail('E_OVERSIZE', `mentions: more than ${MAX_MENTIONS}`)
  if (b.tags !== undefined) {
    if (b.tags.length > MAX_TAGS) fail('E_OVERSIZE', `tags: more than ${MAX_TAGS}`)
    for (const tag of b.tags) {
      checkText(tag, TAG_RULE)
      if (!isValidHashtag(tag)) fail('E_BAD_TEXT', 'tag: not a normalized hashtag')
    }
    if (new Set(b.tags).size !== b.tags.length) fail('E_MALFORMED', 'tags: duplicate')
  }
  if (b.cw !== undefined) checkText(b.cw, CW_RULE)
  if (b.lang !== undefined) {
    if (typeof b.lang !== 'string') fail('E_MALFORMED', 'lang: not text')
    if (utf8Length(b.lang) > MAX_LANG_BYTES) fail('E_OVERSIZE', `lang: more than ${MAX_LANG_BYTES} bytes`)
    if (!LANG.test(b.lang)) fail('E_BAD_TEXT', 'lang: not a BCP 47 tag')
  }
  if ('images' in b && b.images !== undefined) validateImages(b.images)
}

function validateImages(images: readonly ImageRef[]): void {
  if (images.length > MAX_IMAGES) fail('E_OVERSIZE', `images: more than ${MAX_IMAGES}`)
  for (const image of images) {
    if (image.alt !== undefined) checkText(image.alt, ALT_RULE)
    if (image.blurhash !== undefined && (utf8Length(image.blurhash) > MAX_BLURHASH_BYTES || !BLURHASH.test(image.blurhash))) {
      fail('E_BAD_TEXT', 'images.blurhash: not a blurhash')
    }
  }
}
