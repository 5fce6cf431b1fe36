// Generates protocol/vectors/direct-messages.json (protocol/direct-messages.md, protocol/lists.md)
// from fixed seeds, fixed one-time keys and a fixed clock:
//   ./node_modules/.bin/node test/vectors/generate-private.ts
// Each invalid case has exactly one defect and names the code it must produce.
import { writeFileSync } from 'node:fs'
import { concatBytes, utf8Encode } from '../../src/core/bytes.ts'
import { mailboxIdOf, mailboxProofBytes, privateDocKeyOf, signAsMailbox, x25519PublicOf, mailboxEpochOf } from '../../src/core/dm-keys.ts'
import { encodeLetter } from '../../src/core/dm-letter.ts'
import { calcPaddedLength } from '../../src/core/dm-padding.ts'
import { createDmIdentity } from '../../src/core/dm-seal.ts'
import { sealPrivateChange } from '../../src/core/private-seal.ts'
import { nobleX25519 } from '../../src/core/x25519.ts'
import type { PublicKey } from '../../src/core/types.ts'
import { enc } from './raw-cbor.ts'
import { hex, NOW, TS, testKey } from './vector-kit.ts'

const alice = testKey('dm/alice')
const bob = testKey('dm/bob')
const carol = testKey('dm/carol')
const cases: Array<Record<string, unknown>> = []
const fixed = (name: string) => testKey(`dm/ephemeral/${name}`).secret

// --- padding (NIP-44 v2's calc_padded_len) ---
for (const n of [1, 16, 32, 33, 37, 64, 65, 100, 200, 256, 257, 300, 1000, 1025, 8192]) {
  cases.push({ type: 'padding', description: `${n} bytes pad to ${calcPaddedLength(n)}`, valid: true, length: n, paddedLength: calcPaddedLength(n) })
}

// --- mailbox ids and the proof that opens one ---
const challenge = testKey('dm/challenge').publicKey
const relay = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
for (const [who, k] of [['bob', bob], ['alice', alice]] as const) {
  const epoch = mailboxEpochOf(NOW)
  const box = mailboxIdOf(k.publicKey, epoch)
  const message = mailboxProofBytes(box, challenge, relay)
  cases.push({
    type: 'mailbox', description: `${who}'s mailbox for week ${epoch} and a proof at a relay`, valid: true,
    seedHex: hex(k.secret), publicKeyHex: hex(k.publicKey), epoch, boxHex: hex(box),
    nextBoxHex: hex(mailboxIdOf(k.publicKey, epoch + 1)),
    challengeHex: hex(challenge), relay, signedBytesHex: hex(message), signatureHex: hex(signAsMailbox(k.secret, epoch, message)),
  })
}

// --- sealed messages ---
const aliceId = await createDmIdentity(alice.secret, nobleX25519)
const letter = (text: string, to = bob.publicKey, n = 1) => ({ id: new Uint8Array(16).fill(n), to: to as PublicKey, ts: TS, text })
async function sealCase(description: string, l: ReturnType<typeof letter>, recipient: Uint8Array, eph: string, extra: Record<string, unknown> = {}) {
  const sealed = await aliceId.seal(recipient as PublicKey, l, { now: NOW, ephemeralSecret: fixed(eph) })
  cases.push({
    type: 'seal', description, valid: true, now: NOW,
    senderSeedHex: hex(alice.secret), senderPublicKeyHex: hex(alice.publicKey), senderX25519Hex: hex(x25519PublicOf(alice.publicKey)),
    recipientSeedHex: hex(recipient === alice.publicKey ? alice.secret : bob.secret), recipientPublicKeyHex: hex(recipient),
    ephemeralSecretHex: hex(fixed(eph)),
    letter: { idHex: hex(l.id), toHex: hex(l.to), ts: l.ts, text: l.text },
    letterHex: hex(encodeLetter(l, { now: NOW })), sealedHex: hex(sealed), ...extra,
  })
  return sealed
}
const base = await sealCase('a 100-character message from alice to bob', letter('野'.repeat(20) + 'wildgrass '.repeat(8)), bob.publicKey, 'one')
await sealCase('a one-character message', letter('好', bob.publicKey, 2), bob.publicKey, 'two')
await sealCase('the copy alice seals to her own devices names bob as the recipient', letter('给自己的副本', bob.publicKey, 3), alice.publicKey, 'three')

const open = (description: string, sealed: Uint8Array, code: string, recipient = bob) =>
  cases.push({ type: 'open', description, valid: false, code, now: NOW, recipientSeedHex: hex(recipient.secret), sealedHex: hex(sealed) })
