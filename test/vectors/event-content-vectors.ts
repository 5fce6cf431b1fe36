// Invalid events that pin the content rules of protocol/events.md §4 step 9 (body structure) and
// §5–§7 (text, tags, mentions, cw, lang, emoji), each limit with the first value beyond it (the
// value at the limit is a valid vector in events-vectors.ts).
import { fromHex } from '../../src/core/bytes.ts'
import { SMALL_ORDER_KEY } from './vector-kit.ts'
import type { EventVectorContext } from './events-vectors.ts'

/** Graphemes of known size: a ZWJ family (25 bytes), an Extension B ideograph (4 bytes, a letter). */
export const FAMILY = '👨‍👩‍👧‍👦'
export const EXT_B = '𠀀'
/** क्ष: one grapheme from Unicode 15.1 on (GB9c, Indic conjuncts), two before; 9 bytes. */
export const CONJUNCT = 'क्ष'
/** 👍 and 19 VS16 (61 bytes) then two U+0301 (4 bytes): one grapheme of 65 bytes. */
export const EMOJI_65_BYTES = '👍' + '\ufe0f'.repeat(19) + '\u0301\u0301'
const Y_IS_P = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')
const OFF_CURVE = fromHex('0200000000000000000000000000000000000000000000000000000000000000')

