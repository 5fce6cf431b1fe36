// Runners for the other engineers' vector files: identity.json (identity/phrase/did-key cases)
// and signatures.json (signature cases), routed by each case's `type` — both verifier backends
// must give the vector's answer (protocol/identity.md); relay-records.json (protocol/relays.md).
import { expect } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { decodeDidKey, encodeDidKey } from '../../src/core/did-key.ts'
import { isWildgrassError } from '../../src/core/errors.ts'
import { getPublicKey, signedBytes, verifySignatureWith } from '../../src/core/keys.ts'
import { openRelayRecord } from '../../src/core/relay-record.ts'
import { encodeCanonical } from '../../src/core/cbor.ts'
import { phraseToSecretKey, secretKeyToPhrase, type PhraseLanguage } from '../../src/core/phrase.ts'
import type { SecretKey } from '../../src/core/types.ts'

export const cryptoVectorFiles = new Set<string>(['identity.json', 'signatures.json', 'relay-records.json'])

type Case = Record<string, unknown>
const h = (c: Case, key: string) => fromHex(c[key] as string)

async function expectCodeOf(run: () => unknown, code: unknown, what: string): Promise<void> {
  let error: unknown
  try {
    await run()
  } catch (e) {
    error = e
  }
  expect(isWildgrassError(error), `${what}: expected ${String(code)}, got ${String(error)}`).toBe(true)
  expect((error as { code: string }).code, what).toBe(code)
}

async function runCase(c: Case): Promise<void> {
  const what = String(c.description)
  switch (c.type) {
    case 'identity': {
      const pk = getPublicKey(h(c, 'seedHex') as SecretKey)
      expect(toHex(pk), what).toBe(c.publicKeyHex)
      expect(encodeDidKey(pk), what).toBe(c.didKey)
      for (const [language, phrase] of Object.entries(c.phrases as Record<string, string>)) {
        expect(secretKeyToPhrase(h(c, 'seedHex') as SecretKey, language as PhraseLanguage), what).toBe(phrase)
        expect(toHex(phraseToSecretKey(phrase).secret), what).toBe(c.seedHex)
      }
      return
    }
    case 'phrase':
      if (c.valid) {
        const { secret, language } = phraseToSecretKey(c.phrase as string)
        expect(toHex(secret), what).toBe(c.seedHex)
        expect(language, what).toBe(c.language)
      } else await expectCodeOf(() => phraseToSecretKey(c.phrase as string), c.code, what)
      return
    case 'did-key':
      if (c.valid) expect(toHex(decodeDidKey(c.didKey as string)), what).toBe(c.publicKeyHex)
      else await expectCodeOf(() => decodeDidKey(c.didKey as string), c.code, what)
      return
    case 'signature':
      for (const backend of ['webcrypto', 'noble'] as const) {
        const run = () => verifySignatureWith(backend, h(c, 'publicKeyHex'), h(c, 'signedBytesHex'), h(c, 'signatureHex'))
        if (c.valid) await run()
        else await expectCodeOf(run, c.code, `${backend}: ${what}`)
      }
      return
    default:
      throw new Error(`unknown vector type ${String(c.type)} in "${what}"`)
  }
}

async function runRelayRecordCase(c: Case): Promise<void> {
  const what = String(c.description)
  const run = () => openRelayRecord(h(c, 'bytesHex'), { now: c.now as number })
  if (!c.valid) return expectCodeOf(run, c.code, what)
  const record = await run()
  expect({ peer: record.peer, addrs: record.addrs, ts: record.ts }, what).toEqual(c.record)
  expect(toHex(record.key), what).toBe(c.publicKeyHex)
  expect(toHex(record.sig), what).toBe(c.signatureHex)
  const unsigned = encodeCanonical({ v: 1, peer: record.peer, addrs: [...record.addrs], ts: record.ts, key: record.key })
  expect(toHex(signedBytes('wildgrass/relay/v1', unsigned)), what).toBe(c.signedBytesHex)
  for (const backend of ['webcrypto', 'noble'] as const) await verifySignatureWith(backend, record.key, h(c, 'signedBytesHex'), record.sig)
}

export async function runCryptoVectorFile(name: string, cases: readonly Case[]): Promise<void> {
  for (const c of cases) await (name === 'relay-records.json' ? runRelayRecordCase(c) : runCase(c))
}
