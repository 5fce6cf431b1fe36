import { describe, expect, it } from 'vitest'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { createEvent, type EventDraft } from '../../../src/core/event-create.ts'
import { decodeEvent, eventIdOf, knownPartsOf, unsignedEventBytes } from '../../../src/core/event-decode.ts'
import { openEvent, openEvents, verifyEvent, verifyEvents } from '../../../src/core/event-verify.ts'
import { isEventId } from '../../../src/core/event-wire.ts'
import { getPublicKey } from '../../../src/core/keys.ts'
import { MAX_CLOCK_SKEW_MS, MAX_TAGS } from '../../../src/core/limits.ts'
import type { EventId, PostBody, SecretKey, SignedEvent } from '../../../src/core/types.ts'

const NOW = Date.UTC(2026, 0, 15, 12)
const alice = new Uint8Array(32).fill(7) as SecretKey
const bob = new Uint8Array(32).fill(9) as SecretKey
const make = (draft: EventDraft, secret = alice): SignedEvent => createEvent(secret, draft, { now: NOW })
const post = (text: string, extra: Record<string, unknown> = {}) => make({ kind: 'post', body: { text, ...extra } })

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
    return undefined
  } catch (e) {
    if (!isWildgrassError(e)) throw e
    return e.code
  }
}

describe('createEvent', () => {
  it('signs a post that decodes and verifies to the same event', async () => {
    const e = post('你好 👋 #Wildgrass', { lang: 'zh-Hans' })
    expect(e.author).toBe(encodeDidKey(getPublicKey(alice)))
    expect(e.ts).toBe(NOW)
    expect(isEventId(e.id)).toBe(true)
    expect(e.id).toBe(eventIdOf(unsignedEventBytes(e)))
    const opened = await openEvent(e.bytes, { now: NOW })
    expect(opened).toEqual(e)
    await verifyEvent(e)
  })

  it('takes hashtags from the text unless tags are given, normalized and distinct', () => {
    expect(post('#One #two #ONE 中文#标签').body).toMatchObject({ tags: ['one', 'two', '标签'] })
    const many = Array.from({ length: 15 }, (_, i) => `#t${i}`).join(' ')
    expect((post(many).body as PostBody).tags).toHaveLength(MAX_TAGS)
    expect(post('#ignored', { tags: ['#Given', 'given', 'Ｏther'] }).body).toMatchObject({ tags: ['given', 'other'] })
    expect(post('#ignored', { tags: [] }).body).not.toHaveProperty('tags')
    expect(post('no tags').body).not.toHaveProperty('tags')
  })

  it('drops empty mention lists and duplicate mentions', () => {
    const m = encodeDidKey(getPublicKey(bob))
    expect(post('hi', { mentions: [] }).body).not.toHaveProperty('mentions')
    expect(post('hi', { mentions: [m, m] }).body).toMatchObject({ mentions: [m] })
  })

  it('makes replies, quotes, reactions and reposts', async () => {
    const root = post('root')
    const reply = post('reply', { reply: { root: root.id, parent: root.id } })
    const quote = post('quote', { quote: root.id })
    const reaction = make({ kind: 'reaction', body: { target: root.id, emoji: '❤️' } }, bob)
    const repost = make({ kind: 'repost', body: { target: root.id } }, bob)
    const results = await openEvents(
      [reply, quote, reaction, repost].map((e) => e.bytes),
      { now: NOW },
    )
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true])
    expect(reaction.body).toEqual({ target: root.id, emoji: '❤️' })
  })

  it('rejects bad drafts with the code a receiver would give', () => {
    const id = post('x').id
    expect(codeOf(() => post(''))).toBe('E_BAD_TEXT')
    expect(codeOf(() => post('lone \ud800 surrogate'))).toBe('E_BAD_TEXT')
    expect(codeOf(() => post('草'.repeat(501)))).toBe('E_TOO_MANY_GRAPHEMES')
    expect(codeOf(() => post('hi', { quote: 'abc' }))).toBe('E_BAD_REFERENCE')
    expect(codeOf(() => post('hi', { quote: id.toUpperCase() }))).toBe('E_BAD_REFERENCE')
    expect(codeOf(() => post('hi', { reply: { parent: id } }))).toBe('E_BAD_REFERENCE')
    expect(codeOf(() => post('hi', { mentions: ['did:key:nope'] }))).toBe('E_BAD_KEY')
    expect(codeOf(() => post('hi', { lang: 'not a language' }))).toBe('E_BAD_TEXT')
    expect(codeOf(() => post('hi', { cw: 'x'.repeat(101) }))).toBe('E_TOO_MANY_GRAPHEMES')
    expect(codeOf(() => make({ kind: 'reaction', body: { target: id, emoji: 'ok' } }))).toBe('E_BAD_TEXT')
    expect(codeOf(() => make({ kind: 'post', ts: NOW + MAX_CLOCK_SKEW_MS + 1, body: { text: 'x' } }))).toBe('E_TIMESTAMP_FUTURE')
    expect(codeOf(() => make({ kind: 'post', ts: Date.UTC(2020, 0, 1), body: { text: 'x' } }))).toBe('E_TIMESTAMP_PAST')
    expect(codeOf(() => make({ kind: 'poll', body: {} } as unknown as EventDraft))).toBe('E_UNKNOWN_KIND')
    expect(codeOf(() => post('hi', { tags: 'notalist' }))).toBe('E_MALFORMED')
    expect(codeOf(() => post('hi', { mentions: 'notalist' }))).toBe('E_MALFORMED')
    expect(codeOf(() => make({ kind: 'reaction' } as unknown as EventDraft))).toBe('E_MALFORMED')
    expect(codeOf(() => make({ kind: 'post', body: { text: 42 } } as unknown as EventDraft))).toBe('E_MALFORMED')
    expect(codeOf(() => post('hi', { mentions: Array.from({ length: 21 }, (_, i) => `x${i}`) }))).toBe('E_OVERSIZE')
  })

  it('refuses an event over 4096 bytes even when each field is within its limit', () => {
    const big = '\u{10000}'.repeat(500) // 500 graphemes, 2000 bytes
    const mentions = Array.from({ length: 20 }, (_, i) => encodeDidKey(getPublicKey(new Uint8Array(32).fill(i + 20) as SecretKey)))
    const tags = Array.from({ length: 10 }, (_, i) => `${'标'.repeat(40)}${i}`)
    expect(codeOf(() => post(big, { mentions, tags, cw: '警'.repeat(100) }))).toBe('E_OVERSIZE')
  })
})

