// Builds protocol/vectors/sync-frames.json (protocol/sync.md "Frames"): every request and answer,
// the limits at their value and one past it, and malformed frames with the code the order of
// sync.md gives. `direction` says which side reads the frame (decodeRequest / decodeResponse).
import { concatBytes, toHex, utf8Encode } from '../../src/core/bytes.ts'
import { decodeRequest, decodeResponse, encodeFrame, type Frame } from '../../src/net/sync/frames.ts'
import { frameToJson } from '../support/vectors-net.ts'
import { enc, float, head, mapInOrder, mapWith, rawText, text } from './raw-cbor.ts'

const AUTHOR = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const AUTHOR_2 = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH'
const HEAD = 'c734bcfe355462d970fa2f4ed0ebe765bf227fa259899363326da4c08334ddaf'
const ID = 'a'.repeat(64)
const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0'))

type Direction = 'request' | 'response'

export function buildSyncFrameVectors(): unknown[] {
  const cases: unknown[] = []
  const valid = (description: string, direction: Direction, bytes: Uint8Array) => {
    const frame = direction === 'request' ? decodeRequest(bytes) : decodeResponse(bytes)
    const canonical = toHex(encodeFrame(frame)) === toHex(bytes)
    cases.push({ description, valid: true, direction, bytesHex: toHex(bytes), canonical, frame: frameToJson(frame) })
  }
  const frame = (description: string, direction: Direction, f: Frame) => valid(description, direction, encodeFrame(f))
  const invalid = (description: string, direction: Direction, bytes: Uint8Array, code: string, extra: Record<string, unknown> = {}) =>
    cases.push({ description, valid: false, direction, bytesHex: toHex(bytes), code, ...extra })

  // every request and every answer
  frame('get-heads for two authors', 'request', { t: 'get-heads', authors: [AUTHOR as never, AUTHOR_2 as never] })
  frame('get-heads for no author', 'request', { t: 'get-heads', authors: [] })
  frame('get-heads for 256 authors (the limit)', 'request', { t: 'get-heads', authors: Array.from({ length: 256 }, () => AUTHOR as never) })
  frame('get-heads: an author of did:key shape that is no key (shape only; the signatures are the gate)', 'request', { t: 'get-heads', authors: ['did:key:z1' as never] })
  frame('get-changes with no heads (everything)', 'request', { t: 'get-changes', author: AUTHOR as never, since: [] })
  frame('get-changes with 64 heads (the limit)', 'request', { t: 'get-changes', author: AUTHOR as never, since: Array.from({ length: 64 }, () => HEAD) })
  frame('get-events for two ids', 'request', { t: 'get-events', ids: [ID as never, ids(1)[0] as never] })
  frame('get-events for 1024 ids (the limit)', 'request', { t: 'get-events', ids: ids(1024) as never[] })
  frame('get-recent without a cursor', 'request', { t: 'get-recent', limit: 1 })
  frame('get-recent after a cursor of 128 bytes, limit 200 (both limits)', 'request', { t: 'get-recent', after: 'c'.repeat(128), limit: 200 })
  frame('heads: one author with heads, one unknown ([])', 'response', { t: 'heads', heads: [{ author: AUTHOR as never, heads: [HEAD] }, { author: AUTHOR_2 as never, heads: [] }] })
  frame('changes: two envelopes, more to come', 'response', { t: 'changes', author: AUTHOR as never, envelopes: [Uint8Array.of(1, 2, 3), Uint8Array.of(4)], done: false })
  frame('changes: the last frame, empty', 'response', { t: 'changes', author: AUTHOR as never, envelopes: [], done: true })
  frame('changes: 1024 items (the limit per frame)', 'response', { t: 'changes', author: AUTHOR as never, envelopes: Array.from({ length: 1024 }, () => Uint8Array.of(7)), done: true })
  frame('events: one event of exactly 4096 bytes', 'response', { t: 'events', events: [new Uint8Array(4096).fill(0xa6)], done: true })
  frame('recent: events and a cursor', 'response', { t: 'recent', events: [Uint8Array.of(9)], cursor: '42' })
  frame('recent: nothing new, no cursor', 'response', { t: 'recent', events: [] })
  frame('error: a code and a message', 'response', { t: 'error', code: 'E_MALFORMED', message: 'sync: unknown frame type' })
  frame('error: a message of exactly 256 bytes (85 three-byte characters and one ASCII)', 'response', { t: 'error', code: 'E_MALFORMED', message: '错'.repeat(85) + 'x' })
  valid('keys in any order (frames need not be canonical)', 'request', mapInOrder([['limit', enc(5)], ['t', enc('get-recent')]]))

  // reading (conventions.md "Decoding CBOR", key order free)
  const recent = (raw: Record<string, Uint8Array>) => mapWith({ t: 'get-recent', limit: 5 }, raw)
  invalid('empty', 'request', new Uint8Array(0), 'E_TRUNCATED')
  invalid('larger than 1 MiB (the input is this map followed by zero bytes up to sizeBytes)', 'request', enc({ t: 'get-heads', authors: [] }), 'E_OVERSIZE', { sizeBytes: 1024 * 1024 + 1 })
  invalid('a CBOR array, not a map', 'request', enc(['get-heads']), 'E_MALFORMED')
  invalid('cut short', 'request', enc({ t: 'get-heads', authors: [AUTHOR] }).subarray(0, 20), 'E_TRUNCATED')
  invalid('a byte after the map', 'request', concatBytes(enc({ t: 'get-heads', authors: [] }), Uint8Array.of(0)), 'E_MALFORMED')
  invalid('limit with a head longer than necessary (0x18 0x05)', 'request', recent({ limit: head(0, 5, 1) }), 'E_NON_CANONICAL')
  invalid('limit as the float 1.0 (no floats, even in frames)', 'request', recent({ limit: float(1, 2) }), 'E_MALFORMED')
  invalid('a tag around the cursor', 'request', recent({ after: concatBytes(Uint8Array.of(0xc0), text('42')) }), 'E_MALFORMED')
  invalid('a cursor of invalid UTF-8 (never replaced by U+FFFD)', 'request', recent({ after: rawText(Uint8Array.of(0x34, 0xff)) }), 'E_BAD_TEXT')
  invalid('a cursor starting with U+FEFF', 'request', recent({ after: text('\ufeff42') }), 'E_BAD_TEXT')
  invalid('a duplicate key', 'request', mapInOrder([['t', enc('get-recent')], ['limit', enc(5)], ['limit', enc(6)]]), 'E_MALFORMED')
  // the frame type, then unknown fields, then the fields in table order
  invalid('no t', 'request', enc({ authors: [] }), 'E_MALFORMED')
  invalid('t not text', 'request', enc({ t: 1, authors: [] }), 'E_MALFORMED')
  invalid('an unknown t', 'request', enc({ t: 'get-everything' }), 'E_MALFORMED')
  invalid('t in another case', 'request', enc({ t: 'GET-HEADS', authors: [] }), 'E_MALFORMED')
  invalid('an unknown t and an unknown field (t first)', 'request', enc({ t: 'nope', extra: 1 }), 'E_MALFORMED')
  invalid('an unknown field', 'request', enc({ t: 'get-events', ids: [ID], extra: 1 }), 'E_UNKNOWN_FIELD')
  invalid('an unknown field and a bad id (unknown fields first)', 'request', enc({ t: 'get-events', ids: ['x'], extra: 1 }), 'E_UNKNOWN_FIELD')
  invalid('get-heads without authors', 'request', enc({ t: 'get-heads' }), 'E_MALFORMED')
  invalid('get-heads with 257 authors', 'request', enc({ t: 'get-heads', authors: Array.from({ length: 257 }, () => AUTHOR) }), 'E_OVERSIZE')
  invalid('get-heads: an author that is not a did:key', 'request', enc({ t: 'get-heads', authors: ['did:web:relay.example'] }), 'E_MALFORMED')
  invalid('get-heads: an author of 129 bytes (length before shape)', 'request', enc({ t: 'get-heads', authors: [`did:key:z${'1'.repeat(120)}`] }), 'E_OVERSIZE')
  invalid('get-heads: an author as bytes', 'request', enc({ t: 'get-heads', authors: [utf8Encode(AUTHOR)] }), 'E_MALFORMED')
  invalid('get-changes without author', 'request', enc({ t: 'get-changes', since: [] }), 'E_MALFORMED')
  invalid('get-changes with 65 heads', 'request', enc({ t: 'get-changes', author: AUTHOR, since: Array.from({ length: 65 }, () => HEAD) }), 'E_OVERSIZE')
  invalid('get-changes: a head in upper-case hex', 'request', enc({ t: 'get-changes', author: AUTHOR, since: [HEAD.toUpperCase()] }), 'E_MALFORMED')
  invalid('get-changes: a head of 63 digits', 'request', enc({ t: 'get-changes', author: AUTHOR, since: [HEAD.slice(1)] }), 'E_MALFORMED')
  invalid('get-changes: a head of 65 digits (length before form)', 'request', enc({ t: 'get-changes', author: AUTHOR, since: [HEAD + 'a'] }), 'E_OVERSIZE')
  invalid('get-changes: a bad author and a bad head (author first)', 'request', enc({ t: 'get-changes', author: 'x', since: [HEAD + 'a'] }), 'E_MALFORMED')
  invalid('get-events with 1025 ids', 'request', enc({ t: 'get-events', ids: ids(1025) }), 'E_OVERSIZE')
  invalid('get-events: an id as 32 bytes, not hex text', 'request', enc({ t: 'get-events', ids: [new Uint8Array(32)] }), 'E_MALFORMED')
  invalid('get-recent without limit', 'request', enc({ t: 'get-recent' }), 'E_MALFORMED')
  invalid('get-recent with limit 0', 'request', enc({ t: 'get-recent', limit: 0 }), 'E_OVERSIZE')
  invalid('get-recent with limit 201', 'request', enc({ t: 'get-recent', limit: 201 }), 'E_OVERSIZE')
  invalid('get-recent with limit -1', 'request', enc({ t: 'get-recent', limit: -1 }), 'E_OVERSIZE')
  invalid('get-recent with limit 2^53 (beyond the safe integers)', 'request', enc({ t: 'get-recent', limit: 2n ** 53n }), 'E_MALFORMED')
  invalid('get-recent with limit as text', 'request', enc({ t: 'get-recent', limit: '5' }), 'E_MALFORMED')
  invalid('get-recent with a cursor of 129 bytes', 'request', enc({ t: 'get-recent', after: 'c'.repeat(129), limit: 5 }), 'E_OVERSIZE')
  invalid('get-recent with a null cursor (absent, never null)', 'request', enc({ t: 'get-recent', after: null, limit: 5 }), 'E_MALFORMED')
  invalid('heads: an entry that is not a map', 'response', enc({ t: 'heads', heads: [AUTHOR] }), 'E_MALFORMED')
  invalid('heads: an entry with an unknown field', 'response', enc({ t: 'heads', heads: [{ author: AUTHOR, heads: [], seq: 1 }] }), 'E_UNKNOWN_FIELD')
  invalid('heads: an entry with 65 heads', 'response', enc({ t: 'heads', heads: [{ author: AUTHOR, heads: Array.from({ length: 65 }, () => HEAD) }] }), 'E_OVERSIZE')
  invalid('heads: 257 entries', 'response', enc({ t: 'heads', heads: Array.from({ length: 257 }, () => ({ author: AUTHOR, heads: [] })) }), 'E_OVERSIZE')
  invalid('changes without done', 'response', enc({ t: 'changes', author: AUTHOR, envelopes: [] }), 'E_MALFORMED')
  invalid('changes with done = 1', 'response', enc({ t: 'changes', author: AUTHOR, envelopes: [], done: 1 }), 'E_MALFORMED')
  invalid('changes: an item as text', 'response', enc({ t: 'changes', author: AUTHOR, envelopes: ['x'], done: true }), 'E_MALFORMED')
  invalid('changes: an empty item', 'response', enc({ t: 'changes', author: AUTHOR, envelopes: [new Uint8Array(0)], done: true }), 'E_TRUNCATED')
  invalid('changes: an item of 65793 bytes (one over MAX_CHANGE_ENVELOPE_BYTES)', 'response', enc({ t: 'changes', author: AUTHOR, envelopes: [new Uint8Array(65793)], done: true }), 'E_OVERSIZE')
  invalid('changes: 1025 items', 'response', enc({ t: 'changes', author: AUTHOR, envelopes: Array.from({ length: 1025 }, () => Uint8Array.of(7)), done: true }), 'E_OVERSIZE')
  invalid('changes: a bad author and done missing (author first)', 'response', enc({ t: 'changes', author: 'x', envelopes: [] }), 'E_MALFORMED')
  invalid('events: an item of 4097 bytes', 'response', enc({ t: 'events', events: [new Uint8Array(4097)], done: true }), 'E_OVERSIZE')
  invalid('events: an empty item and done missing (items first)', 'response', enc({ t: 'events', events: [new Uint8Array(0)] }), 'E_TRUNCATED')
  invalid('recent without events', 'response', enc({ t: 'recent', cursor: '1' }), 'E_MALFORMED')
  invalid('recent with a cursor of 129 bytes', 'response', enc({ t: 'recent', events: [], cursor: 'c'.repeat(129) }), 'E_OVERSIZE')
  invalid('error with a code of 33 bytes', 'response', enc({ t: 'error', code: 'E'.repeat(33), message: 'x' }), 'E_OVERSIZE')
  invalid('error with a message of 257 bytes', 'response', enc({ t: 'error', code: 'E_MALFORMED', message: 'x'.repeat(257) }), 'E_OVERSIZE')
  invalid('error with a message of 86 Chinese characters (258 bytes: bytes are counted)', 'response', enc({ t: 'error', code: 'E_MALFORMED', message: '错'.repeat(86) }), 'E_OVERSIZE')
  invalid('error without a message', 'response', enc({ t: 'error', code: 'E_MALFORMED' }), 'E_MALFORMED')
  // direction
  invalid('an answer where a request is read', 'request', encodeFrame({ t: 'events', events: [], done: true }), 'E_MALFORMED')
  invalid('a request where an answer is read', 'response', encodeFrame({ t: 'get-events', ids: [] }), 'E_MALFORMED')
  invalid('a malformed answer where a request is read (the frame is judged first)', 'request', enc({ t: 'events', events: [new Uint8Array(4097)], done: true }), 'E_OVERSIZE')
  return cases
}
