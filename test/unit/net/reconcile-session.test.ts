// Both sides of /wildgrass/reconcile/1.0.0 (src/net/reconcile/session.ts) over in-memory libp2p
// streams: one honest session moves exactly what each side lacked, both ways; a hostile responder
// is refused with a typed error in bounded time, and a hostile initiator's forged or excess pushes
// are refused without losing its good ones (protocol/reconcile.md §Limits).
import { lpStream, streamPair } from '@libp2p/utils'
import { describe, expect, it } from 'vitest'
import { createEvent, fromHex, generateSecretKey, isWildgrassError, toHex } from '../../../src/core/index.ts'
import type { VerifiedEvent } from '../../../src/core/index.ts'
import type { SyncSink } from '../../../src/net/sync-source.ts'
import { decodeReconcileFrame, encodeReconcileFrame, MAX_NEG_ROUNDS, MAX_PUSH_ITEMS } from '../../../src/net/reconcile/frames.ts'
import type { ReconcileFrame } from '../../../src/net/reconcile/frames.ts'
import { encodeMessage, initiate } from '../../../src/net/reconcile/negentropy.ts'
import { runReconcile, serveReconcile } from '../../../src/net/reconcile/session.ts'
import type { ReconcileSource, ServeOptions } from '../../../src/net/reconcile/session.ts'
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
  it('one session moves both ways: the initiator fetches what it lacked and pushes what the responder lacked', async () => {
    const common = posts(120, 'both')
    const onlyMine = posts(7, 'mine')
    const onlyTheirs = posts(11, 'theirs')
    const [client, server] = await streamPair()
    const theirSink = recordingSink()
    const served = serveReconcile(server, sourceOf([...common, ...onlyTheirs]), { sink: theirSink })
    const sink = recordingSink()
    const report = await runReconcile(client, sourceOf([...common, ...onlyMine]), sink)
    const serveReport = await served
    expect(report).toMatchObject({ need: 11, have: 7, events: 11, changes: 0, rejected: 0, pushed: 7 })
    expect(sink.events.map((e) => e.id).sort()).toEqual(onlyTheirs.map((e) => e.id).sort())
    expect(serveReport).toMatchObject({ events: 7, changes: 0, held: 0, rejected: 0 })
    expect(serveReport.refused).toBeUndefined()
    expect(theirSink.events.map((e) => e.id).sort()).toEqual(onlyMine.map((e) => e.id).sort())
  })

  it('push: false leaves the responder as it was (a one-way session)', async () => {
    const [client, server] = await streamPair()
    const theirSink = recordingSink()
    const served = serveReconcile(server, sourceOf(posts(3, 'theirs')), { sink: theirSink })
    const report = await runReconcile(client, sourceOf(posts(4, 'mine')), recordingSink(), { push: false })
    await served
    expect(report).toMatchObject({ need: 3, have: 4, pushed: 0 })
    expect(theirSink.events).toEqual([])
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

describe('a hostile initiator pushing', () => {
  /** Reconciles (one empty-set round) with an honest responder holding `held`, then sends `frames`. */
  async function push(held: readonly Event[], frames: ReconcileFrame[], options: Omit<ServeOptions, 'sink'> = {}) {
    const [client, server] = await streamPair()
    const sink = recordingSink()
    const served = serveReconcile(server, sourceOf(held), { sink, ...options })
    const lp = lpStream(client)
    await lp.write(encodeReconcileFrame({ t: 'neg', msg: encodeMessage(initiate(createSetSnapshot([]))) }))
    expect(decodeReconcileFrame((await lp.read()).subarray()).t).toBe('neg')
    let answer: ReconcileFrame | undefined
    try {
      for (const f of frames) await lp.write(encodeReconcileFrame(f))
      await client.close()
      answer = decodeReconcileFrame((await lp.read({ signal: AbortSignal.timeout(2000) })).subarray())
    } catch {
      // the responder closed: what it sent before, if anything, is in its report
    }
    return { report: await served, sink, answer }
  }

  it('forged and already held items are dropped, the good ones stored', async () => {
    const [good, forged, held] = [posts(2, 'good'), posts(1, 'forged'), posts(1, 'held')]
    const tampered = new Uint8Array(forged[0]!.bytes)
    tampered[tampered.length - 2]! ^= 1
    const { report, sink } = await push(held, [
      { t: 'push', events: [good[0]!.bytes, tampered, held[0]!.bytes], changes: [Uint8Array.of(0xa0)] },
      { t: 'push', events: [good[1]!.bytes], changes: [] },
    ])
    expect(report).toMatchObject({ events: 2, held: 1, rejected: 2 })
    expect(report.refused).toBeUndefined()
    expect(sink.events.map((e) => e.id).sort()).toEqual(good.map((e) => e.id).sort())
  })

  it('past the items a session may push: E_OVERSIZE, the frame refused, what came before kept', async () => {
    const good = posts(3, 'good')
    const { report, sink } = await push(
      [],
      [
        { t: 'push', events: [good[0]!.bytes, good[1]!.bytes], changes: [] },
        { t: 'push', events: [good[2]!.bytes], changes: [] },
      ],
      { maxPushItems: 2 },
    )
    expect(report.refused).toBe('E_OVERSIZE')
    expect(sink.events.map((e) => e.id).sort()).toEqual([good[0]!.id, good[1]!.id].sort())
    expect(MAX_PUSH_ITEMS).toBe(524_288)
  })

  it('a peer that keeps asking, each time within the read timeout, is cut at the session deadline (E_RATE_LIMITED)', async () => {
    const [client, server] = await streamPair()
    const held = posts(3, 'held')
    const started = Date.now()
    const served = serveReconcile(server, sourceOf(held), { sink: recordingSink(), maxSessionMs: 600 })
    const lp = lpStream(client)
    const answers: string[] = []
    try {
      // one get every 100 ms, forever: each answered, none over a read's 30 s
      for (let i = 0; i < 100; i++) {
        await lp.write(encodeReconcileFrame({ t: 'get', ids: [fromHex(held[0]!.id)] }))
        for (;;) {
          const frame = decodeReconcileFrame((await lp.read({ signal: AbortSignal.timeout(2000) })).subarray())
          answers.push(frame.t === 'error' ? frame.code : frame.t)
          if (frame.t !== 'items' || frame.done) break
        }
        if (answers.at(-1) === 'E_RATE_LIMITED') break
        await new Promise((r) => setTimeout(r, 100))
      }
    } catch {
      // the responder closed after its error
    }
    const report = await served
    expect(report.refused).toBe('E_RATE_LIMITED')
    expect(answers.at(-1)).toBe('E_RATE_LIMITED')
    expect(answers.filter((a) => a === 'items').length).toBeGreaterThan(2)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('an empty push, or a push before any reconciliation, is refused (E_MALFORMED)', async () => {
    const { report } = await push([], [{ t: 'push', events: [], changes: [] }])
    expect(report.refused).toBe('E_MALFORMED')
    const [client, server] = await streamPair()
    const sink = recordingSink()
    const served = serveReconcile(server, sourceOf([]), { sink })
    await lpStream(client).write(encodeReconcileFrame({ t: 'push', events: [posts(1, 'early')[0]!.bytes], changes: [] }))
    expect((await served).refused).toBe('E_MALFORMED')
    expect(sink.events).toEqual([])
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
