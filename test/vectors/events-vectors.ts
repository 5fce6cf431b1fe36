// Builds protocol/vectors/events.json (see protocol/events.md): valid events of every kind and
// invalid inputs, each invalid one with exactly one defect and the error code it must produce.
import * as dagCbor from '@ipld/dag-cbor'
import { concatBytes, fromHex, utf8Encode } from '../../src/core/bytes.ts'
import { createEvent, type EventDraft } from '../../src/core/event-create.ts'
import { unsignedEventBytes } from '../../src/core/event-decode.ts'
import { signedBytes } from '../../src/core/keys.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import type { AuthorId, PublicKey, SecretKey, SignedEvent } from '../../src/core/types.ts'
import { buildContentVectors, CONJUNCT, EXT_B, FAMILY } from './event-content-vectors.ts'
import { buildDecodingVectors } from './event-decoding-vectors.ts'
import { enc, float, head, mapInOrder, text } from './raw-cbor.ts'
import { NOW, SMALL_ORDER_KEY, TS, hex, signMap, testKey, withNonCanonicalS, type InvalidCase } from './vector-kit.ts'

const alice = testKey('alice')
const bob = testKey('bob')

/** What the invalid-vector builders share: the wire map of a valid post, signing, and the list. */
export interface EventVectorContext {
  /** the unsigned wire map of a valid post, and its body */
  readonly base: Record<string, unknown>
  readonly body: Record<string, unknown>
  /** that post's signature */
  readonly sig: Uint8Array
  /** the unsigned wire map of a valid reaction */
  readonly rwire: Record<string, unknown>
  readonly rootId: string
  readonly alice: { secret: Uint8Array; publicKey: Uint8Array }
  readonly bob: { secret: Uint8Array; publicKey: Uint8Array }
  readonly aliceDid: AuthorId
  /** signed by alice (or `who`) under the event tag: one defect, a valid signature */
  signed(m: Record<string, unknown>, who?: { secret: Uint8Array }): Uint8Array
  /** the post with another body, signed */
  withBody(b: Record<string, unknown>): Uint8Array
  add(description: string, bytes: Uint8Array, code: string): void
}

function validCase(description: string, e: SignedEvent, who: { secret: Uint8Array; publicKey: Uint8Array }): Record<string, unknown> {
  const { id, sig, bytes, ...fields } = e
  return {
    description,
    valid: true,
    now: NOW,
    secretKeyHex: hex(who.secret),
    publicKeyHex: hex(who.publicKey),
    signedBytesHex: hex(signedBytes('wildgrass/event/v1', unsignedEventBytes(e))),
    signatureHex: hex(sig),
    idHex: id,
    bytesHex: hex(bytes),
    event: fields,
  }
}

