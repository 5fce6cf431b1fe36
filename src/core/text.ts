// Text rules of protocol v1 (protocol/events.md §5): grapheme counting, forbidden
// characters, hashtags. Limits count extended grapheme clusters (UAX #29, Intl.Segmenter) so
// that 中文 and emoji count the way people see them.
import { fail } from './errors.ts'
import { MAX_TAG_BYTES, MAX_TAG_GRAPHEMES } from './limits.ts'

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Number of extended grapheme clusters (user-perceived characters). */
export function countGraphemes(s: string): number {
  // Fast path: below U+0300 there are no combining marks, ZWJ or emoji, so every code unit is
  // its own cluster — except CR LF, which is one cluster (UAX #29 GB3).
  let simple = true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x300 || c === 0x0d) {
      simple = false
      break
    }
  }
  if (simple) return s.length
  let n = 0
  for (const _ of segmenter.segment(s)) n++
  return n
}

/** Length of the UTF-8 encoding of a well-formed string, without allocating it. */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** True when the string has no unpaired surrogates (it round-trips through UTF-8). */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) return false
  }
  return true
}

/**
 * True when the string holds a forbidden control character: C0 controls (U+0000–U+001F) other
 * than, in multi-line text, LF and TAB; DEL (U+007F); C1 controls (U+0080–U+009F).
 */
export function hasForbiddenControl(s: string, multiline: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20) {
      if (multiline && (c === 0x0a || c === 0x09)) continue
      return true
    }
    if (c >= 0x7f && c <= 0x9f) return true
  }
  return false
}

export interface TextRule {
  /** field name, for error messages */
  readonly field: string
  readonly maxGraphemes: number
  readonly maxBytes: number
  /** allow LF and TAB */
  readonly multiline: boolean
}

/**
 * Checks one text field (protocol/events.md §5), in this order: well-formed, no leading U+FEFF (E_BAD_TEXT),
 * no forbidden controls (E_BAD_TEXT), not blank (E_BAD_TEXT), UTF-8 bytes (E_OVERSIZE), graphemes
 * (E_TOO_MANY_GRAPHEMES).
 */
export function checkText(s: unknown, rule: TextRule): asserts s is string {
  if (typeof s !== 'string') fail('E_MALFORMED', `${rule.field}: not a string`)
  if (!isWellFormed(s)) fail('E_BAD_TEXT', `${rule.field}: unpaired surrogate`)
  // a leading U+FEFF is a byte order mark, invalid in every text string (conventions.md "Text")
  if (s.charCodeAt(0) === 0xfeff) fail('E_BAD_TEXT', `${rule.field}: starts with U+FEFF`)
  if (hasForbiddenControl(s, rule.multiline)) fail('E_BAD_TEXT', `${rule.field}: control character`)
  if (s.trim() === '') fail('E_BAD_TEXT', `${rule.field}: empty`)
  if (utf8Length(s) > rule.maxBytes) fail('E_OVERSIZE', `${rule.field}: more than ${rule.maxBytes} UTF-8 bytes`)
  // Each grapheme is at least one UTF-16 code unit: short text cannot exceed the limit.
  if (s.length > rule.maxGraphemes && countGraphemes(s) > rule.maxGraphemes) {
    fail('E_TOO_MANY_GRAPHEMES', `${rule.field}: more than ${rule.maxGraphemes} graphemes`)
  }
}

// --- hashtags (protocol/events.md §6) ---

const TAG_CHARS = /^[\p{L}\p{M}\p{N}_]+$/u
const HAS_LETTER = /\p{L}/u
// A hashtag starts with `#` or the full-width `＃` and runs over letters, marks, digits and `_`.
// It must not follow a letter, digit, `_`, `&`, `/` or `#` (so `C#`, `a#b`, `&#123;` and URL
// fragments are not tags) — except a CJK character, since Chinese and Japanese write no spaces.
// A Weibo-style closing `#` (`#话题#`) is accepted and not part of the tag.
const HASHTAG = /(?<=^|[^\p{L}\p{M}\p{N}_&/#＃]|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[#＃]([\p{L}\p{M}\p{N}_]+)[#＃]?/gu

/** The canonical form of a hashtag: without the leading `#`, NFKC, lower case. */
export function normalizeHashtag(tag: string): string {
  const bare = tag.startsWith('#') || tag.startsWith('＃') ? tag.slice(1) : tag
  return bare.normalize('NFKC').toLowerCase().normalize('NFKC')
}

/** True for a tag as it must appear on the wire: normalized, tag characters only, one letter at least. */
export function isValidHashtag(tag: string): boolean {
  return (
    tag.length > 0 &&
    TAG_CHARS.test(tag) &&
    HAS_LETTER.test(tag) &&
    normalizeHashtag(tag) === tag &&
    utf8Length(tag) <= MAX_TAG_BYTES &&
    (tag.length <= MAX_TAG_GRAPHEMES || countGraphemes(tag) <= MAX_TAG_GRAPHEMES)
  )
}

/**
 * The distinct normalized hashtags of a text, in order of first appearance. Tags that would not
 * be valid on the wire (only digits, too long) are skipped; the caller caps the count (MAX_TAGS).
 */
export function extractHashtags(text: string): string[] {
  const seen = new Set<string>()
  for (const match of text.matchAll(HASHTAG)) {
    const tag = normalizeHashtag(match[1] ?? '')
    if (!seen.has(tag) && isValidHashtag(tag)) seen.add(tag)
  }
  return [...seen]
}

// --- reactions ---

const EMOJI_CHAR = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u
const NO_SPACE = /^[^\s\p{Cc}]+$/u

/** A reaction emoji: exactly one grapheme, at most `maxBytes` UTF-8 bytes, pictographic. */
export function isSingleEmoji(s: string, maxBytes: number): boolean {
  return s.length > 0 && isWellFormed(s) && utf8Length(s) <= maxBytes && NO_SPACE.test(s) && EMOJI_CHAR.test(s) && countGraphemes(s) === 1
}

/**
 * The text form of a multiaddr as invites and relay records carry it (invites.md §2,
 * relays.md §2): `/` then printable ASCII without space. Parsing further is the network's job.
 */
export function isMultiaddrText(s: string): boolean {
  return /^\/[\x21-\x7e]+$/.test(s)
}
