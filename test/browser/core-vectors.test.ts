// The event, change-envelope and invite vectors in real Chromium: Intl.Segmenter, TextDecoder,
// DAG-CBOR and WebCrypto Ed25519 (BoringSSL) of the browser must give the answers and codes
// the vectors name, as Node does (test/unit/vectors.test.ts).
import { describe, expect, it } from 'vitest'
import events from '../../protocol/vectors/events.json' with { type: 'json' }
import envelopes from '../../protocol/vectors/feed-envelopes.json' with { type: 'json' }
import invites from '../../protocol/vectors/invites.json' with { type: 'json' }
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { createEvent } from '../../src/core/event-create.ts'
import { openEvent, openEvents } from '../../src/core/event-verify.ts'
import { openChangeEnvelope } from '../../src/core/feed-envelope.ts'
import { parseInvite } from '../../src/core/invite.ts'
import type { AuthorId, SecretKey } from '../../src/core/types.ts'

type Case = Record<string, unknown> & { description: string; valid: boolean }

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  return p.then(
    () => null,
    (e: unknown) => (e as { code?: string }).code ?? String(e),
  )
}

describe('core vectors in Chromium', () => {
  it('events.json: every case, one by one and as one batch', async () => {
    const cases = events as Case[]
    const results = await openEvents(cases.map((c) => fromHex(c.bytesHex as string)), { now: cases[0]!.now as number })
    for (const [i, c] of cases.entries()) {
      const code = await codeOf(openEvent(fromHex(c.bytesHex as string), { now: c.now as number }))
      expect(code, c.description).toBe(c.valid ? null : c.code)
      const r = results[i]!
      expect(r.ok ? null : r.code, c.description).toBe(c.valid ? null : c.code)
      if (c.valid && r.ok) expect(r.event.id, c.description).toBe(c.idHex)
    }
  })

  it('createEvent reproduces the valid event bytes exactly (deterministic signing)', () => {
    for (const c of (events as Case[]).filter((x) => x.valid)) {
      const e = c.event as { kind: 'post'; ts: number; body: never }
      const made = createEvent(fromHex(c.secretKeyHex as string) as SecretKey, { kind: e.kind, ts: e.ts, body: e.body }, { now: c.now as number })
      expect(toHex(made.bytes), c.description).toBe(c.bytesHex)
    }
  })

  it('feed-envelopes.json', async () => {
    for (const c of envelopes as Case[]) {
      const code = await codeOf(openChangeEnvelope(fromHex(c.bytesHex as string), c.owner as AuthorId))
      expect(code, c.description).toBe(c.valid ? null : c.code)
    }
  })

  it('invites.json', async () => {
    for (const c of invites as Case[]) {
      const code = await codeOf(parseInvite(c.url as string, { now: c.now as number }))
      expect(code, c.description).toBe(c.valid ? null : c.code)
    }
  })
})