export function buildContentVectors(x: EventVectorContext): void {
  const { add, withBody, alice, bob, rootId } = x
  const id = fromHex(rootId)
  const post = (b: Record<string, unknown>) => withBody({ text: 'hi', ...b })
  const reaction = (b: Record<string, unknown>) => x.signed({ ...x.rwire, body: b })

  // body structure (step 9), in table order
  add('reply with an unknown key beside root and parent', post({ reply: { root: id, parent: id, depth: 1 } }), 'E_UNKNOWN_FIELD')
  add('reply with only an unknown key (unknown keys before the missing root)', post({ reply: { depth: 1 } }), 'E_UNKNOWN_FIELD')
  add('reply as bytes, not a map', post({ reply: id }), 'E_MALFORMED')
  add('reply root of 31 bytes', post({ reply: { root: id.subarray(1), parent: id } }), 'E_BAD_REFERENCE')
  add('quote as null (optional fields are absent, never null)', post({ quote: null }), 'E_BAD_REFERENCE')
  add('cw as null', post({ cw: null }), 'E_MALFORMED')
  add('11 tags and cw as a number (table order: tags before cw)', post({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`), cw: 1 }), 'E_OVERSIZE')
  add('reply with an unknown key and a quote of 31 bytes (table order: reply before quote)', post({ reply: { root: id, parent: id, depth: 1 }, quote: id.subarray(1) }), 'E_UNKNOWN_FIELD')
  add('mentions as one key, not a list', post({ mentions: alice.publicKey }), 'E_MALFORMED')
  add('empty mention list (must be omitted)', post({ mentions: [] }), 'E_NON_CANONICAL')
  add('a mention as did:key text', post({ mentions: [x.aliceDid] }), 'E_MALFORMED')
  add('a mention of 31 bytes (identity.md step 1)', post({ mentions: [alice.publicKey.subarray(1)] }), 'E_BAD_KEY')
  add('a mention with y = p (step 2: not canonical)', post({ mentions: [Y_IS_P] }), 'E_BAD_KEY')
  add('a mention of small order (step 3)', post({ mentions: [SMALL_ORDER_KEY] }), 'E_SMALL_ORDER_KEY')
  add('a mention not on the curve (step 4)', post({ mentions: [OFF_CURVE] }), 'E_BAD_KEY')
  add('a duplicate mention, then a mention of 31 bytes (each element before duplicates)', post({ mentions: [bob.publicKey, bob.publicKey, alice.publicKey.subarray(1)] }), 'E_BAD_KEY')
  add('21 mentions, one of them 31 bytes (the count first)', post({ mentions: [...Array.from({ length: 20 }, () => alice.publicKey), alice.publicKey.subarray(1)] }), 'E_OVERSIZE')
  add('a tag that is not text', post({ tags: ['a', 1] }), 'E_MALFORMED')
  add('11 tags, one of them not normalized (the count first)', post({ tags: [...Array.from({ length: 10 }, (_, i) => `t${i}`), 'UPPER'] }), 'E_OVERSIZE')
  add('reaction without target', reaction({ emoji: '👍' }), 'E_BAD_REFERENCE')
  add('reaction without emoji', reaction({ target: id }), 'E_MALFORMED')
  add('reaction with emoji as bytes and no target (emoji is checked first)', reaction({ emoji: new Uint8Array(4) }), 'E_MALFORMED')
  add('repost without target', x.signed({ ...x.rwire, kind: 'repost', body: {} }), 'E_BAD_REFERENCE')
  const sha = fromHex('a1'.repeat(32))
  const image = (x: Record<string, unknown> = {}) => ({ sha256: sha, type: 'image/jpeg', size: 1000, w: 640, h: 480, ...x })
  add('empty image list (must be omitted)', post({ images: [] }), 'E_NON_CANONICAL')
  add('5 images', post({ images: ['a1', 'a2', 'a3', 'a4', 'a5'].map((h) => image({ sha256: fromHex(h.repeat(32)) })) }), 'E_OVERSIZE')
  add('an image that is not a map', post({ images: [sha] }), 'E_MALFORMED')
  add('an image with an unknown key', post({ images: [image({ exif: 'GPS' })] }), 'E_UNKNOWN_FIELD')
  add('an image hash of 31 bytes', post({ images: [image({ sha256: sha.subarray(1) })] }), 'E_BAD_REFERENCE')
  add('an image of type image/svg+xml (not a raster type a reader may show)', post({ images: [image({ type: 'image/svg+xml' })] }), 'E_MALFORMED')
  add('an image of 1048577 bytes', post({ images: [image({ size: 1_048_577 })] }), 'E_OVERSIZE')
  add('an image of 0 bytes', post({ images: [image({ size: 0 })] }), 'E_MALFORMED')
  add('an image 8193 px wide', post({ images: [image({ w: 8193 })] }), 'E_OVERSIZE')
  add('the same blob twice', post({ images: [image(), image()] }), 'E_MALFORMED')
  add('a thumbnail hash of 33 bytes', post({ images: [image({ thumb: new Uint8Array(33) })] }), 'E_BAD_REFERENCE')
  add('alt text of 301 graphemes (301 bytes)', post({ images: [image({ alt: 'a'.repeat(301) })] }), 'E_TOO_MANY_GRAPHEMES')
  add('alt text of 901 bytes in 226 graphemes', post({ images: [image({ alt: EXT_B.repeat(225) + 'a' })] }), 'E_OVERSIZE')
  add('alt text of white space only', post({ images: [image({ alt: ' \u3000' })] }), 'E_BAD_TEXT')
  add('a blurhash with a character outside its alphabet', post({ images: [image({ blurhash: 'LEHV6n<script>' })] }), 'E_BAD_TEXT')
  add('an edit with images (images are the post\'s)', x.signed({ ...x.rwire, kind: 'edit', body: { target: id, text: 'new', images: [image()] } }), 'E_UNKNOWN_FIELD')
  const edit = (b: Record<string, unknown>) => x.signed({ ...x.rwire, kind: 'edit', body: b })
  add('edit without target', edit({ text: 'new text' }), 'E_BAD_REFERENCE')
  add('edit without text', edit({ target: id }), 'E_MALFORMED')
  add('edit with a reply (the thread is the original post\'s)', edit({ target: id, text: 'new text', reply: { root: id, parent: id } }), 'E_UNKNOWN_FIELD')
  add('edit with a quote (the quote is the original post\'s)', edit({ target: id, text: 'new text', quote: id }), 'E_UNKNOWN_FIELD')
  add('edit of white space only (the text rules of a post)', edit({ target: id, text: ' \u3000 ' }), 'E_BAD_TEXT')
  add('edit with a target of 31 bytes and no text (target first)', edit({ target: id.subarray(1) }), 'E_BAD_REFERENCE')

  // text (§5)
  add('text of 3001 UTF-8 bytes in 121 graphemes', post({ text: FAMILY.repeat(120) + 'a' }), 'E_OVERSIZE')
  add('text of 501 graphemes, 10 of them Indic conjuncts (Unicode 15.1 counts each as one)', post({ text: '草'.repeat(491) + CONJUNCT.repeat(10) }), 'E_TOO_MANY_GRAPHEMES')
  add('vertical tab in text', post({ text: 'a\u000bb' }), 'E_BAD_TEXT')
  add('DEL in text', post({ text: 'a\u007fb' }), 'E_BAD_TEXT')
  add('text of only U+3000 and U+2028 (white space)', post({ text: '\u3000\u2028' }), 'E_BAD_TEXT')
  // cw
  add('cw of 601 UTF-8 bytes in 25 graphemes', post({ cw: FAMILY.repeat(24) + 'a' }), 'E_OVERSIZE')
  add('empty cw', post({ cw: '' }), 'E_BAD_TEXT')
  add('cw of white space only', post({ cw: ' \u3000 ' }), 'E_BAD_TEXT')
  add('tab in cw (single line)', post({ cw: 'a\tb' }), 'E_BAD_TEXT')
  // tags (§5 rules, then §6 form, then duplicates)
  add('tag of 201 bytes in 51 graphemes (bytes before graphemes)', post({ tags: [EXT_B.repeat(50) + 'a'] }), 'E_OVERSIZE')
  add('tag of 51 graphemes', post({ tags: ['a'.repeat(51)] }), 'E_TOO_MANY_GRAPHEMES')
  add('tag of 51 upper-case letters (§5 limits before §6 form)', post({ tags: ['A'.repeat(51)] }), 'E_TOO_MANY_GRAPHEMES')
  add('empty tag', post({ tags: [''] }), 'E_BAD_TEXT')
  add('tag of digits only (no letter)', post({ tags: ['2026'] }), 'E_BAD_TEXT')
  add('tag of an underscore only (no letter)', post({ tags: ['_'] }), 'E_BAD_TEXT')
  add('tag of a combining mark only (no letter)', post({ tags: ['\u0301'] }), 'E_BAD_TEXT')
  add('tag with a hyphen', post({ tags: ['a-b'] }), 'E_BAD_TEXT')
  add('tag with a space', post({ tags: ['a b'] }), 'E_BAD_TEXT')
  add('tag in full-width letters (NFKC would change it)', post({ tags: ['ｗｉｌｄ'] }), 'E_BAD_TEXT')
  add('tag with a full-width ＃', post({ tags: ['＃wild'] }), 'E_BAD_TEXT')
  add('duplicate tag, then an upper-case tag (each tag before duplicates)', post({ tags: ['a', 'a', 'B'] }), 'E_BAD_TEXT')
  // lang (bytes, then pattern)
  add('lang of 36 ASCII bytes', post({ lang: 'abc-12345678-12345678-12345678-12345' }), 'E_OVERSIZE')
  add('lang of 12 Chinese characters (36 bytes: bytes are counted, not characters)', post({ lang: '中'.repeat(12) }), 'E_OVERSIZE')
  add('lang of 11 Chinese characters (33 bytes, not the pattern)', post({ lang: '中'.repeat(11) }), 'E_BAD_TEXT')
  add('empty lang', post({ lang: '' }), 'E_BAD_TEXT')
  add('lang with a trailing hyphen', post({ lang: 'zh-' }), 'E_BAD_TEXT')
  add('lang with a subtag of 9 characters', post({ lang: 'en-123456789' }), 'E_BAD_TEXT')
  // emoji (§7)
  add('emoji of 65 bytes in one grapheme', reaction({ emoji: EMOJI_65_BYTES, target: id }), 'E_BAD_TEXT')
  add('space + U+20E3: one grapheme with a keycap, but white space', reaction({ emoji: ' \u20e3', target: id }), 'E_BAD_TEXT')
  add('U+3000 + U+20E3: one grapheme, but white space', reaction({ emoji: '\u3000\u20e3', target: id }), 'E_BAD_TEXT')
  add('three regional indicators (two graphemes)', reaction({ emoji: '🇨🇳🇦', target: id }), 'E_BAD_TEXT')
  add('e + U+0301: one grapheme, nothing pictographic', reaction({ emoji: 'e\u0301', target: id }), 'E_BAD_TEXT')
  add('empty emoji', reaction({ emoji: '', target: id }), 'E_BAD_TEXT')
  add('emoji starting with U+FEFF', reaction({ emoji: '\ufeff👍', target: id }), 'E_BAD_TEXT')
}
