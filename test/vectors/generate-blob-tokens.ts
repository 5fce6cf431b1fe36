// Generates protocol/vectors/blob-tokens.json (protocol/blobs.md §3) from fixed seeds and a fixed
// clock. Run: ./node_modules/.bin/node test/vectors/generate-blob-tokens.ts
// Each invalid case has exactly one defect and names the code it must produce.
import { writeFileSync } from 'node:fs'
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from '@noble/hashes/sha2.js'
import { blobTokenSignedBytes, BLOB_TOKEN_MAX_AGE_MS, createBlobToken, MAX_BLOB_BYTES } from '../../src/core/blob-token.ts'
import { concatBytes, toHex, utf8Encode } from '../../src/core/bytes.ts'
import { getPublicKey, sign, signedBytes, type SigningTag } from '../../src/core/keys.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { enc, head, mapInOrder, mapWith } from './raw-cbor.ts'

/** The verifier's clock for every vector: 2026-01-15T12:00:00Z (same as the other vectors). */
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const TS = NOW - 60_000
const key = (name: string): SecretKey => sha256(utf8Encode(`wildgrass-vectors/blob/${name}`)) as SecretKey
const alice = key('alice')
const bob = key('bob')
/** The blob the tokens are for: 1,000 bytes of a fixed pattern. */
const blob = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff)
const HASH = sha256(blob)

const cases: Array<Record<string, unknown>> = []

function valid(description: string, init: { sha256: Uint8Array; size: number; ts: number }, secret = alice): void {
  const t = createBlobToken(secret, init, { now: NOW })
  cases.push({
    description,
    valid: true,
    now: NOW,
    publicKeyHex: toHex(t.key),
    signedBytesHex: toHex(blobTokenSignedBytes(t)),
    signatureHex: toHex(t.sig),
    bytesHex: toHex(t.bytes),
    token: { author: t.author, sha256Hex: toHex(t.sha256), size: t.size, ts: t.ts },
  })
}

/** Sign any map (possibly breaking the rules) with the given key and tag, then add `sig`. */
function signed(unsigned: Record<string, unknown>, secret = alice, tag: SigningTag = 'wildgrass/blob/v1'): Uint8Array {
  return enc({ ...unsigned, sig: sign(secret, signedBytes(tag, enc(unsigned))) })
}

function invalid(description: string, bytes: Uint8Array, code: string): void {
  cases.push({ description, valid: false, now: NOW, bytesHex: toHex(bytes), code })
}

const base = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ v: 1, author: getPublicKey(alice), sha256: HASH, size: blob.length, ts: TS, ...over })
const without = (k: string): Record<string, unknown> => Object.fromEntries(Object.entries(base()).filter(([name]) => name !== k))

// ---- valid ----
valid('a token for a 1,000-byte blob', { sha256: HASH, size: blob.length, ts: TS })
valid('a token for a blob of exactly 1 MiB (the limit)', { sha256: sha256(new Uint8Array(MAX_BLOB_BYTES)), size: MAX_BLOB_BYTES, ts: TS })
valid('a token of one byte', { sha256: sha256(Uint8Array.of(0)), size: 1, ts: TS })
valid('ts exactly 10 minutes old (the limit)', { sha256: HASH, size: blob.length, ts: NOW - BLOB_TOKEN_MAX_AGE_MS })
valid('ts exactly 10 minutes ahead (the clock-skew limit)', { sha256: HASH, size: blob.length, ts: NOW + BLOB_TOKEN_MAX_AGE_MS })
valid("bob's token for the same blob", { sha256: HASH, size: blob.length, ts: TS }, bob)

