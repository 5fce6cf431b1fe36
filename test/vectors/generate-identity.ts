// Generates protocol/vectors/signatures.json and protocol/vectors/identity.json from fixed
// seeds (protocol/identity.md). Run: ./node_modules/.bin/node test/vectors/generate-identity.ts
// The committed JSON is the source of truth the tests read; this script only makes it
// reproducible. Each invalid case has exactly one defect, named by its expected code.
import { writeFileSync } from 'node:fs'
import { Point, utils, verify as nobleVerifyZip215 } from '@noble/ed25519'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { base58, base64nopad } from '@scure/base'
import { concatBytes, toHex, fromHex, utf8Encode } from '../../src/core/bytes.ts'
import { getPublicKey, sign, signedBytes, SIGNING_TAGS } from '../../src/core/keys.ts'
import { GROUP_ORDER as L, SMALL_ORDER_ENCODINGS_HEX } from '../../src/core/ed25519-strict.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import { phraseToSecretKey, secretKeyToPhrase, PHRASE_LANGUAGES } from '../../src/core/phrase.ts'
import type { PublicKey, SecretKey } from '../../src/core/types.ts'

const seed = (name: string): SecretKey => sha256(utf8Encode(`wildgrass-vectors/identity/${name}`)) as SecretKey
const le = (b: Uint8Array): bigint => {
  let n = 0n
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!)
  return n
}
const le32 = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn)
    n >>= 8n
  }
  return out
}
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint => le(sha512(concatBytes(r, a, m))) % L
const mod = (n: bigint): bigint => ((n % L) + L) % L

/** An order-8 point T (from the table of small-order encodings). */
const T8 = Point.fromBytes(fromHex(SMALL_ORDER_ENCODINGS_HEX[4]!))

interface SigCase {
  type: 'signature'
  description: string
  valid: boolean
  publicKeyHex: string
  signedBytesHex: string
  signatureHex: string
  code?: string
  /** What a cofactored (ZIP-215) verifier such as @noble/ed25519's default verify() answers. */
  cofactoredAccepts: boolean
}

const sigCases: SigCase[] = []
function addSig(description: string, pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, code: string | null): void {
  let cofactoredAccepts: boolean
  try {
    cofactoredAccepts = pk.length === 32 && sig.length === 64 && nobleVerifyZip215(sig, msg, pk)
  } catch {
    cofactoredAccepts = false
  }
  sigCases.push({
    type: 'signature',
    description,
    valid: code === null,
    publicKeyHex: toHex(pk),
    signedBytesHex: toHex(msg),
    signatureHex: toHex(sig),
    ...(code === null ? {} : { code }),
    cofactoredAccepts,
  })
}

