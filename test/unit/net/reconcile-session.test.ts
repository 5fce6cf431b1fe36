// Both sides of /wildgrass/reconcile/1.0.0 (src/net/reconcile/session.ts) over in-memory libp2p
// streams: an honest exchange fetches exactly what the initiator lacked, and a hostile responder
// is refused with a typed error in bounded time (protocol/reconcile.md §Limits).
import { lpStream, streamPair } from '@libp2p/utils'
import { describe, expect, it } from 'vitest'
import { createEvent, fromHex, generateSecretKey, isWildgrassError, toHex } from '../../../src/core/index.ts'
import type { VerifiedEvent } from '../../../src/core/index.ts'
import type { SyncSink } from '../../../src/net/sync-source.ts'
import { decodeReconcileFrame, encodeReconcileFrame, MAX_NEG_ROUNDS } from '../../../src/net/reconcile/frames.ts'
import type { ReconcileFrame } from '../../../src/net/reconcile/frames.ts'
import { encodeMessage } from '../../../src/net/reconcile/negentropy.ts'
import { runReconcile, serveReconcile } from '../../../src/net/reconcile/session.ts'
import type { ReconcileSource } from '../../../src/net/reconcile/session.ts'
import { createSetSnapshot, createSortedSetBuilder } from '../../../src/net/reconcile/set-snapshot.ts'

type Event = ReturnType<typeof createEvent>

function sourceOf(events: readonly Event[]): ReconcileSource {
  return {
    snapshot: async () => createSetSnapshot(events.map((e) => ({ ts: e.ts, id: fromHex(e.id) }))),
    getItems: async (ids) => {
      const wanted = new Set(ids.map(toHex))
      return { events: events.filter((e) => wanted.has(e.id)).map((e) => e.bytes), changes: [] }
    },
  }
}

/** A sink that keeps what it is handed (the two methods a reconciliation uses). */
function recordingSink(): SyncSink & { events: VerifiedEvent[] } {
  const events: VerifiedEvent[] = []
  return {
    events,
    ingestOpenedEvents: async (opened: readonly VerifiedEvent[]) => {
      events.push(...opened)
      return opened.map(() => ({ ok: true }))
    },
    ingestOpenedChanges: async () => [],
  } as unknown as SyncSink & { events: VerifiedEvent[] }
}

const secret = generateSecretKey()
const posts = (n: number, tag: string) => Array.from({ length: n }, (_, i) => createEvent(secret, { kind: 'post', body: { text: `${tag} ${i}` } }))

describe('reconcile sessions', () => {
  it('the initiator fetches exactly what it lacked; the responder learns of the rest and pushes nothing', async () => {
    const common = posts(120, 'both')
    const onlyMine = posts(7, 'mine')
    const onlyTheirs = posts(11, 'theirs')
    const [client, server] = await streamPair()
    const served = serveReconcile(server, sourceOf([...common, ...onlyTheirs]))
    const sink = recordingSink()
    const report = await runReconcile(client, sourceOf([...common, ...onlyMine]), sink)
    await served
    expect(report).toMatchObject({ need: 11, have: 7, events: 11, changes: 0, rejected: 0 })
    expect(sink.events.map((e) => e.id).sort()).toEqual(onlyTheirs.map((e) => e.id).sort())
  })

  /** A responder that claims one id we lack, then answers `get` with `answer`. */
  async function againstHostile(answer: (write: (f: ReconcileFrame) => Promise<void>) => Promise<void>) {
    const [client, server] = await streamPair()
    const lp = lpStream(server)
    const write = (f: ReconcileFrame) => lp.write(encodeReconcileFrame(f))
    void (async () => {
      for (;;) {
        const frame = decodeReconcileFrame((await lp.read()).subarray())
        if (frame.t === 'neg')
          await write({
            t: 'neg',
            msg: encodeMessage([{ upper: { ts: Infinity, prefix: new Uint8Array(0) }, mode: 'ids', ids: [new Uint8Array(32).fill(5)] }]),
          })
        else if (frame.t === 'get') await answer(write)
      }
    })().catch(() => undefined)
    const t0 = performance.now()
    const error = await runReconcile(client, sourceOf(posts(3, 'mine')), recordingSink()).then(
      () => undefined,
      (err: unknown) => err,
    )
    return { error, ms: performance.now() - t0 }
  }

  it('a responder that sends empty items frames without end is refused at the first', async () => {
    const { error, ms } = await againstHostile(async (write) => {
      for (let i = 0; i < 10_000; i++) await write({ t: 'items', events: [], changes: [], done: false })
    })
    expect(isWildgrassError(error, 'E_MALFORMED'), String(error)).toBe(true)
    expect(ms).toBeLessThan(5000)
  })

  it('a responder that sends more items than ids asked is refused', async () => {
    const extra = posts(2, 'unasked').map((e) => e.bytes)
    const { error } = await againstHostile((write) => write({ t: 'items', events: extra, changes: [], done: true }))
    expect(isWildgrassError(error, 'E_OVERSIZE'), String(error)).toBe(true)
  })
})

describe('reconcile sessions at their round limit', () => {
  it('a fresh relay facing 600,000 items stops after 64 rounds and fetches what it found (the next session goes on)', async () => {
    const builder = createSortedSetBuilder(600_000)
    for (let i = 0; i < 600_000; i++) {
      const id = new Uint8Array(32)
      new DataView(id.buffer).setUint32(0, i)
      builder.push(1_768_478_400_000, id)
    }
    const big = builder.finish()
    const asked: number[] = []
    const responder: ReconcileSource = { snapshot: async () => big, getItems: async (ids) => (asked.push(ids.length), { events: [], changes: [] }) }
    const [client, server] = await streamPair()
    const served = serveReconcile(server, responder)
    const report = await runReconcile(client, sourceOf([]), recordingSink())
    await served
    expect(report.rounds).toBe(MAX_NEG_ROUNDS)
    // about 8,000 ids an answer (256 KiB): a session finds about half a million
    expect(report.need).toBeGreaterThan(500_000)
    expect(report.need).toBeLessThan(600_000)
    expect(asked.reduce((a, b) => a + b, 0)).toBe(report.need)
  }, 60_000)
})