export function buildEventVectors(): unknown[] {
  const make = (draft: EventDraft, who = alice) => createEvent(who.secret, draft, { now: NOW })
  const root = make({ kind: 'post', ts: TS - 3_600_000, body: { text: 'Hello, Wildgrass! #FirstPost', lang: 'en' } })
  const zh = make({ kind: 'post', ts: TS - 1_800_000, body: { text: '野火烧不尽，春风吹又生 🌱🔥 #中文标签 #野草', lang: 'zh-Hans' } })
  const repostByBob = make({ kind: 'repost', ts: TS - 900_000, body: { target: root.id } }, bob)
  const reply = make({
    kind: 'post',
    ts: TS,
    body: {
      text: '回覆：說得好！👍🏽\n第二行\t（含製表符）',
      reply: { root: root.id, parent: zh.id },
      mentions: [root.author, repostByBob.author],
      tags: ['#討論', 'Wildgrass'],
      cw: '劇透 spoiler',
      lang: 'zh-Hant',
    },
  })
  const direct = make({ kind: 'post', ts: TS, body: { text: 'A direct reply', reply: { root: root.id, parent: root.id } } })
  const quote = make({ kind: 'post', ts: TS, body: { text: 'Quoting this 👇', quote: zh.id } })
  const reaction = make({ kind: 'reaction', ts: TS, body: { target: zh.id, emoji: '👍🏽' } })
  const flag = make({ kind: 'reaction', ts: TS, body: { target: root.id, emoji: '👨‍👩‍👧‍👦' } })
  const repost = make({ kind: 'repost', ts: TS, body: { target: zh.id } }, bob)
  const edited = make({ kind: 'edit', ts: TS, body: { target: zh.id, text: '野火烧不尽，春风吹又生 🌱 #野草（改了一个字）', cw: '改过', lang: 'zh-Hans', mentions: [repostByBob.author] } })
  const photos = make({
    kind: 'post',
    ts: TS,
    body: {
      text: '今天的猫 🐱 #猫',
      images: [
        { sha256: 'a1'.repeat(32), type: 'image/jpeg', size: 482_113, w: 2048, h: 1536, alt: '一只橘猫在窗台上晒太阳', blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj', thumb: 'b2'.repeat(32) },
        { sha256: 'c3'.repeat(32), type: 'image/png', size: 1_048_576, w: 1, h: 8192 },
      ],
    },
  })
  const longest = make({ kind: 'post', ts: TS, body: { text: '草'.repeat(500) } })
  const edge = make({ kind: 'post', ts: NOW + 10 * 60_000, body: { text: 'exactly ten minutes ahead' } })
  const post = (body: EventDraft['body']) => make({ kind: 'post', ts: TS, body } as EventDraft)
  const react = (emoji: string) => make({ kind: 'reaction', ts: TS, body: { target: root.id, emoji } })
  const mentions20 = Array.from({ length: 20 }, (_, i) => encodeDidKey(testKey(`mention-${i}`).publicKey as PublicKey))

  const A = alice
  const B = bob
  const valid = [
    validCase('post: English text, one hashtag taken from the text, lang', root, A),
    validCase('post: Chinese text with emoji and two Chinese hashtags', zh, A),
    validCase('post: reply (root != parent), two mentions, explicit tags normalized, cw, zh-Hant, newline and tab', reply, A),
    validCase('post: direct reply (root == parent)', direct, A),
    validCase('post: quote', quote, A),
    validCase('reaction: emoji with skin-tone modifier', reaction, A),
    validCase('reaction: ZWJ family emoji (one grapheme, 25 bytes)', flag, A),
    validCase('repost by another author', repost, B),
    validCase('repost of the first post', repostByBob, B),
    validCase('post: two images, one with alt, blurhash and thumbnail, one of exactly 1 MiB and 1×8192 px', photos, A),
    validCase('edit: a new version of the Chinese post, with a cw, a mention and a hashtag taken from the text', edited, A),
    validCase('post: exactly 500 graphemes of Chinese text', longest, A),
    validCase('post: timestamp exactly now + 10 minutes', edge, A),
    validCase('post: text of exactly 3000 UTF-8 bytes (120 ZWJ families)', post({ text: FAMILY.repeat(120) }), A),
    validCase('post: exactly 4096 bytes on the wire (MAX_EVENT_BYTES)', exactly4096(post), A),
    validCase('post: timestamp exactly 2024-01-01T00:00:00.000Z (the earliest)', make({ kind: 'post', ts: Date.UTC(2024, 0, 1), body: { text: 'the first moment' } }), A),
    validCase('post: 500 graphemes, 10 of them Indic conjuncts (one grapheme each from Unicode 15.1 on)', post({ text: '草'.repeat(490) + CONJUNCT.repeat(10) }), A),
    validCase('post: U+FEFF inside the text (only a leading one is invalid)', post({ text: 'zero\ufeffwidth' }), A),
    validCase('post: cw of exactly 600 bytes (24 ZWJ families)', post({ text: 'hi', cw: FAMILY.repeat(24) }), A),
    validCase('post: cw of exactly 100 graphemes', post({ text: 'hi', cw: 'w'.repeat(100) }), A),
    validCase('post: ten tags, one of exactly 200 bytes (50 Extension B ideographs), one of 50 graphemes, one with digits', post({ text: 'hi', tags: [EXT_B.repeat(50), 'a'.repeat(50), 'a1', '_x', 'ß', 'é', '日本語', 'ε', 'x\u0301', 't9'] }), A),
    validCase('post: twenty distinct mentions (the maximum)', post({ text: 'hi', mentions: mentions20 }), A),
    validCase('post: lang of exactly 35 bytes', post({ text: 'hi', lang: 'abc-12345678-12345678-12345678-1234' }), A),
    validCase('reaction: kiss with two skin tones (one grapheme, 35 bytes: the longest RGI emoji)', react('👨🏽‍❤️‍💋‍👨🏽'), A),
    validCase('reaction: one grapheme of exactly 64 bytes (👍 and 20 VS16)', react('👍' + '\ufe0f'.repeat(20)), A),
    validCase('reaction: a keycap without VS16 (1 + U+20E3)', react('1\u20e3'), A),
    validCase('reaction: one regional indicator alone', react('🇦'), A),
    validCase('reaction: a subdivision flag (tag sequence, 28 bytes)', react('🏴󠁧󠁢󠁳󠁣󠁴󠁿'), A),
  ]
  return [...valid, ...buildInvalid(root, reaction)]
}

function wireOf(e: SignedEvent): Record<string, unknown> {
  const { sig: _sig, ...unsigned } = dagCbor.decode<Record<string, unknown>>(e.bytes)
  return unsigned
}

function buildInvalid(root: SignedEvent, reaction: SignedEvent): InvalidCase[] {
  const base = wireOf(root)
  const body = base.body as Record<string, unknown>
  const signed = (m: Record<string, unknown>, who = alice) => signMap(who.secret, m, 'wildgrass/event/v1')
  const withBody = (b: Record<string, unknown>) => signed({ ...base, body: b })
  const cases: InvalidCase[] = []
  const add = (description: string, bytes: Uint8Array, code: string) =>
    cases.push({ description, valid: false, now: NOW, code, bytesHex: hex(bytes) })

  const good = root.bytes
  const flippedSig = root.sig.slice()
  flippedSig[63]! ^= 0x01
  add('bad signature: last signature byte flipped', enc({ ...base, sig: flippedSig }), 'E_BAD_SIGNATURE')
  const flippedS = root.sig.slice()
  flippedS[40]! ^= 0x10
  add('bad signature: a bit of S flipped (S stays canonical)', enc({ ...base, sig: flippedS }), 'E_BAD_SIGNATURE')
  add("another author's key: signed by bob, author field is alice", signed(base, bob), 'E_BAD_SIGNATURE')
  add('tampered field: text changed after signing', enc({ ...base, body: { ...body, text: 'Hello, Wildgrass! #FirstPosT' }, sig: root.sig }), 'E_BAD_SIGNATURE')
  add('tampered field: ts changed after signing', enc({ ...base, ts: TS - 3_600_001, sig: root.sig }), 'E_BAD_SIGNATURE')
  add('signature made with the change tag (cross-type replay)', enc({ ...base, sig: signMapSig(base, 'wildgrass/change/v1') }), 'E_BAD_SIGNATURE')
  add('non-canonical signature: S + L', enc({ ...base, sig: withNonCanonicalS(root.sig) }), 'E_NON_CANONICAL_SIG')
  add('small-order author key (identity point)', enc({ ...base, author: SMALL_ORDER_KEY, sig: root.sig }), 'E_SMALL_ORDER_KEY')
  add('author key of 31 bytes', signed({ ...base, author: alice.publicKey.subarray(1) }), 'E_BAD_KEY')
  add('signature of 63 bytes', enc({ ...base, sig: root.sig.subarray(1) }), 'E_MALFORMED')
  add('missing signature', enc(base), 'E_MALFORMED')

  // encoding
  add('empty input', new Uint8Array(0), 'E_TRUNCATED')
  add('truncated: last byte missing', good.subarray(0, good.length - 1), 'E_TRUNCATED')
  add('truncated: only the map header', good.subarray(0, 1), 'E_TRUNCATED')
  add('trailing byte after the map', concatBytes(good, Uint8Array.of(0x00)), 'E_MALFORMED')
  add('not a map: a CBOR array', enc([1, 'post']), 'E_MALFORMED')
  const entries = Object.entries({ ...base, sig: root.sig }).map(([k, v]) => [k, enc(v)] as const)
  add('non-canonical: map keys not sorted (author first)', mapInOrder([...entries].sort(([a], [b]) => (a === 'author' ? -1 : b === 'author' ? 1 : 0))), 'E_NON_CANONICAL')
  add('non-canonical: v encoded as a two-byte integer', mapInOrder(entries.map(([k, v]) => [k, k === 'v' ? head(0, 1, 1) : v] as const)), 'E_NON_CANONICAL')
  add('ts as an integral float64 (no floats at all)', mapInOrder(entries.map(([k, v]) => [k, k === 'ts' ? float(TS - 3_600_000, 8) : v] as const)), 'E_MALFORMED')
  add('duplicate map key: v twice', concatBytes(head(5, entries.length + 1), text('v'), enc(1), ...entries.flatMap(([k, v]) => [text(k), v])), 'E_MALFORMED')
  add('indefinite-length map', concatBytes(Uint8Array.of(0xbf), ...entries.flatMap(([k, v]) => [text(k), v]), Uint8Array.of(0xff)), 'E_MALFORMED')
  add('invalid UTF-8 in text', mapInOrder(entries.map(([k, v]) => [k, k === 'body' ? mapInOrder([['text', concatBytes(head(3, 2), Uint8Array.of(0xff, 0xfe))]]) : v] as const)), 'E_BAD_TEXT')
  add('overlong UTF-8 encoding of "/" in text', mapInOrder(entries.map(([k, v]) => [k, k === 'body' ? mapInOrder([['text', concatBytes(head(3, 2), Uint8Array.of(0xc0, 0xaf))]]) : v] as const)), 'E_BAD_TEXT')
  add('UTF-8 encoded surrogate (CESU) in text', mapInOrder(entries.map(([k, v]) => [k, k === 'body' ? mapInOrder([['text', concatBytes(head(3, 3), Uint8Array.of(0xed, 0xa0, 0x80))]]) : v] as const)), 'E_BAD_TEXT')
  add('oversize: 4097 bytes', padTo(signed({ ...base, body: { text: 'x'.repeat(2900) } }), 4097), 'E_OVERSIZE')

  // version, kind, fields
  add('unknown version: v = 2', signed({ ...base, v: 2 }), 'E_UNKNOWN_VERSION')
  add('version of the wrong type: v = "1"', signed({ ...base, v: '1' }), 'E_MALFORMED')
  add('unknown kind: poll', signed({ ...base, kind: 'poll' }), 'E_UNKNOWN_KIND')
  add('unknown top-level field: edited', signed({ ...base, edited: true }), 'E_UNKNOWN_FIELD')
  add('unknown body field: media', withBody({ ...body, media: 'x' }), 'E_UNKNOWN_FIELD')
  add('missing field: body', signed({ v: 1, kind: 'post', author: alice.publicKey, ts: TS }), 'E_MALFORMED')
  add('missing field: text', withBody({ lang: 'en' }), 'E_MALFORMED')
  add('wrong type: ts as text', signed({ ...base, ts: String(TS) }), 'E_MALFORMED')
  add('wrong type: ts negative', signed({ ...base, ts: -1 }), 'E_MALFORMED')
  add('ts as the float 1.5', signed({ ...base, ts: 1.5 }), 'E_MALFORMED')
  add('wrong type: text as bytes', withBody({ text: utf8Encode('hi') }), 'E_MALFORMED')

  // references
  add('reply without root', withBody({ text: 'hi', reply: { parent: fromHex(root.id) } }), 'E_BAD_REFERENCE')
  add('reply without parent', withBody({ text: 'hi', reply: { root: fromHex(root.id) } }), 'E_BAD_REFERENCE')
  add('quote id of 31 bytes', withBody({ text: 'hi', quote: fromHex(root.id).subarray(1) }), 'E_BAD_REFERENCE')
  add('quote id as hex text instead of bytes', withBody({ text: 'hi', quote: root.id }), 'E_BAD_REFERENCE')
  const rwire = wireOf(reaction)
  add('reaction target of 33 bytes', signed({ ...rwire, body: { emoji: '👍', target: concatBytes(fromHex(root.id), Uint8Array.of(0)) } }), 'E_BAD_REFERENCE')

  // content rules
  add('too many graphemes: 501 Chinese characters', withBody({ text: '草'.repeat(501) }), 'E_TOO_MANY_GRAPHEMES')
  add('text over 3000 UTF-8 bytes in 121 graphemes', withBody({ text: '👨‍👩‍👧‍👦'.repeat(121) }), 'E_OVERSIZE')
  add('empty text', withBody({ text: '' }), 'E_BAD_TEXT')
  add('whitespace-only text', withBody({ text: ' \n\t ' }), 'E_BAD_TEXT')
  add('control character BEL in text', withBody({ text: 'ring\u0007' }), 'E_BAD_TEXT')
  add('carriage return in text', withBody({ text: 'a\r\nb' }), 'E_BAD_TEXT')
  add('C1 control character in text', withBody({ text: 'a\u0085b' }), 'E_BAD_TEXT')
  add('newline in content warning', withBody({ text: 'hi', cw: 'a\nb' }), 'E_BAD_TEXT')
  add('content warning of 101 graphemes', withBody({ text: 'hi', cw: 'w'.repeat(101) }), 'E_TOO_MANY_GRAPHEMES')
  add('11 tags', withBody({ text: 'hi', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }), 'E_OVERSIZE')
  add('tag not normalized (upper case)', withBody({ text: 'hi', tags: ['Wildgrass'] }), 'E_BAD_TEXT')
  add('tag with a leading #', withBody({ text: 'hi', tags: ['#wildgrass'] }), 'E_BAD_TEXT')
  add('duplicate tag', withBody({ text: 'hi', tags: ['a', 'a'] }), 'E_MALFORMED')
  add('empty tag list (must be omitted)', withBody({ text: 'hi', tags: [] }), 'E_NON_CANONICAL')
  add('21 mentions', withBody({ text: 'hi', mentions: Array.from({ length: 21 }, () => alice.publicKey) }), 'E_OVERSIZE')
  add('duplicate mention', withBody({ text: 'hi', mentions: [alice.publicKey, alice.publicKey] }), 'E_MALFORMED')
  add('lang not a BCP 47 tag', withBody({ text: 'hi', lang: 'english language' }), 'E_BAD_TEXT')
  add('reaction with two emoji', signed({ ...rwire, body: { ...(rwire.body as object), emoji: '👍👍' } }), 'E_BAD_TEXT')
  add('reaction with a letter, not an emoji', signed({ ...rwire, body: { ...(rwire.body as object), emoji: 'a' } }), 'E_BAD_TEXT')

  // time
  add('timestamp 10 minutes and 1 ms in the future', signed({ ...base, ts: NOW + 600_001 }), 'E_TIMESTAMP_FUTURE')
  add('timestamp far in the future (year 2100)', signed({ ...base, ts: Date.UTC(2100, 0, 1) }), 'E_TIMESTAMP_FUTURE')
  add('timestamp before 2024-01-01', signed({ ...base, ts: Date.UTC(2023, 11, 31, 23, 59, 59, 999) }), 'E_TIMESTAMP_PAST')

  const context: EventVectorContext = {
    base, body, sig: root.sig, rwire, rootId: root.id, alice, bob, aliceDid: root.author,
    signed: (m, who = alice) => signMap(who.secret as SecretKey, m, 'wildgrass/event/v1'),
    withBody,
    add,
  }
  buildDecodingVectors(context)
  buildContentVectors(context)
  return cases
}

function signMapSig(unsigned: Record<string, unknown>, tag: 'wildgrass/change/v1'): Uint8Array {
  const bytes = signMap(alice.secret, unsigned, tag)
  return (dagCbor.decode<Record<string, unknown>>(bytes).sig as Uint8Array)
}

/** Makes a signed event exactly `size` bytes long by lengthening its text (then signing again). */
function padTo(bytes: Uint8Array, size: number): Uint8Array {
  const map = dagCbor.decode<Record<string, unknown>>(bytes)
  const { sig: _s, ...unsigned } = map
  const body = unsigned.body as { text: string }
  let text = body.text
  for (;;) {
    const out = signMap(alice.secret, { ...unsigned, body: { text } }, 'wildgrass/event/v1')
    if (out.length === size) return out
    text += 'x'.repeat(Math.max(1, size - out.length))
    if (out.length > size) throw new Error('padTo overshoot')
  }
}

/** A post of exactly MAX_EVENT_BYTES: 3000 bytes of text, a 600-byte cw, then tags that fill the rest. */
function exactly4096(post: (body: EventDraft['body']) => SignedEvent): SignedEvent {
  const body = { text: FAMILY.repeat(120), cw: FAMILY.repeat(24) }
  const tags: string[] = []
  for (let i = 0; tags.length < 10; i++) {
    const left = 4096 - post({ ...body, tags: [...tags, `${String.fromCharCode(97 + i)}`] } as EventDraft['body']).bytes.length
    if (left < 0) break
    // this tag as long as the room allows (at most 50 letters); the last one closes the gap
    const tag = String.fromCharCode(97 + i).repeat(Math.min(50, 1 + left))
    tags.push(tag)
    if (post({ ...body, tags } as EventDraft['body']).bytes.length === 4096) return post({ ...body, tags } as EventDraft['body'])
  }
  throw new Error('could not fill a post to exactly 4096 bytes')
}
