// Direct messages in core (protocol/direct-messages.md): keys from the identity, mailbox ids
// blinded per week and the proofs that open them, sealing and opening, padding.
import { describe, expect, it } from 'vitest'
import { toHex } from '../../../src/core/bytes.ts'
import { mailboxEpochOf, mailboxIdOf, mailboxProofBytes, signAsMailbox, deriveDmKeys } from '../../../src/core/dm-keys.ts'
import { calcPaddedLength, pad, unpad } from '../../../src/core/dm-padding.ts'
import { createDmIdentity } from '../../../src/core/dm-seal.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { generateSecretKey, getPublicKey, verifySignature } from '../../../src/core/keys.ts'
import type { PublicKey, SecretKey } from '../../../src/core/types.ts'
import { x25519 } from '@noble/curves/ed25519.js'

async function codeOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run()
    return undefined
  } catch (e) {
    return isWildgrassError(e) ? e.code : String(e)
  }
}

const NOW = Date.UTC(2026, 5, 1)
const letter = (to: Uint8Array, text = '你好') => ({ id: crypto.getRandomValues(new Uint8Array(16)), to: to as PublicKey, ts: NOW, text })

describe('keys from the identity', () => {
  it('the X25519 key pair is the Ed25519 one converted: public of the converted secret = converted public', () => {
    const secret = generateSecretKey()
    const k = deriveDmKeys(secret)
    expect(toHex(x25519.getPublicKey(k.xSecret))).toBe(toHex(k.xPublic))
  })

  it('mailbox ids change every week, name nobody by themselves, and open only with the right secret', async () => {
    const b = generateSecretKey()
    const B = getPublicKey(b)
    const week = mailboxEpochOf(NOW)
    const ids = [week, week + 1, week + 2].map((w) => toHex(mailboxIdOf(B, w)))
    expect(new Set(ids).size).toBe(3)
    expect(ids).not.toContain(toHex(B))
    const box = mailboxIdOf(B, week)
    const message = mailboxProofBytes(box, crypto.getRandomValues(new Uint8Array(32)), 'relay-peer')
    await verifySignature(box, message, signAsMailbox(b, week, message))
    // another week's signature, or another person's, does not open this box
    expect(await codeOf(() => verifySignature(box, message, signAsMailbox(b, week + 1, message)))).toBe('E_BAD_SIGNATURE')
    expect(await codeOf(() => verifySignature(box, message, signAsMailbox(generateSecretKey(), week, message)))).toBe('E_BAD_SIGNATURE')
  })
})

describe('sealing', () => {
  it("B opens what A sealed, learns it is from A; C cannot; A's copy to itself names B", async () => {
    const [a, b, c] = [generateSecretKey(), generateSecretKey(), generateSecretKey()] as SecretKey[]
    const [A, B] = [getPublicKey(a!), getPublicKey(b!)]
    const [ia, ib, ic] = await Promise.all([a!, b!, c!].map((s) => createDmIdentity(s)))
    const sealed = await ia!.seal(B, letter(B, '只给你：野火烧不尽'), { now: NOW })
    const opened = await ib!.open(sealed, { now: NOW })
    expect(toHex(opened.from)).toBe(toHex(A))
    expect(opened.letter.text).toBe('只给你：野火烧不尽')
    expect(await codeOf(() => ic!.open(sealed, { now: NOW }))).toBe('E_BAD_SEAL')
    const copy = await ia!.seal(A, letter(B, 'mine'), { now: NOW })
    expect(toHex((await ia!.open(copy, { now: NOW })).letter.to)).toBe(toHex(B))
    // the same letter sealed twice never gives the same bytes (a fresh one-time key each time)
    const l = letter(B)
    expect(toHex(await ia!.seal(B, l, { now: NOW }))).not.toBe(toHex(await ia!.seal(B, l, { now: NOW })))
  })

  it('lengths leak little: messages of 97 to 128 bytes seal to the same size', async () => {
    const [a, b] = [generateSecretKey(), generateSecretKey()]
    const B = getPublicKey(b)
    const ia = await createDmIdentity(a)
    const sizes = new Set<number>()
    for (const n of [60, 70, 80]) sizes.add((await ia.seal(B, letter(B, 'x'.repeat(n)), { now: NOW })).length)
    expect(sizes.size).toBe(1)
    expect(calcPaddedLength(100)).toBe(128)
    expect(await codeOf(() => unpad(pad(new Uint8Array(40), 100).subarray(0, 40), 100))).toBe('E_BAD_SEAL')
  })
})
