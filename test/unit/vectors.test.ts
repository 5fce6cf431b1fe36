// Runs every file in protocol/vectors through the functions it specifies. Every implementation
// we ship must pass these (protocol/README.md). Files this runner does not know fail the suite,
// so a new vector file cannot be silently skipped.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { isWildgrassError } from '../../src/core/errors.ts'
import { createEvent, type EventDraft } from '../../src/core/event-create.ts'
import { decodeEvent, eventIdOf, unsignedEventBytes } from '../../src/core/event-decode.ts'
import { openEvent, openEvents, verifyEvent, verifyEvents } from '../../src/core/event-verify.ts'
import { decodeChangeEnvelope, openChangeEnvelope } from '../../src/core/feed-envelope.ts'
import { decodeInvite, inviteBytesOf, parseInvite } from '../../src/core/invite.ts'
import { getPublicKey, signedBytes, verifySignatureWith } from '../../src/core/keys.ts'
import type { AuthorId, SecretKey } from '../../src/core/types.ts'
import { runCryptoVectorFile, cryptoVectorFiles } from './vectors-crypto.ts'
import { runPrivateVectors } from './vectors-private.ts'
import { runReleaseVectors } from './vectors-releases.ts'
import { nobleX25519, webCryptoX25519 } from '../../src/core/x25519.ts'
import { nodeX25519 } from '../../src/net/x25519-node.ts'

const dir = new URL('../../protocol/vectors/', import.meta.url)
type Case = Record<string, unknown> & { description: string; valid: boolean }
const load = (name: string): Case[] => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Case[]
const h = (c: Case, key: string) => fromHex(c[key] as string)

async function expectCode(promise: Promise<unknown>, code: unknown): Promise<void> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e)
  expect(isWildgrassError(error), `expected ${String(code)}, got ${String(error)}`).toBe(true)
  expect((error as { code: string }).code).toBe(code)
}

/** Both verifier backends must agree with the vector (protocol/identity.md: strict rules). */
async function expectBothBackends(c: Case): Promise<void> {
  for (const backend of ['webcrypto', 'noble'] as const) {
    await verifySignatureWith(backend, h(c, 'publicKeyHex'), h(c, 'signedBytesHex'), h(c, 'signatureHex'))
  }
  expect(toHex(getPublicKey(h(c, 'secretKeyHex') as SecretKey))).toBe(c.publicKeyHex)
}

const mine = new Set(['events.json', 'feed-envelopes.json', 'invites.json', 'releases.json', 'direct-messages.json'])

describe('protocol/vectors', () => {
  it('has no file without a runner', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
    expect(files).toEqual(expect.arrayContaining([...mine]))
    for (const f of files) expect(mine.has(f) || cryptoVectorFiles.has(f), `no runner for ${f}`).toBe(true)
  })

  describe('events.json', () => {
    const cases = load('events.json')
    it('covers every kind and at least 20 invalid cases', () => {
      const kinds = new Set(cases.filter((c) => c.valid).map((c) => (c.event as { kind: string }).kind))
      expect([...kinds].sort()).toEqual(['post', 'reaction', 'repost'])
      expect(cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(20)
    })
    for (const c of cases) {
      it(`${c.valid ? 'valid' : c.code as string}: ${c.description}`, async () => {
        const bytes = h(c, 'bytesHex')
        const now = c.now as number
        const batch = await openEvents([bytes], { now })
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
          expect(batch[0]).toMatchObject({ ok: true })
          await expectBothBackends(c)
          // deterministic signing: the same draft and key give the same bytes
          const draft = { kind: e.kind, ts: e.ts, body: e.body } as EventDraft
          expect(toHex(createEvent(h(c, 'secretKeyHex') as SecretKey, draft, { now }).bytes)).toBe(c.bytesHex)
        } else {
          await expectCode(openEvent(bytes, { now }), c.code)
          expect(batch[0]).toMatchObject({ ok: false, code: c.code })
          // decodeEvent either finds the same defect or, for signature defects, none.
          let decoded = true
          try {
            decodeEvent(bytes, { now })
          } catch (e) {
            decoded = false
            expect(isWildgrassError(e, c.code as never)).toBe(true)
          }
          if (decoded) expect(['E_BAD_SIGNATURE', 'E_NON_CANONICAL_SIG']).toContain(c.code)
        }
      })
    }
  })

  describe('feed-envelopes.json', () => {
    for (const c of load('feed-envelopes.json')) {
      it(`${c.valid ? 'valid' : c.code as string}: ${c.description}`, async () => {
        const bytes = h(c, 'bytesHex')
        if (c.valid) {
          const env = await openChangeEnvelope(bytes, c.owner as AuthorId)
          expect(toHex(env.change)).toBe(c.changeHex)
          expect(toHex(env.sig)).toBe(c.signatureHex)
          expect(toHex(env.bytes)).toBe(c.bytesHex)
          await expectBothBackends(c)
        } else {
          await expectCode(openChangeEnvelope(bytes, c.owner as AuthorId), c.code)
          try {
            decodeChangeEnvelope(bytes)
            expect(['E_BAD_SIGNATURE', 'E_NON_CANONICAL_SIG', 'E_WRONG_AUTHOR']).toContain(c.code)
          } catch (e) {
            expect(isWildgrassError(e, c.code as never)).toBe(true)
          }
        }
      })
    }
  })

  describe('invites.json', () => {
    for (const c of load('invites.json')) {
      it(`${c.valid ? 'valid' : c.code as string}: ${c.description}`, async () => {
        const now = c.now as number
        if (c.valid) {
          const invite = await parseInvite(c.url as string, { now })
          expect(toHex(inviteBytesOf(c.url as string))).toBe(c.bytesHex)
          expect({ relays: invite.relays, name: invite.name, ts: invite.ts, ...(invite.community === undefined ? {} : { community: invite.community }) }).toEqual(c.invite)
          expect(toHex(invite.sig)).toBe(c.signatureHex)
          expect(decodeInvite(h(c, 'bytesHex'), { now })).toEqual(invite)
          await expectBothBackends(c)
        } else {
          await expectCode(parseInvite(c.url as string, { now }), c.code)
        }
      })
    }
  })

  describe('releases.json', () => {
    it('passes', async () => {
      await runReleaseVectors(load('releases.json'))
    })
  })

  describe('direct-messages.json', () => {
    it('every case, with the WebCrypto, noble and node:crypto X25519 providers', async () => {
      const cases = load('direct-messages.json') as Array<Case & { type: string }>
      expect(cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(20)
      await runPrivateVectors(cases, [webCryptoX25519, nobleX25519, nodeX25519])
    })
  })

  for (const name of [...cryptoVectorFiles].filter((f) => existsSync(new URL(f, dir)))) {
    describe(name, () => {
      it('passes', async () => {
        await runCryptoVectorFile(name, load(name))
      })
    })
  }
})
