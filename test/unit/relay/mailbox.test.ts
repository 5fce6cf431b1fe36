// The relay's mailboxes over real SQLite (protocol/direct-messages.md §6): quotas, the same
// bytes stored once, fetching after a cursor, retention with hour-coarse expiry; and the frames
// of the mailbox protocol, which refuse bad input with typed errors.
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { decodeMailboxFrame, encodeMailboxFrame, MAX_MAILBOX_FRAME_BYTES, type MailboxFrame } from '../../../src/net/mailbox-frames.ts'
import { createMailboxStore, DEFAULT_MAILBOX_QUOTAS } from '../../../src/relay/mailbox-store.ts'

const box = (n: number) => new Uint8Array(32).fill(n)
const msg = (n: number, size = 200) => new Uint8Array(size).fill(n)
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run()
    return undefined
  } catch (e) {
    return isWildgrassError(e) ? e.code : String(e)
  }
}

describe('relay mailboxes', () => {
  it('keeps messages per box, once each, and hands out what came after a cursor', () => {
    const store = createMailboxStore(new DatabaseSync(':memory:'))
    const first = store.put(box(1), msg(1))
    expect(store.put(box(1), msg(1))).toEqual({ seq: first.seq, duplicate: true })
    const second = store.put(box(1), msg(2))
    store.put(box(2), msg(3))
    expect(store.fetch([{ box: box(1), after: 0 }], 50).items.map((i) => i.seq)).toEqual([first.seq, second.seq])
    expect(store.fetch([{ box: box(1), after: first.seq }], 50).items.map((i) => i.msg[0])).toEqual([2])
    expect(
      store.fetch(
        [
          { box: box(1), after: 0 },
          { box: box(2), after: 0 },
        ],
        2,
      ),
    ).toMatchObject({ more: true })
    expect(store.stats()).toMatchObject({ messages: 3, bytes: 600 })
  })

  it('refuses with E_QUOTA past the per-box and total quotas, and keeps what it had', () => {
    const store = createMailboxStore(new DatabaseSync(':memory:'), { ...DEFAULT_MAILBOX_QUOTAS, maxPerBox: 2, maxBytes: 900 })
    store.put(box(1), msg(1))
    store.put(box(1), msg(2))
    expect(codeOf(() => store.put(box(1), msg(3)))).toBe('E_QUOTA')
    store.put(box(2), msg(4))
    store.put(box(3), msg(5))
    expect(codeOf(() => store.put(box(4), msg(6)))).toBe('E_QUOTA') // 900 bytes in all
    expect(store.stats()).toMatchObject({ messages: 4, refusals: 2 })
    expect(store.fetch([{ box: box(1), after: 0 }], 50).items).toHaveLength(2)
  })

  it('expires messages after the retention, to the hour, and says so in its counts', () => {
    let now = Date.UTC(2026, 0, 15, 12, 34, 56)
    const db = new DatabaseSync(':memory:')
    const store = createMailboxStore(db, { ...DEFAULT_MAILBOX_QUOTAS, retentionMs: 24 * 3600_000 }, () => now)
    store.put(box(1), msg(1))
    const { expires } = db.prepare('SELECT expires FROM mailbox').get() as { expires: number }
    const due = Date.UTC(2026, 0, 16, 13)
    expect(expires).toBeGreaterThanOrEqual(due) // the whole hour after now + retention…
    expect(expires).toBeLessThan(due + 3600_000) // …plus less than an hour at random
    now = due - 1
    expect(store.prune()).toBe(0)
    now = due + 3600_000
    expect(store.prune()).toBe(1)
    expect(store.stats()).toMatchObject({ messages: 0, bytes: 0 })
  })
})

describe('mailbox frames', () => {
  const b = box(9)
  const samples: MailboxFrame[] = [
    { t: 'challenge', nonce: new Uint8Array(32).fill(1) },
    { t: 'put', box: b, msg: msg(1, 150) },
    { t: 'stored', seq: 7 },
    { t: 'open', proofs: [{ box: b, sig: new Uint8Array(64) }] },
    { t: 'opened', boxes: 1 },
    { t: 'fetch', from: [{ box: b, after: 3 }], wait: 25_000 },
    { t: 'mail', items: [{ box: b, seq: 4, msg: msg(2, 150) }], more: false },
    { t: 'error', code: 'E_QUOTA', message: 'full' },
  ]
  it('round-trips every frame type', () => {
    for (const f of samples) expect(decodeMailboxFrame(encodeMailboxFrame(f))).toEqual(f)
  })
  it('refuses bad frames with typed errors', () => {
    const enc = (v: unknown) => encodeMailboxFrame(v as MailboxFrame)
    expect(codeOf(() => decodeMailboxFrame(new Uint8Array()))).toBe('E_TRUNCATED')
    expect(codeOf(() => decodeMailboxFrame(new Uint8Array(MAX_MAILBOX_FRAME_BYTES + 1).fill(0xa1)))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeMailboxFrame(enc({ t: 'nope' })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeMailboxFrame(enc({ t: 'stored', seq: 1, extra: 1 })))).toBe('E_UNKNOWN_FIELD')
    expect(codeOf(() => decodeMailboxFrame(enc({ t: 'put', box: box(1).subarray(0, 31), msg: msg(1) })))).toBe('E_MALFORMED')
    expect(codeOf(() => decodeMailboxFrame(enc({ t: 'put', box: b, msg: msg(1, 9000) })))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeMailboxFrame(enc({ t: 'fetch', from: [], wait: 31_000 })))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeMailboxFrame(enc({ t: 'open', proofs: Array(17).fill({ box: b, sig: new Uint8Array(64) }) })))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeMailboxFrame(enc({ t: 'stored', seq: -1 })))).toBe('E_MALFORMED')
  })
})
