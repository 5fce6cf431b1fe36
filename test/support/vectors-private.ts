// Runner for protocol/vectors/direct-messages.json (protocol/direct-messages.md, lists.md),
// shared by Node (test/unit/protocol/vectors.test.ts) and Chromium (test/browser/core-vectors.test.ts):
// every X25519 provider there must give the vector's bytes and codes.
import { expect } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { mailboxIdOf, mailboxProofBytes, signAsMailbox, x25519PublicOf } from '../../src/core/dm-keys.ts'
import { decodeLetter } from '../../src/core/dm-letter.ts'
import { calcPaddedLength } from '../../src/core/dm-padding.ts'
import { createDmIdentity } from '../../src/core/dm-seal.ts'
import { isWildgrassError } from '../../src/core/errors.ts'
import { getPublicKey, verifySignatureWith } from '../../src/core/keys.ts'
import { openPrivateChange, sealPrivateChange } from '../../src/core/private-seal.ts'
import type { PublicKey, SecretKey } from '../../src/core/types.ts'
import { nobleX25519, webCryptoX25519, type X25519Provider } from '../../src/core/x25519.ts'
import type { VectorCase } from './vectors-core.ts'

type Case = Record<string, unknown> & { description: string; valid: boolean; type: string }
const h = (c: Case, key: string) => fromHex(c[key] as string)

async function codeOf(run: () => unknown): Promise<string | null> {
  try {
    await run()
    return null
  } catch (e) {
    if (!isWildgrassError(e)) throw e
    return e.code
  }
}

export async function runPrivateVectors(cases: readonly Case[], providers: readonly X25519Provider[]): Promise<void> {
  for (const c of cases) {
    const what = `${c.type}: ${c.description}`
    switch (c.type) {
      case 'padding':
        expect(calcPaddedLength(c.length as number), what).toBe(c.paddedLength)
        break
      case 'mailbox': {
        const seed = h(c, 'seedHex') as SecretKey
        expect(toHex(getPublicKey(seed)), what).toBe(c.publicKeyHex)
        expect(toHex(mailboxIdOf(h(c, 'publicKeyHex'), c.epoch as number)), what).toBe(c.boxHex)
        expect(toHex(mailboxIdOf(h(c, 'publicKeyHex'), (c.epoch as number) + 1)), what).toBe(c.nextBoxHex)
        expect(toHex(mailboxProofBytes(h(c, 'boxHex'), h(c, 'challengeHex'), c.relay as string)), what).toBe(c.signedBytesHex)
        expect(toHex(signAsMailbox(seed, c.epoch as number, h(c, 'signedBytesHex'))), what).toBe(c.signatureHex)
        for (const backend of ['webcrypto', 'noble'] as const) await verifySignatureWith(backend, h(c, 'boxHex'), h(c, 'signedBytesHex'), h(c, 'signatureHex'))
        break
      }
      case 'seal':
        expect(toHex(x25519PublicOf(h(c, 'senderPublicKeyHex'))), what).toBe(c.senderX25519Hex)
        for (const provider of providers) {
          const sender = await createDmIdentity(h(c, 'senderSeedHex') as SecretKey, provider)
          const l = c.letter as { idHex: string; toHex: string; ts: number; text: string }
          const letter = { id: fromHex(l.idHex), to: fromHex(l.toHex) as PublicKey, ts: l.ts, text: l.text }
          const sealed = await sender.seal(h(c, 'recipientPublicKeyHex') as PublicKey, letter, {
            now: c.now as number,
            ephemeralSecret: h(c, 'ephemeralSecretHex'),
          })
          expect(toHex(sealed), `${what} (${provider.name})`).toBe(c.sealedHex)
          const recipient = await createDmIdentity(h(c, 'recipientSeedHex') as SecretKey, provider)
          const opened = await recipient.open(h(c, 'sealedHex'), { now: c.now as number })
          expect(toHex(opened.from), what).toBe(c.senderPublicKeyHex)
          expect({ id: toHex(opened.letter.id), to: toHex(opened.letter.to), ts: opened.letter.ts, text: opened.letter.text }, what).toEqual({
            id: l.idHex,
            to: l.toHex,
            ts: l.ts,
            text: l.text,
          })
        }
        break
      case 'open':
        for (const provider of providers) {
          const recipient = await createDmIdentity(h(c, 'recipientSeedHex') as SecretKey, provider)
          expect(await codeOf(() => recipient.open(h(c, 'sealedHex'), { now: c.now as number })), `${what} (${provider.name})`).toBe(c.code)
        }
        break
      case 'letter':
        expect(await codeOf(() => decodeLetter(h(c, 'bytesHex'), { now: c.now as number })), what).toBe(c.valid ? null : c.code)
        break
      case 'private-blob': {
        const { privateDocKeyOf } = await import('../../src/core/dm-keys.ts')
        const key = privateDocKeyOf(h(c, 'seedHex') as SecretKey)
        if (c.valid) {
          expect(toHex(key), what).toBe(c.keyHex)
          expect(toHex(openPrivateChange(key, h(c, 'ownerHex'), h(c, 'blobHex'))), what).toBe(c.changeHex)
          expect(toHex(sealPrivateChange(key, h(c, 'ownerHex'), h(c, 'changeHex'), h(c, 'nonceHex'))), what).toBe(c.blobHex)
        } else {
          expect(await codeOf(() => openPrivateChange(key, h(c, 'ownerHex'), h(c, 'blobHex'))), what).toBe(c.code)
        }
        break
      }
      default:
        throw new Error(`unknown vector type ${c.type}`)
    }
  }
}

/** One case through the WebCrypto and noble providers (protocol-vectors.ts runs every file per case). */
export const runPrivateCase = (c: VectorCase): Promise<void> => runPrivateVectors([c as Case], [webCryptoX25519, nobleX25519])
