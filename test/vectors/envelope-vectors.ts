// Builds protocol/vectors/feed-envelopes.json (see protocol/feed-envelope.md). The change bytes
// are opaque to the envelope; the vectors use short fixed byte strings, not real Automerge changes.
import * as dagCbor from '@ipld/dag-cbor'
import { concatBytes, utf8Encode } from '../../src/core/bytes.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import { signChange, type ChangeEnvelope } from '../../src/core/feed-envelope.ts'
import { signedBytes } from '../../src/core/keys.ts'
import { MAX_CHANGE_BYTES } from '../../src/core/limits.ts'
import type { PublicKey } from '../../src/core/types.ts'
import { enc, float, head, mapInOrder, mapWith, text } from './raw-cbor.ts'
import { SMALL_ORDER_KEY, hex, signMap, testKey, withNonCanonicalS, type InvalidCase } from './vector-kit.ts'

const alice = testKey('alice')
const bob = testKey('bob')
const owner = encodeDidKey(alice.publicKey as PublicKey)

function validCase(description: string, e: ChangeEnvelope, who: typeof alice): Record<string, unknown> {
  const unsigned = dagCbor.encode({ v: 1, author: who.publicKey, change: e.change })
  return {
    description,
    valid: true,
    owner: e.author,
    secretKeyHex: hex(who.secret),
    publicKeyHex: hex(who.publicKey),
    changeHex: hex(e.change),
    signedBytesHex: hex(signedBytes('wildgrass/change/v1', unsigned)),
    signatureHex: hex(e.sig),
    bytesHex: hex(e.bytes),
  }
}

export function buildEnvelopeVectors(): unknown[] {
  const small = signChange(alice.secret, utf8Encode('automerge change bytes (opaque here)'))
  const one = signChange(alice.secret, Uint8Array.of(0x85))
  const byBob = signChange(bob.secret, Uint8Array.of(1, 2, 3))
  const valid = [
    validCase('a short change', small, alice),
    validCase('a one-byte change', one, alice),
    validCase("bob's change for bob's document", byBob, bob),
    validCase('a change of exactly MAX_CHANGE_BYTES (65536)', signChange(alice.secret, new Uint8Array(MAX_CHANGE_BYTES).fill(7)), alice),
  ]
  const base = { v: 1, author: alice.publicKey, change: small.change }
  const cases: InvalidCase[] = []
  const add = (description: string, bytes: Uint8Array, code: string, forOwner: string = owner) =>
    cases.push({ description, valid: false, owner: forOwner, code, bytesHex: hex(bytes) })
  const signed = (m: Record<string, unknown>, who = alice) => signMap(who.secret, m, 'wildgrass/change/v1')

  const badSig = small.sig.slice()
  badSig[10]! ^= 0x80
  add('bad signature: one bit flipped', enc({ ...base, sig: badSig }), 'E_BAD_SIGNATURE')
  add("another author's change offered for alice's document", byBob.bytes, 'E_WRONG_AUTHOR')
  add("claims alice as author, signed by bob's key", signed(base, bob), 'E_BAD_SIGNATURE')
  add('tampered change bytes', enc({ ...base, change: utf8Encode('automerge change bytes (opaque herE)'), sig: small.sig }), 'E_BAD_SIGNATURE')
  add('signed with the event tag (cross-type replay)', signMap(alice.secret, base, 'wildgrass/event/v1'), 'E_BAD_SIGNATURE')
  add('non-canonical signature: S + L', enc({ ...base, sig: withNonCanonicalS(small.sig) }), 'E_NON_CANONICAL_SIG')
  add('small-order author key', enc({ ...base, author: SMALL_ORDER_KEY, sig: small.sig }), 'E_SMALL_ORDER_KEY')
  add('empty change', signed({ ...base, change: new Uint8Array(0) }), 'E_BAD_CHANGE')
  add('change of MAX_CHANGE_BYTES + 1', signed({ ...base, change: new Uint8Array(MAX_CHANGE_BYTES + 1) }), 'E_OVERSIZE')
  add('change as text, not bytes', signed({ ...base, change: 'x' }), 'E_MALFORMED')
  add('unknown version: v = 2', signed({ ...base, v: 2 }), 'E_UNKNOWN_VERSION')
  add('unknown field: seq', signed({ ...base, seq: 1 }), 'E_UNKNOWN_FIELD')
  add('missing author', signed({ v: 1, change: small.change }), 'E_MALFORMED')
  add('missing signature', enc(base), 'E_MALFORMED')
  const entries = Object.entries({ ...base, sig: small.sig }).map(([k, v]) => [k, enc(v)] as const)
  add('non-canonical: keys in insertion order (v, author, change, sig)', mapInOrder(entries), 'E_NON_CANONICAL')
  add('truncated', small.bytes.subarray(0, small.bytes.length - 5), 'E_TRUNCATED')
  add('trailing bytes', concatBytes(small.bytes, text('x')), 'E_MALFORMED')
  add('not a map', concatBytes(head(4, 1), enc(1)), 'E_MALFORMED')
  add('v as the float 1.0 (no floats at all)', mapWith({ ...base, sig: small.sig }, { v: float(1, 8) }), 'E_MALFORMED')
  add('v = -1', signed({ ...base, v: -1 }), 'E_MALFORMED')
  return [...valid, ...cases]
}
