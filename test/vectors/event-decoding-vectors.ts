// Invalid events that pin protocol/conventions.md "Decoding CBOR" (pass 1 in reading order, then
// pass 2) and events.md §4 steps 4–10 (version, kind, references, field types). Each case has the
// defect(s) its description names and the code the rules' order gives.
import { concatBytes, fromHex, utf8Encode } from '../../src/core/bytes.ts'
import { enc, float, head, mapInOrder, mapWith, rawText, text } from './raw-cbor.ts'
import type { EventVectorContext } from './events-vectors.ts'

/** A CIDv1 (raw, sha2-256) under tag 42, as DAG-CBOR writes links: valid IPLD, never valid here. */
const CID_TAG_42 = fromHex('d82a582500015512209f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')
const INVALID_UTF8 = Uint8Array.of(0xff, 0xfe)

export function buildDecodingVectors(x: EventVectorContext): void {
  const { base, sig, add } = x
  const signedMap = { ...base, sig }
  const at = (raw: Record<string, Uint8Array>) => mapWith(signedMap, raw)
  const bodyWith = (raw: Record<string, Uint8Array>) => at({ body: mapWith(x.body, raw) })
  const nested = (depth: number) => concatBytes(...Array.from({ length: depth }, () => head(4, 1)), enc(0))

  // pass 1, floats, undefined, simple values (conventions.md: no floats at all)
  add('float16 where ts is meant (1.5)', at({ ts: float(1.5, 2) }), 'E_MALFORMED')
  add('float32 where ts is meant (1.5)', at({ ts: float(1.5, 4) }), 'E_MALFORMED')
  add('float64 with an integral value where v is meant (1.0)', at({ v: float(1, 8) }), 'E_MALFORMED')
  add('float64 -0.0 where v is meant', at({ v: float(-0, 8) }), 'E_MALFORMED')
  add('float16 NaN where v is meant', at({ v: float(NaN, 2) }), 'E_MALFORMED')
  add('float64 1.5 under an unknown key (the float is found before the key is judged)', at({ zz: float(1.5, 8) }), 'E_MALFORMED')
  add('undefined (0xf7) where v is meant', at({ v: Uint8Array.of(0xf7) }), 'E_MALFORMED')
  add('simple value 16 (0xf0)', at({ v: Uint8Array.of(0xf0) }), 'E_MALFORMED')
  add('simple value 32 in two bytes (0xf8 0x20)', at({ v: Uint8Array.of(0xf8, 0x20) }), 'E_MALFORMED')
  add('null where v is meant (null is CBOR, but not an integer)', at({ v: Uint8Array.of(0xf6) }), 'E_MALFORMED')
  // tags, reserved values, breaks
  add('a tag-42 CID under an unknown key (tags are never valid)', at({ zz: CID_TAG_42 }), 'E_MALFORMED')
  add('tag 1 (epoch time) around ts', at({ ts: concatBytes(Uint8Array.of(0xc1), enc(base.ts)) }), 'E_MALFORMED')
  add('reserved additional information 28 (0x1c)', at({ v: Uint8Array.of(0x1c) }), 'E_MALFORMED')
  add('a break (0xff) where a value is meant', at({ v: Uint8Array.of(0xff) }), 'E_MALFORMED')
  add('indefinite-length text', bodyWith({ text: Uint8Array.of(0x7f, 0x61, 0x61, 0xff) }), 'E_MALFORMED')
  add('a map key that is an integer', concatBytes(head(5, 7), enc(1), enc(1), at({}).subarray(1)), 'E_MALFORMED')
  // non-minimal heads of every kind (pass 1, E_NON_CANONICAL)
  add('non-minimal length head on a map key ("v" as 0x78 0x01)', concatBytes(head(5, 6), rawText(utf8Encode('v'), 1), at({}).subarray(3)), 'E_NON_CANONICAL')
  add('non-minimal length head on a byte string (sig as 0x59 0x00 0x40)', at({ sig: concatBytes(head(2, 64, 2), sig) }), 'E_NON_CANONICAL')
  add('non-minimal length head on an array (tags as 0x98 0x01)', bodyWith({ tags: concatBytes(head(4, 1, 1), text('a')) }), 'E_NON_CANONICAL')
  add('non-minimal length head on the top-level map (0xb8 0x06)', concatBytes(head(5, 6, 1), at({}).subarray(1)), 'E_NON_CANONICAL')
  add('non-minimal integer v (0x19 0x00 0x01)', at({ v: head(0, 1, 2) }), 'E_NON_CANONICAL')
  // reading order between pass-1 defects, and pass 1 before pass 2
  add('non-minimal length head on invalid UTF-8 (pass 1 wins over pass 2)', bodyWith({ text: rawText(INVALID_UTF8, 1) }), 'E_NON_CANONICAL')
  add('invalid UTF-8 in text, then a non-minimal v later in the bytes (pass 1 wins wherever it is)', at({ v: head(0, 1, 1), body: mapWith(x.body, { text: rawText(INVALID_UTF8) }) }), 'E_NON_CANONICAL')
  add('invalid UTF-8 and unsorted keys (pass 2: text before order)', mapInOrder([['body', mapWith(x.body, { text: rawText(INVALID_UTF8) })], ['v', enc(1)], ['ts', enc(base.ts)], ['sig', enc(sig)], ['kind', enc(base.kind)], ['author', enc(base.author)]]), 'E_BAD_TEXT')
  const withFloat = at({ ts: float(1.5, 8) })
  add('a float, then the input ends (the float comes first in reading order)', withFloat.subarray(0, withFloat.length - 1), 'E_MALFORMED')
  add('a float head with its bytes cut off (the initial byte decides)', concatBytes(head(5, 1), text('v'), Uint8Array.of(0xf9)), 'E_MALFORMED')
  add('a head whose argument is cut off (0x19 and one byte)', concatBytes(head(5, 1), text('v'), Uint8Array.of(0x19, 0x00)), 'E_TRUNCATED')
  add('a duplicate key, then the input ends', concatBytes(head(5, 7), text('v'), enc(1), text('v'), enc(1)), 'E_MALFORMED')
  add('a non-minimal head, then the input ends', concatBytes(head(5, 7), text('v'), head(0, 1, 1)), 'E_NON_CANONICAL')
  // nesting depth (16) and the U+FEFF rule
  add('an unknown key holding nested arrays whose innermost item is at depth 16 (the limit; the key is what fails)', at({ zz: nested(15) }), 'E_UNKNOWN_FIELD')
  add('an unknown key holding nested arrays whose innermost item is at depth 17', at({ zz: nested(16) }), 'E_MALFORMED')
  add('text starting with U+FEFF', bodyWith({ text: text('\ufeffhello') }), 'E_BAD_TEXT')
  add('a map key starting with U+FEFF', at({ '\ufeffv': enc(1) }), 'E_BAD_TEXT')
  add('an empty map key', at({ '': enc(1) }), 'E_UNKNOWN_FIELD')
  add('the key "__proto__"', at({ ['__proto__']: enc(1) }), 'E_UNKNOWN_FIELD')

  // events.md §4 steps 4–10
  const { v: _v, ...noV } = base
  const { kind: _k, ...noKind } = base
  add('missing v', x.signed(noV), 'E_MALFORMED')
  add('v = 0 (another unsigned integer)', x.signed({ ...base, v: 0 }), 'E_UNKNOWN_VERSION')
  add('v = 2^64 - 1 (another unsigned integer, however large)', x.signed({ ...base, v: 2n ** 64n - 1n }), 'E_UNKNOWN_VERSION')
  add('v = -1 (a negative integer is not a version)', x.signed({ ...base, v: -1 }), 'E_MALFORMED')
  add('v = 2 and kind unknown too (version first)', x.signed({ ...base, v: 2, kind: 'poll' }), 'E_UNKNOWN_VERSION')
  add('missing kind', x.signed(noKind), 'E_MALFORMED')
  add('kind as bytes', x.signed({ ...base, kind: utf8Encode('post') }), 'E_MALFORMED')
  add('kind in another case ("Post")', x.signed({ ...base, kind: 'Post' }), 'E_UNKNOWN_KIND')
  add('unknown kind and an unknown field (kind first)', x.signed({ ...base, kind: 'poll', edited: true }), 'E_UNKNOWN_KIND')
  add('author as a did:key text', x.signed({ ...base, author: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }), 'E_MALFORMED')
  add('ts = 2^53 (beyond the integers every platform holds exactly)', x.signed({ ...base, ts: 2n ** 53n }), 'E_MALFORMED')
  add('ts = 2^53 - 1 (an integer, far in the future)', x.signed({ ...base, ts: 2 ** 53 - 1 }), 'E_TIMESTAMP_FUTURE')
  add('body as a list', x.signed({ ...base, body: ['hi'] }), 'E_MALFORMED')
  add('sig as text', mapWith({ ...base, sig: 'x'.repeat(64) }), 'E_MALFORMED')
  add('sig of 65 bytes', mapWith({ ...base, sig: concatBytes(sig, Uint8Array.of(0)) }), 'E_MALFORMED')
}