describe('decodeEvent', () => {
  it('returns frozen events that do not share the input buffer', () => {
    const e = post('hello #x', { reply: { root: post('a').id, parent: post('b').id } })
    const input = e.bytes.slice()
    const decoded = decodeEvent(input, { now: NOW })
    input.fill(0)
    expect(decoded).toEqual(e)
    expect(Object.isFrozen(decoded)).toBe(true)
    expect(Object.isFrozen(decoded.body)).toBe(true)
  })

  it('derives the unsigned bytes by cutting out sig exactly as encoding them would', () => {
    const root = post('root')
    for (const e of [
      root,
      post('野草 #x', { reply: { root: root.id, parent: root.id }, cw: 'cw' }),
      make({ kind: 'reaction', body: { target: root.id, emoji: '👍' } }),
      make({ kind: 'repost', body: { target: root.id } }),
    ]) {
      const decoded = decodeEvent(e.bytes, { now: NOW })
      expect(knownPartsOf(decoded)?.unsigned).toEqual(unsignedEventBytes(e))
    }
  })

  it('judges timestamps against the given clock', () => {
    const e = post('later')
    expect(codeOf(() => decodeEvent(e.bytes, { now: NOW - MAX_CLOCK_SKEW_MS - 1 }))).toBe('E_TIMESTAMP_FUTURE')
    expect(decodeEvent(e.bytes, { now: NOW - MAX_CLOCK_SKEW_MS }).id).toBe(e.id)
  })

  it('rejects non-bytes input with a typed error', () => {
    expect(codeOf(() => decodeEvent('x' as unknown as Uint8Array))).toBe('E_MALFORMED')
  })
})

describe('verification', () => {
  it('judges a copied object by its fields, so tampering is caught', async () => {
    const e = post('original')
    await verifyEvent({ ...e })
    const tampered = { ...e, body: { text: 'changed' } } as SignedEvent
    await expect(verifyEvent(tampered)).rejects.toMatchObject({ code: 'E_BAD_SIGNATURE' })
    expect(await verifyEvents([e, tampered, { ...e }])).toEqual([null, 'E_BAD_SIGNATURE', null])
    // fields intact but other bytes: whoever stores `bytes` must get what was verified
    const other = post('other')
    await expect(verifyEvent({ ...e, bytes: other.bytes })).rejects.toMatchObject({ code: 'E_BAD_SIGNATURE' })
    expect(await verifyEvents([{ ...e, bytes: other.bytes }, other])).toEqual(['E_BAD_SIGNATURE', null])
  })

  it('openEvents reports each input in order and never throws for bad input', async () => {
    const good = post('good')
    const forged = new Uint8Array(good.bytes)
    const sigAt = 16 + 6 // canonical key order v, ts, sig: header 1 + v 3 + ts 12, then "sig" key and bytes(64) head
    forged[sigAt + 40]! ^= 1 // a low byte of S: S stays canonical
    const results = await openEvents([good.bytes, new Uint8Array([0xa0]), forged, good.bytes.subarray(0, 10)], { now: NOW })
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'E_MALFORMED', 'E_BAD_SIGNATURE', 'E_TRUNCATED'])
    expect(await openEvents([])).toEqual([])
  })

  it('ids are distinct for distinct events and equal for the same bytes', () => {
    const ids = new Set<EventId>()
    for (let i = 0; i < 50; i++) ids.add(make({ kind: 'post', ts: NOW - i, body: { text: 'same text' } }).id)
    expect(ids.size).toBe(50)
    expect(decodeEvent(post('x').bytes, { now: NOW }).id).toBe(post('x').id)
  })
})
