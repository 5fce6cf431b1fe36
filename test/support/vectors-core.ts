// Runners for the vector files of src/core (protocol/vectors: events, feed envelopes, invites,
// identity, signatures, relay records, hashtags). Each takes one case and fails (vitest expect)
// unless every entry point the file specifies gives the case's answer and code. Shared by Node
// (test/unit/protocol/vectors.test.ts) and Chromium (test/browser/core-vectors.test.ts).
import { expect } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { encodeCanonical } from '../../src/core/cbor.ts'
import { decodeDidKey, encodeDidKey } from '../../src/core/did-key.ts'
import { isWildgrassError } from '../../src/core/errors.ts'
import { createEvent, type EventDraft } from '../../src/core/event-create.ts'
import { decodeEvent, eventIdOf, unsignedEventBytes } from '../../src/core/event-decode.ts'
import { openEvent, openEvents, verifyEvent, verifyEvents } from '../../src/core/event-verify.ts'
import { decodeChangeEnvelope, openChangeEnvelope } from '../../src/core/feed-envelope.ts'
import { decodeInvite, inviteBytesOf, parseInvite } from '../../src/core/invite.ts'
import { getPublicKey, signedBytes, verifySignatureWith } from '../../src/core/keys.ts'
import { phraseToSecretKey, secretKeyToPhrase, type PhraseLanguage } from '../../src/core/phrase.ts'
import { openRelayRecord } from '../../src/core/relay-record.ts'
import { extractHashtags, isValidHashtag, normalizeHashtag } from '../../src/core/text.ts'
import type { AuthorId, SecretKey } from '../../src/core/types.ts'

export type VectorCase = Record<string, unknown> & { description: string }

const h = (c: VectorCase, key: string) => fromHex(c[key] as string)

/** The WildgrassError code `run` fails with, or null when it succeeds; anything else is rethrown. */
export async function codeOf(run: () => unknown): Promise<string | null> {
  try {
    await run()
    return null
  } catch (e) {
    if (isWildgrassError(e)) return e.code
    throw e
  }
}

/** Both verifier backends must agree with the vector (protocol/identity.md: strict rules). */
async function expectBothBackends(c: VectorCase): Promise<void> {
  for (const backend of ['webcrypto', 'noble'] as const) {
    await verifySignatureWith(backend, h(c, 'publicKeyHex'), h(c, 'signedBytesHex'), h(c, 'signatureHex'))
  }
  expect(toHex(getPublicKey(h(c, 'secretKeyHex') as SecretKey))).toBe(c.publicKeyHex)
}

export async function runEventCase(c: VectorCase): Promise<void> {
  const bytes = h(c, 'bytesHex')
  const now = c.now as number
  const [batch] = await openEvents([bytes], { now })
  if (c.valid) {
    const e = await openEvent(bytes, { now })
    const { id, sig, bytes: wire, ...fields } = e
    expect(JSON.parse(JSON.stringify(fields))).toEqual(c.event)
    expect(id).toBe(c.idHex)
    expect(toHex(sig)).toBe(c.signatureHex)
    expect(toHex(wire)).toBe(c.bytesHex)
    const unsigned = unsignedEventBytes(e)
    expect(eventIdOf(unsigned)).toBe(c.idHex)
    expect(toHex(signedBytes('wildgrass/event/v1', unsigned))).toBe(c.signedBytesHex)
    await verifyEvent(decodeEvent(bytes, { now }))
    expect(await verifyEvents([e])).toEqual([null])
    expect(batch).toMatchObject({ ok: true })
    await expectBothBackends(c)
    // deterministic signing: the same draft and key give the same bytes
    const draft = { kind: e.kind, ts: e.ts, body: e.body } as EventDraft
    expect(toHex(createEvent(h(c, 'secretKeyHex') as SecretKey, draft, { now }).bytes)).toBe(c.bytesHex)
    return
  }
  expect(await codeOf(() => openEvent(bytes, { now }))).toBe(c.code)
  expect(batch).toMatchObject({ ok: false, code: c.code })
  // decodeEvent either finds the same defect or, for signature defects, none
  const decoded = await codeOf(() => decodeEvent(bytes, { now }))
  if (decoded === null) expect(['E_BAD_SIGNATURE', 'E_NON_CANONICAL_SIG']).toContain(c.code)
  else expect(decoded).toBe(c.code)
}

