// Fuzz targets of direct messages and the private document (protocol/direct-messages.md,
// lists.md): letters, mailbox frames, private blobs and padding, each with a valid corpus.
// Opening sealed messages is asynchronous (WebCrypto); test/unit/net/dm-fuzz.test.ts fuzzes it.
import { encodeLetter, decodeLetter } from '../../src/core/dm-letter.ts'
import { privateDocKeyOf } from '../../src/core/dm-keys.ts'
import { pad, unpad } from '../../src/core/dm-padding.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import { openPrivateChange, sealPrivateChange } from '../../src/core/private-seal.ts'
import type { PublicKey, SecretKey } from '../../src/core/types.ts'
import { decodeMailboxFrame, encodeMailboxFrame } from '../../src/net/mailbox-frames.ts'
import type { FuzzTarget } from './fuzz-engine.ts'

export function buildPrivateTargets(now: number): FuzzTarget[] {
  const alice = new Uint8Array(32).fill(21) as SecretKey
  const bob = getPublicKey(new Uint8Array(32).fill(22) as SecretKey) as PublicKey
  const letters = ['你好，野草', 'hello\nsecond line', '🌱'.repeat(30)].map((text, i) =>
    encodeLetter({ id: new Uint8Array(16).fill(i), to: bob, ts: now - 1000, text }, { now }),
  )
  const box = getPublicKey(new Uint8Array(32).fill(23) as SecretKey)
  const sealedLike = new Uint8Array(200).fill(1)
  const frames = [
    { t: 'challenge', nonce: new Uint8Array(32).fill(7) },
    { t: 'put', box, msg: sealedLike },
    { t: 'open', proofs: [{ box, sig: new Uint8Array(64).fill(3) }] },
    { t: 'fetch', from: [{ box, after: 12 }], wait: 25_000 },
    { t: 'mail', items: [{ box, seq: 3, msg: sealedLike }], more: false },
    { t: 'stored', seq: 99 },
    { t: 'opened', boxes: 2 },
    { t: 'error', code: 'E_QUOTA', message: 'this mailbox is full' },
  ] as const
  const key = privateDocKeyOf(alice)
  const owner = getPublicKey(alice)
  const blobs = [new Uint8Array([0x85, 0x6f, 0x4a, 0x83]), new Uint8Array(500).fill(9)].map((c) => sealPrivateChange(key, owner, c))
  return [
    { name: 'decodeLetter', corpus: letters, decode: (b) => decodeLetter(b, { now }) },
    { name: 'decodeMailboxFrame', corpus: frames.map((f) => encodeMailboxFrame(f as never)), decode: (b) => decodeMailboxFrame(b) },
    { name: 'openPrivateChange', corpus: blobs, decode: (b) => openPrivateChange(key, owner, b) },
    { name: 'unpad', corpus: letters.map((l) => pad(l, 8192)), decode: (b) => unpad(b, 8192) },
  ]
}