// ---- valid: RFC 8032 section 7.1 tests 1-3 (raw messages, no tag) ----
const rfc = [
  ['TEST 1', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', ''],
  ['TEST 2', '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '72'],
  ['TEST 3', 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'af82'],
] as const
for (const [name, sk, m] of rfc) {
  const secret = fromHex(sk) as SecretKey
  const msg = fromHex(m)
  addSig(`RFC 8032 section 7.1 ${name} (raw message, no domain tag)`, getPublicKey(secret), msg, sign(secret, msg), null)
}

// ---- valid: one signature per domain tag ----
const alice = seed('alice')
const alicePk = getPublicKey(alice)
const unsigned = utf8Encode('canonical unsigned bytes stand here; 野草 🌱')
for (const tag of SIGNING_TAGS) {
  const msg = signedBytes(tag, unsigned)
  addSig(`valid signature over signedBytes('${tag}', ...)`, alicePk, msg, sign(alice, msg), null)
}
addSig('valid signature over the empty tagged message', alicePk, signedBytes('wildgrass/event/v1', new Uint8Array(0)), sign(alice, signedBytes('wildgrass/event/v1', new Uint8Array(0))), null)

const msg = signedBytes('wildgrass/event/v1', unsigned)
const good = sign(alice, msg)

// ---- invalid: plain forgery and tampering ----
{
  const m2 = msg.slice()
  m2[m2.length - 1]! ^= 0x01
  addSig('message tampered (last bit flipped)', alicePk, m2, good, 'E_BAD_SIGNATURE')
  addSig('signed as an event, verified as a change (domain tag differs)', alicePk, signedBytes('wildgrass/change/v1', unsigned), good, 'E_BAD_SIGNATURE')
  addSig('signature by another key (bob) presented under alice', alicePk, msg, sign(seed('bob'), msg), 'E_BAD_SIGNATURE')
  const s2 = good.slice()
  s2[32]! ^= 0x01 // S stays < L
  addSig('S tampered (low bit flipped, still < L)', alicePk, msg, s2, 'E_BAD_SIGNATURE')
  addSig('signature of 63 bytes', alicePk, msg, good.slice(0, 63), 'E_BAD_SIGNATURE')
  addSig('signature of 65 bytes', alicePk, msg, concatBytes(good, new Uint8Array(1)), 'E_BAD_SIGNATURE')
}

// ---- invalid: non-canonical S ----
{
  const S = le(good.subarray(32))
  addSig('S + L: the equation still holds, but S >= L', alicePk, msg, concatBytes(good.subarray(0, 32), le32(S + L)), 'E_NON_CANONICAL_SIG')
  addSig('S = L exactly', alicePk, msg, concatBytes(good.subarray(0, 32), le32(L)), 'E_NON_CANONICAL_SIG')
  addSig('S = 2^256 - 1', alicePk, msg, concatBytes(good.subarray(0, 32), new Uint8Array(32).fill(0xff)), 'E_NON_CANONICAL_SIG')
}

// ---- invalid: R ----
const withR = (r: Uint8Array): Uint8Array => concatBytes(r, good.subarray(32))
{
  const yIsP = new Uint8Array(32).fill(0xff)
  yIsP[0] = 0xed
  yIsP[31] = 0x7f
  addSig('R encodes y = p (non-canonical, y >= p)', alicePk, msg, withR(yIsP), 'E_NON_CANONICAL_SIG')
  const yIsP1 = yIsP.slice()
  yIsP1[0] = 0xee
  addSig('R encodes y = p + 1 (non-canonical encoding of the identity)', alicePk, msg, withR(yIsP1), 'E_NON_CANONICAL_SIG')
  addSig('R = (0, 1) with the sign bit set (x = 0 but "negative")', alicePk, msg, withR(fromHex('0100000000000000000000000000000000000000000000000000000000000080')), 'E_NON_CANONICAL_SIG')
  addSig('R is not on the curve (y = 2)', alicePk, msg, withR(fromHex('0200000000000000000000000000000000000000000000000000000000000000')), 'E_NON_CANONICAL_SIG')
  for (const [i, h] of SMALL_ORDER_ENCODINGS_HEX.entries()) {
    addSig(`R is small-order point #${i} (${h.slice(0, 8)}...)`, alicePk, msg, withR(fromHex(h)), 'E_NON_CANONICAL_SIG')
  }
  // A signer that knows its scalar a can make R = identity valid: S = k * a. Cofactorless
  // verifiers accept it; we reject small-order R on principle (identity.md).
  const ext = utils.getExtendedPublicKey(alice)
  const id = Point.ZERO.toBytes()
  const k = challenge(id, alicePk, msg)
  addSig('R = identity with S = k*a: satisfies the equation, rejected as small-order R', alicePk, msg, concatBytes(id, le32(mod(k * ext.scalar))), 'E_NON_CANONICAL_SIG')
}

// ---- mixed order: torsion components where cofactored and cofactorless verifiers disagree ----
{
  const ext = utils.getExtendedPublicKey(alice)
  const a = ext.scalar
  const nonce = (i: number): bigint => le(sha512(concatBytes(ext.prefix, utf8Encode(`nonce ${i}`), msg))) % L
  // R with a torsion component under a clean key: cofactored accepts, cofactorless rejects.
  {
    const r = nonce(0)
    const R = Point.BASE.multiply(r).add(T8).toBytes()
    const S = mod(r + challenge(R, alicePk, msg) * a)
    addSig('R = [r]B + T (order-8 torsion), S = r + k*a: only a cofactored verifier accepts', alicePk, msg, concatBytes(R, le32(S)), 'E_BAD_SIGNATURE')
  }
  // Mixed-order key A' = A + T (valid, not small-order): a plain signature is cofactored-valid only.
  const mixed = Point.BASE.multiply(a).add(T8).toBytes()
  for (let i = 1; ; i++) {
    const r = nonce(i)
    const R = Point.BASE.multiply(r).toBytes()
    const k = challenge(R, mixed, msg)
    if (k % 8n === 0n) continue // [k]T would vanish: not the case we want to show
    addSig("mixed-order key A' = A + T, torsion-free R: only a cofactored verifier accepts", mixed, msg, concatBytes(R, le32(mod(r + k * a))), 'E_BAD_SIGNATURE')
    break
  }
  // Mixed-order key with R ground so that the cofactorless equation holds exactly: both agree.
  for (let i = 100; ; i++) {
    const r = nonce(i)
    const j = BigInt(i % 8)
    const R = Point.BASE.multiply(r).add(j === 0n ? Point.ZERO : T8.multiplyUnsafe(j)).toBytes()
    const k = challenge(R, mixed, msg)
    if ((j + k) % 8n !== 0n) continue // need R's torsion = -[k]T
    addSig("mixed-order key A' = A + T with R = [r]B - [k]T: satisfies the cofactorless equation, valid", mixed, msg, concatBytes(R, le32(mod(r + k * a))), null)
    break
  }
}

// ---- invalid: public keys ----
{
  for (const [i, h] of SMALL_ORDER_ENCODINGS_HEX.entries()) {
    addSig(`public key is small-order point #${i} (${h.slice(0, 8)}...)`, fromHex(h), msg, good, 'E_SMALL_ORDER_KEY')
  }
  // The classic small-order forgery: A of order 8, S = 0, R = -[k]A satisfies [S]B = R + [k]A
  // for a message nobody signed. Raw RFC 8032 verifiers without a small-order check accept it.
  search: for (let n = 0; ; n++) {
    const forged = signedBytes('wildgrass/event/v1', utf8Encode(`nobody signed this ${n}`))
    for (let j = 0n; j < 8n; j++) {
      const R = j === 0n ? Point.ZERO.toBytes() : T8.multiplyUnsafe(j).toBytes()
      const A = T8.toBytes()
      const k = challenge(R, A, forged)
      if ((j + k) % 8n !== 0n) continue
      addSig('forgery with small-order key: A = T (order 8), S = 0, R = -[k]A', A, forged, concatBytes(R, new Uint8Array(32)), 'E_SMALL_ORDER_KEY')
      break search
    }
  }
  const yIsP = new Uint8Array(32).fill(0xff)
  yIsP[0] = 0xed
  yIsP[31] = 0x7f
  addSig('public key encodes y = p (non-canonical)', yIsP, msg, good, 'E_BAD_KEY')
  addSig('public key (0, 1) with the sign bit set', fromHex('0100000000000000000000000000000000000000000000000000000000000080'), msg, good, 'E_BAD_KEY')
  addSig('public key (0, -1) with the sign bit set', fromHex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'), msg, good, 'E_BAD_KEY')
  addSig('public key is not on the curve (y = 2)', fromHex('0200000000000000000000000000000000000000000000000000000000000000'), msg, good, 'E_BAD_KEY')
  addSig('public key of 31 bytes', alicePk.slice(0, 31), msg, good, 'E_BAD_KEY')
  addSig('public key of 33 bytes', concatBytes(alicePk, new Uint8Array(1)), msg, good, 'E_BAD_KEY')
  // Order of the checks: the key comes first, so an off-curve key with S >= L is E_BAD_KEY.
  addSig('check order: off-curve key AND S >= L gives E_BAD_KEY', fromHex('0200000000000000000000000000000000000000000000000000000000000000'), msg, concatBytes(good.subarray(0, 32), le32(L)), 'E_BAD_KEY')
  addSig('check order: S >= L AND R off-curve gives E_NON_CANONICAL_SIG', alicePk, msg, concatBytes(fromHex('0200000000000000000000000000000000000000000000000000000000000000'), le32(L)), 'E_NON_CANONICAL_SIG')
}

// ---- identity: keys, did:key, phrases ----
interface IdCase { type: string; description: string; valid: boolean; [k: string]: unknown }
const idCases: IdCase[] = []

const seeds: Array<[string, SecretKey]> = [
  ['all-zero seed', new Uint8Array(32) as SecretKey],
  ['all-0xff seed', new Uint8Array(32).fill(0xff) as SecretKey],
  ['RFC 8032 TEST 1 seed', fromHex(rfc[0][1]) as SecretKey],
  ['alice', alice],
  ['bob', seed('bob')],
]
for (const [name, secret] of seeds) {
  const pk = getPublicKey(secret)
  const phrases: Record<string, string> = {}
  // What import reports: a 繁體 phrase whose characters are all in the 简体 list too (the
  // all-zero seed's is) restores the same key and is reported as zh-Hans (identity.md).
  const detected: Record<string, string> = {}
  for (const lang of PHRASE_LANGUAGES) {
    phrases[lang] = secretKeyToPhrase(secret, lang)
    detected[lang] = phraseToSecretKey(phrases[lang]).language
  }
  idCases.push({ type: 'identity', description: `identity from the ${name}`, valid: true, seedHex: toHex(secret), publicKeyHex: toHex(pk), didKey: encodeDidKey(pk), phrases, detected })
}

// Phrase inputs that must restore the key (tolerant import).
{
  const en = secretKeyToPhrase(alice, 'en')
  const hans = secretKeyToPhrase(alice, 'zh-Hans')
  const hant = secretKeyToPhrase(alice, 'zh-Hant')
  const ok = (description: string, phrase: string, language: string): void => {
    idCases.push({ type: 'phrase', description, valid: true, phrase, seedHex: toHex(alice), language })
  }
  ok('English, upper case, extra spaces, tabs and newlines', `  ${en.toUpperCase().split(' ').join(' \t\n ')}  `, 'en')
  ok('English in full-width Latin letters (NFKD folds them)', en.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), 'en')
  ok('简体中文, ideographic spaces U+3000', hans.split(' ').join('\u3000'), 'zh-Hans')
  ok('简体中文, no separators', hans.split(' ').join(''), 'zh-Hans')
  ok('繁體中文, spaces', hant, 'zh-Hant')
  ok('繁體中文, mixed spaces and U+3000 and a newline', hant.split(' ').map((w, i) => (i === 12 ? `${w}\n` : i % 2 ? `${w}\u3000` : `${w} `)).join(''), 'zh-Hant')
  // identity.md §4: the white-space set, the length limit in code points
  ok('English separated by U+2028 LINE SEPARATOR (white space)', en.split(' ').join('\u2028'), 'en')
  ok('English separated by U+1680 OGHAM SPACE MARK (white space, and NFKD keeps it)', en.split(' ').join('\u1680'), 'en')
  ok('English separated by U+00A0 NO-BREAK SPACE', en.split(' ').join('\u00a0'), 'en')
  const mathBold = en.replace(/[a-z]/g, (c) => String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 0x61))
  const padTo = (text: string, codePoints: number, pad: string) => text + pad.repeat(codePoints - [...text].length)
  ok('English in mathematical bold letters, padded to exactly 1000 code points (more than 1000 UTF-16 units)', padTo(mathBold, 1000, ' '), 'en')
  ok('简体中文 padded with U+3000 to exactly 1000 code points (3000 UTF-8 bytes: code points are counted)', padTo(hans, 1000, '\u3000'), 'zh-Hans')
}

// Phrases that must fail.
{
  const en = secretKeyToPhrase(alice, 'en').split(' ')
  const hans = secretKeyToPhrase(alice, 'zh-Hans').split(' ')
  const hant = secretKeyToPhrase(alice, 'zh-Hant').split(' ')
  const bad = (description: string, phrase: string): void => {
    idCases.push({ type: 'phrase', description, valid: false, phrase, code: 'E_BAD_PHRASE' })
  }
  bad('23 words', en.slice(0, 23).join(' '))
  bad('25 words', [...en, en[0]!].join(' '))
  bad('an unknown word', [...en.slice(0, 23), 'wildgrass'].join(' '))
  bad('two words swapped (checksum fails)', [en[1]!, en[0]!, ...en.slice(2)].join(' '))
  bad('a valid 12-word BIP39 phrase (we need 24)', 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about')
  bad('English and 简体中文 words mixed', [...en.slice(0, 12), ...hans.slice(12)].join(' '))
  // Take a traditional-only character into a simplified phrase: in neither list as a whole.
  const i = hans.findIndex((w, j) => w !== hant[j])
  bad('简体中文 phrase with one 繁體 character', hans.map((w, j) => (j === i ? hant[j]! : w)).join(' '))
  bad('empty', '')
  bad('English separated by U+0085 NEXT LINE (a control, not white space)', en.join('\u0085'))
  bad('English separated by U+200B ZERO WIDTH SPACE (not white space)', en.join('\u200b'))
  const mathBold = en.join(' ').replace(/[a-z]/g, (c) => String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 0x61))
  bad('English in mathematical bold letters, padded to 1001 code points', mathBold + ' '.repeat(1001 - [...mathBold].length))
  bad('a lone surrogate (not well-formed)', `${en.join(' ')} \ud800`)
  bad('简体中文 without separators and one full-width ａ (a token with a letter a–z: no splitting)', `${hans.join('')}ａ`)
}

// did:key strings.
{
  const pkBytes = getPublicKey(alice)
  const did = encodeDidKey(pkBytes as PublicKey)
  const badDid = (description: string, didKey: string, code: string): void => {
    idCases.push({ type: 'did-key', description, valid: false, didKey, code })
  }
  idCases.push({ type: 'did-key', description: 'did:key of alice', valid: true, didKey: did, publicKeyHex: toHex(pkBytes) })
  const z = (bytes: Uint8Array): string => `did:key:z${base58.encode(bytes)}`
  badDid('upper-case method prefix', did.replace('did:key:', 'DID:KEY:'), 'E_BAD_KEY')
  badDid('multibase base64 (m) instead of base58btc (z)', `did:key:m${base64nopad.encode(concatBytes(Uint8Array.of(0xed, 0x01), pkBytes))}`, 'E_BAD_KEY')
  badDid('not base58 (contains 0)', `${did.slice(0, -1)}0`, 'E_BAD_KEY')
  badDid('secp256k1-pub multicodec (0xe7 0x01)', z(concatBytes(Uint8Array.of(0xe7, 0x01), pkBytes)), 'E_BAD_KEY')
  badDid('key of 31 bytes', z(concatBytes(Uint8Array.of(0xed, 0x01), pkBytes.slice(0, 31))), 'E_BAD_KEY')
  badDid('leading zero byte (base58 "1") before the multicodec', z(concatBytes(Uint8Array.of(0, 0xed, 0x01), pkBytes)), 'E_BAD_KEY')
  badDid('small-order key (identity point)', z(concatBytes(Uint8Array.of(0xed, 0x01), fromHex(SMALL_ORDER_ENCODINGS_HEX[0]!))), 'E_SMALL_ORDER_KEY')
  badDid('key not on the curve', z(concatBytes(Uint8Array.of(0xed, 0x01), fromHex('0200000000000000000000000000000000000000000000000000000000000000'))), 'E_BAD_KEY')
  badDid('trailing whitespace', `${did} `, 'E_BAD_KEY')
  badDid('empty', '', 'E_BAD_KEY')
}

const out = new URL('../../protocol/vectors/', import.meta.url)
writeFileSync(new URL('signatures.json', out), `${JSON.stringify(sigCases, null, 2)}\n`)
writeFileSync(new URL('identity.json', out), `${JSON.stringify(idCases, null, 2)}\n`)
console.log(`signatures.json: ${sigCases.length} cases; identity.json: ${idCases.length} cases`)