// ---- invalid: signatures and keys ----
{
  const good = signed(base())
  const sig = (dagCbor.decode(good) as { sig: Uint8Array }).sig
  invalid('sha256 changed after signing (a token for other bytes)', enc({ ...base({ sha256: sha256(utf8Encode('other')) }), sig }), 'E_BAD_SIGNATURE')
  invalid('size changed after signing', enc({ ...base({ size: 999 }), sig }), 'E_BAD_SIGNATURE')
  invalid('signed by bob, naming alice', signed(base(), bob), 'E_BAD_SIGNATURE')
  invalid('signed under the relay tag', signed(base(), alice, 'wildgrass/relay/v1'), 'E_BAD_SIGNATURE')
  invalid('signed under the event tag', signed(base(), alice, 'wildgrass/event/v1'), 'E_BAD_SIGNATURE')
  const s = sig.slice()
  let n = 0n
  for (let i = 63; i >= 32; i--) n = (n << 8n) | BigInt(s[i]!)
  n += 2n ** 252n + 27742317777372353535851937790883648493n
  for (let i = 32; i < 64; i++) {
    s[i] = Number(n & 0xffn)
    n >>= 8n
  }
  invalid('S + L (non-canonical signature scalar)', enc({ ...base(), sig: s }), 'E_NON_CANONICAL_SIG')
  invalid('author is the identity point (small order)', signed(base({ author: Uint8Array.from([1, ...new Array<number>(31).fill(0)]) })), 'E_SMALL_ORDER_KEY')
  invalid('author of 31 bytes', signed(base({ author: getPublicKey(alice).slice(0, 31) })), 'E_BAD_KEY')
  invalid('author as did:key text, not bytes', signed(base({ author: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' })), 'E_MALFORMED')
  invalid('sig of 63 bytes', enc({ ...base(), sig: sig.slice(0, 63) }), 'E_MALFORMED')
  invalid('no sig', enc(base()), 'E_MALFORMED')
}

// ---- invalid: encoding ----
{
  const good = signed(base())
  invalid('empty input', new Uint8Array(0), 'E_TRUNCATED')
  invalid('truncated (last byte missing)', good.subarray(0, good.length - 1), 'E_TRUNCATED')
  invalid('a CBOR array, not a map', enc([1, HASH]), 'E_MALFORMED')
  invalid('trailing byte after the map', concatBytes(good, Uint8Array.of(0)), 'E_MALFORMED')
  const decoded = dagCbor.decode(good) as Record<string, unknown>
  invalid(
    'map keys in plain alphabetical order (canonical is length first)',
    mapInOrder(['author', 'sha256', 'sig', 'size', 'ts', 'v'].map((k) => [k, enc(decoded[k])] as const)),
    'E_NON_CANONICAL',
  )
  invalid('size as a non-minimal integer', mapWith(decoded, { size: head(0, blob.length, 4) }), 'E_NON_CANONICAL')
  invalid('unknown field `type`', signed(base({ type: 'image/jpeg' })), 'E_UNKNOWN_FIELD')
  invalid('version 2', signed(base({ v: 2 })), 'E_UNKNOWN_VERSION')
  invalid('missing v', signed(without('v')), 'E_MALFORMED')
  invalid('larger than 256 bytes', signed(base({ author: getPublicKey(alice), sha256: HASH, ts: TS, pad: 'x'.repeat(200) })), 'E_OVERSIZE')
}

// ---- invalid: content rules ----
invalid('size 0', signed(base({ size: 0 })), 'E_MALFORMED')
invalid('size one byte over 1 MiB', signed(base({ size: MAX_BLOB_BYTES + 1 })), 'E_OVERSIZE')
invalid('size -1', signed(base({ size: -1 })), 'E_MALFORMED')
invalid('size as text', signed(base({ size: '1000' })), 'E_MALFORMED')
invalid('no size', signed(without('size')), 'E_MALFORMED')
invalid('sha256 of 31 bytes', signed(base({ sha256: HASH.slice(0, 31) })), 'E_MALFORMED')
invalid('sha256 as hex text', signed(base({ sha256: toHex(HASH) })), 'E_MALFORMED')
invalid('no sha256', signed(without('sha256')), 'E_MALFORMED')
invalid('ts 10 minutes and 1 ms old (expired)', signed(base({ ts: NOW - BLOB_TOKEN_MAX_AGE_MS - 1 })), 'E_TIMESTAMP_PAST')
invalid('ts 10 minutes and 1 ms ahead', signed(base({ ts: NOW + BLOB_TOKEN_MAX_AGE_MS + 1 })), 'E_TIMESTAMP_FUTURE')
invalid('ts before 2024-01-01', signed(base({ ts: Date.UTC(2023, 11, 31) })), 'E_TIMESTAMP_PAST')
invalid('ts = 2^53', signed(base({ ts: 2n ** 53n })), 'E_MALFORMED')
invalid('no ts', signed(without('ts')), 'E_MALFORMED')
invalid('a bad author and size 0 (author first)', signed(base({ author: getPublicKey(alice).slice(0, 31), size: 0 })), 'E_BAD_KEY')
invalid('size over 1 MiB and an expired ts (size first)', signed(base({ size: MAX_BLOB_BYTES + 1, ts: NOW - 3_600_000 })), 'E_OVERSIZE')

const path = new URL('../../protocol/vectors/blob-tokens.json', import.meta.url)
writeFileSync(path, `${JSON.stringify(cases, null, 2)}\n`)
console.log(`blob-tokens.json: ${cases.length} cases`)