export async function runEnvelopeCase(c: VectorCase): Promise<void> {
  const bytes = h(c, 'bytesHex')
  if (c.valid) {
    const env = await openChangeEnvelope(bytes, c.owner as AuthorId)
    expect(toHex(env.change)).toBe(c.changeHex)
    expect(toHex(env.sig)).toBe(c.signatureHex)
    expect(toHex(env.bytes)).toBe(c.bytesHex)
    await expectBothBackends(c)
    return
  }
  expect(await codeOf(() => openChangeEnvelope(bytes, c.owner as AuthorId))).toBe(c.code)
  const decoded = await codeOf(() => decodeChangeEnvelope(bytes))
  if (decoded === null) expect(['E_BAD_SIGNATURE', 'E_NON_CANONICAL_SIG', 'E_WRONG_AUTHOR']).toContain(c.code)
  else expect(decoded).toBe(c.code)
}

export async function runInviteCase(c: VectorCase): Promise<void> {
  const now = c.now as number
  if (!c.valid) {
    expect(await codeOf(() => parseInvite(c.url as string, { now }))).toBe(c.code)
    return
  }
  const invite = await parseInvite(c.url as string, { now })
  expect(toHex(inviteBytesOf(c.url as string))).toBe(c.bytesHex)
  expect({ relays: invite.relays, name: invite.name, ts: invite.ts, ...(invite.community === undefined ? {} : { community: invite.community }) }).toEqual(
    c.invite,
  )
  expect(toHex(invite.sig)).toBe(c.signatureHex)
  expect(decodeInvite(h(c, 'bytesHex'), { now })).toEqual(invite)
  await expectBothBackends(c)
}

/** identity.json and signatures.json, routed by each case's `type`. */
export async function runIdentityCase(c: VectorCase): Promise<void> {
  switch (c.type) {
    case 'identity': {
      const pk = getPublicKey(h(c, 'seedHex') as SecretKey)
      expect(toHex(pk)).toBe(c.publicKeyHex)
      expect(encodeDidKey(pk)).toBe(c.didKey)
      for (const [language, phrase] of Object.entries(c.phrases as Record<string, string>)) {
        expect(secretKeyToPhrase(h(c, 'seedHex') as SecretKey, language as PhraseLanguage)).toBe(phrase)
        expect(toHex(phraseToSecretKey(phrase).secret)).toBe(c.seedHex)
      }
      return
    }
    case 'phrase':
      if (c.valid) {
        const { secret, language } = phraseToSecretKey(c.phrase as string)
        expect(toHex(secret)).toBe(c.seedHex)
        expect(language).toBe(c.language)
      } else expect(await codeOf(() => phraseToSecretKey(c.phrase as string))).toBe(c.code)
      return
    case 'did-key':
      if (c.valid) expect(toHex(decodeDidKey(c.didKey as string))).toBe(c.publicKeyHex)
      else expect(await codeOf(() => decodeDidKey(c.didKey as string))).toBe(c.code)
      return
    case 'signature':
      for (const backend of ['webcrypto', 'noble'] as const) {
        const got = await codeOf(() => verifySignatureWith(backend, h(c, 'publicKeyHex'), h(c, 'signedBytesHex'), h(c, 'signatureHex')))
        expect(got, backend).toBe(c.valid ? null : c.code)
      }
      return
    default:
      throw new Error(`unknown vector type ${String(c.type)}`)
  }
}

export async function runRelayRecordCase(c: VectorCase): Promise<void> {
  const run = () => openRelayRecord(h(c, 'bytesHex'), { now: c.now as number })
  if (!c.valid) {
    expect(await codeOf(run)).toBe(c.code)
    return
  }
  const record = await run()
  expect({ peer: record.peer, addrs: record.addrs, ts: record.ts }).toEqual(c.record)
  expect(toHex(record.key)).toBe(c.publicKeyHex)
  expect(toHex(record.sig)).toBe(c.signatureHex)
  const unsigned = encodeCanonical({ v: 1, peer: record.peer, addrs: [...record.addrs], ts: record.ts, key: record.key })
  expect(toHex(signedBytes('wildgrass/relay/v1', unsigned))).toBe(c.signedBytesHex)
  for (const backend of ['webcrypto', 'noble'] as const) await verifySignatureWith(backend, record.key, h(c, 'signedBytesHex'), record.sig)
}

export function runHashtagCase(c: VectorCase): Promise<void> {
  if (c.type === 'extract') expect(extractHashtags(c.text as string)).toEqual(c.tags)
  else if (c.type === 'normalize') {
    expect(normalizeHashtag(c.input as string)).toBe(c.normalized)
    expect(isValidHashtag(c.normalized as string)).toBe(c.valid)
  } else throw new Error(`unknown vector type ${String(c.type)}`)
  return Promise.resolve()
}