const flip = (at: number) => { const b = base.slice(); b[at]! ^= 0x01; return b }
open('one bit of the one-time key changed', flip(5), 'E_BAD_SEAL')
open('one bit of the sealed sender changed', flip(40), 'E_BAD_SEAL')
open('one bit of the letter changed', flip(base.length - 30), 'E_BAD_SEAL')
open('one bit of the last tag changed', flip(base.length - 1), 'E_BAD_SEAL')
open('opened by someone else (carol)', base, 'E_BAD_SEAL', carol)
open('a low-order one-time key (all zeros)', concatBytes(base.subarray(0, 1), new Uint8Array(32), base.subarray(33)), 'E_BAD_SEAL')
open('version 2', concatBytes(new Uint8Array([2]), base.subarray(1)), 'E_UNKNOWN_VERSION')
open('cut short', base.subarray(0, 100), 'E_TRUNCATED')
open('empty', new Uint8Array(0), 'E_TRUNCATED')
open('larger than the limit', concatBytes(base, new Uint8Array(9000)), 'E_OVERSIZE')
open('sealed to bob, but the letter names carol', await aliceId.seal(bob.publicKey as PublicKey, letter('not for bob', carol.publicKey, 4), { now: NOW, ephemeralSecret: fixed('four') }), 'E_BAD_SEAL')
open('a letter from the future', await aliceId.seal(bob.publicKey as PublicKey, { ...letter('later', bob.publicKey, 5), ts: NOW + 3_600_000 }, { now: NOW + 3_600_000, ephemeralSecret: fixed('five') }), 'E_TIMESTAMP_FUTURE')

// --- letters (the plaintext, after opening and unpadding) ---
const l = { v: 1, id: new Uint8Array(16).fill(9), to: bob.publicKey, ts: TS, text: '你好' }
const lcase = (description: string, bytes: Uint8Array, code?: string) =>
  cases.push({ type: 'letter', description, valid: code === undefined, ...(code ? { code } : {}), now: NOW, bytesHex: hex(bytes) })
lcase('a letter', enc(l))
lcase('an unknown field', enc({ ...l, cc: 1 }), 'E_UNKNOWN_FIELD')
lcase('version 2', enc({ ...l, v: 2 }), 'E_UNKNOWN_VERSION')
lcase('an id of 15 bytes', enc({ ...l, id: new Uint8Array(15) }), 'E_MALFORMED')
lcase('a recipient that is not a key', enc({ ...l, to: new Uint8Array(31) }), 'E_BAD_KEY')
lcase('blank text', enc({ ...l, text: ' \n ' }), 'E_BAD_TEXT')
lcase('text with a control character', enc({ ...l, text: 'a\u0000b' }), 'E_BAD_TEXT')
lcase('2,001 characters', enc({ ...l, text: 'a'.repeat(2001) }), 'E_TOO_MANY_GRAPHEMES')
lcase('6,003 bytes of text', enc({ ...l, text: '野'.repeat(2001) }), 'E_OVERSIZE')
lcase('before 2024', enc({ ...l, ts: Date.UTC(2023, 11, 31) }), 'E_TIMESTAMP_PAST')
lcase('not canonical (keys out of order)', concatBytes(new Uint8Array([0xa5]), enc({ text: '你好' }).subarray(1), enc({ v: 1, id: l.id, to: l.to, ts: l.ts }).subarray(1)), 'E_NON_CANONICAL')

// --- sealed blobs of the private document ---
const key = privateDocKeyOf(alice.secret)
const change = utf8Encode('an Automerge change, opaque here')
const nonce = testKey('dm/nonce').publicKey.subarray(0, 24)
const blob = sealPrivateChange(key, alice.publicKey, change, nonce)
const bcase = (description: string, seed: Uint8Array, owner: Uint8Array, b: Uint8Array, code?: string) => cases.push({
  type: 'private-blob', description, valid: code === undefined, ...(code ? { code } : { changeHex: hex(change), keyHex: hex(key) }),
  seedHex: hex(seed), ownerHex: hex(owner), nonceHex: hex(nonce), blobHex: hex(b),
})
bcase('a change sealed for alice\'s own devices', alice.secret, alice.publicKey, blob)
bcase('opened with bob\'s key', bob.secret, alice.publicKey, blob, 'E_BAD_SEAL')
bcase('copied into bob\'s feed document (another owner)', alice.secret, bob.publicKey, blob, 'E_BAD_SEAL')
bcase('one bit changed', alice.secret, alice.publicKey, (() => { const b = blob.slice(); b[40]! ^= 1; return b })(), 'E_BAD_SEAL')
bcase('version 2', alice.secret, alice.publicKey, concatBytes(new Uint8Array([2]), blob.subarray(1)), 'E_UNKNOWN_VERSION')
bcase('cut short', alice.secret, alice.publicKey, blob.subarray(0, 40), 'E_TRUNCATED')

writeFileSync(new URL('../../protocol/vectors/direct-messages.json', import.meta.url), JSON.stringify(cases, null, 2) + '\n')
console.log(`direct-messages.json: ${cases.length} cases`)
