// Property tests (fast-check) of the event codec and its signature.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toHex } from '../../../src/core/bytes.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { createEvent, type EventDraft } from '../../../src/core/event-create.ts'
import { decodeEvent } from '../../../src/core/event-decode.ts'
import { openEvent } from '../../../src/core/event-verify.ts'
import { decodeChangeEnvelope, openChangeEnvelope, signChange } from '../../../src/core/feed-envelope.ts'
import { createInvite, decodeInvite, inviteBytesOf, parseInvite } from '../../../src/core/invite.ts'
import { getPublicKey } from '../../../src/core/keys.ts'
import { MAX_CLOCK_SKEW_MS, MIN_TIMESTAMP_MS } from '../../../src/core/limits.ts'
import type { AuthorId, EventId, SecretKey } from '../../../src/core/types.ts'

const NOW = Date.UTC(2026, 0, 15, 12)
const SEED = 42
const secrets = Array.from({ length: 4 }, (_, i) => new Uint8Array(32).fill(40 + i) as SecretKey)
const authors: AuthorId[] = secrets.map((s) => encodeDidKey(getPublicKey(s)))

// Text people write: ASCII, CJK (simplified and traditional), emoji with modifiers and ZWJ
// sequences, combining marks, newlines and tabs; never blank, never a control character.
const piece = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcXYZ 019.,!?#@_-'.split('')), maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'野火烧不尽春风吹又生這裡是繁體中文，。！？「」'.split('')), maxLength: 12 }),
  fc.constantFrom('😀', '👍🏽', '👨‍👩‍👧‍👦', '🇨🇳', '❤️', '1️⃣', 'é', 'e\u0301', '\n', '\t', ' #标签', ' #Tag_1'),
)
const text = fc.array(piece, { maxLength: 20 }).map((parts) => `x${parts.join('')}`)
const singleLine = (max: number) =>
  text.map((s) =>
    Array.from(s.replace(/[\n\t]/g, ' '))
      .slice(0, max)
      .join(''),
  )
const id = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b) as EventId)
const ts = fc.integer({ min: MIN_TIMESTAMP_MS, max: NOW + MAX_CLOCK_SKEW_MS })

const postDraft = fc.record(
  {
    text,
    reply: fc.record({ root: id, parent: id }),
    quote: id,
    mentions: fc.uniqueArray(fc.constantFrom(...authors), { maxLength: 4 }),
    tags: fc.uniqueArray(fc.constantFrom('wildgrass', '野草', '標籤', 'tag_1', 'café'), { maxLength: 5 }),
    cw: singleLine(40),
    lang: fc.constantFrom('en', 'zh-Hans', 'zh-Hant', 'ja', 'en-GB'),
  },
  { requiredKeys: ['text'] },
)
const draft: fc.Arbitrary<EventDraft> = fc.oneof(
  fc.record({ kind: fc.constant('post' as const), ts, body: postDraft }),
  fc.record({ kind: fc.constant('reaction' as const), ts, body: fc.record({ target: id, emoji: fc.constantFrom('👍', '❤️', '😂', '👍🏿', '🇹🇼', '🔥') }) }),
  fc.record({ kind: fc.constant('repost' as const), ts, body: fc.record({ target: id }) }),
)
const signer = fc.integer({ min: 0, max: secrets.length - 1 })

describe('event properties', () => {
  it('decode(create(x)) equals create(x), and the draft survives', () => {
    fc.assert(
      fc.property(draft, signer, (d, who) => {
        const e = createEvent(secrets[who]!, d, { now: NOW })
        expect(decodeEvent(e.bytes, { now: NOW })).toEqual(e)
        expect(e.kind).toBe(d.kind)
        expect(e.ts).toBe(d.ts)
        if (d.kind === 'post' && e.kind === 'post') {
          expect(e.body.text).toBe(d.body.text)
          expect(e.body.reply).toEqual(d.body.reply)
          expect(e.body.mentions ?? []).toEqual(d.body.mentions ?? [])
        } else expect(e.body).toEqual(d.body)
      }),
      { seed: SEED, numRuns: 300 },
    )
  })

  it('any single-byte change to a signed event is rejected', async () => {
    const events = fc.sample(fc.tuple(draft, signer), { seed: SEED, numRuns: 20 }).map(([d, who]) => createEvent(secrets[who]!, d, { now: NOW }))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...events), fc.nat(), fc.integer({ min: 1, max: 255 }), async (e, at, delta) => {
        const bytes = new Uint8Array(e.bytes)
        const i = at % bytes.length
        bytes[i] = (bytes[i]! + delta) & 0xff
        const error: unknown = await openEvent(bytes, { now: NOW }).then(
          () => undefined,
          (x: unknown) => x,
        )
        expect(isWildgrassError(error), `byte ${i} +${delta} was accepted or threw ${String(error)}`).toBe(true)
      }),
      { seed: SEED, numRuns: 1_000 },
    )
  })

  it('envelopes and invites: round trip, and a changed byte is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), signer, fc.nat(), async (change, who, at) => {
        const env = signChange(secrets[who]!, change)
        expect(decodeChangeEnvelope(env.bytes)).toEqual(env)
        await openChangeEnvelope(env.bytes, authors[who]!)
        const bad = new Uint8Array(env.bytes)
        bad[at % bad.length]! ^= 0x20
        await expect(openChangeEnvelope(bad, authors[who]!)).rejects.toSatisfy(isWildgrassError)
      }),
      { seed: SEED, numRuns: 200 },
    )
    await fc.assert(
      fc.asyncProperty(
        singleLine(50),
        fc.uniqueArray(fc.constantFrom('/dns4/a.example/tcp/443/wss', '/ip4/10.0.0.1/tcp/1/ws', '/ip6/::1/udp/1/webrtc-direct'), { minLength: 1 }),
        fc.nat(),
        async (name, relays, at) => {
          const url = createInvite(secrets[0]!, { relays, name }, 'https://a.example/', { now: NOW })
          const invite = await parseInvite(url, { now: NOW })
          expect(invite).toMatchObject({ name, relays })
          const bytes = inviteBytesOf(url)
          expect(decodeInvite(bytes, { now: NOW })).toEqual(invite)
          const bad = new Uint8Array(bytes)
          bad[at % bad.length]! ^= 0x01
          await expect(parseInvite(Buffer.from(bad).toString('base64url'), { now: NOW })).rejects.toSatisfy(isWildgrassError)
        },
      ),
      { seed: SEED, numRuns: 200 },
    )
  })

  it('decoders fed arbitrary bytes only throw WildgrassError', () => {
    const only = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        if (!isWildgrassError(e)) throw e
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        only(() => decodeEvent(b, { now: NOW }))
        only(() => decodeChangeEnvelope(b))
        only(() => decodeInvite(b, { now: NOW }))
      }),
      { seed: SEED, numRuns: 5_000 },
    )
  })
})
