// The SyncSource/SyncSink contract (src/net/sync-source.ts): one suite run against every
// implementation — the store (src/store), the relay archive (src/relay/archive.ts) and the test
// memory store (test/support/net-memory-store.ts) — in the manner of automerge-repo's
// runAdapterTests. A harness gives the implementation and an author who writes feed-document
// changes in that implementation's own form (Automerge changes, or the memory store's chain).
import { describe, expect, it } from 'vitest'
import type { AuthorId, EventId, SignedEvent, VerifiedChangeEnvelope, VerifiedEvent } from '../../src/core/index.ts'
import type { SyncSink, SyncSource } from '../../src/net/sync-source.ts'
import type { IngestResult } from '../../src/store/types.ts'

export interface ContractAuthor {
  readonly id: AuthorId
  /** one post per text and the feed-document changes that index them, dependencies first */
  post(texts: readonly string[]): Promise<{ events: VerifiedEvent[]; changes: VerifiedChangeEnvelope[] }>
}

export interface SyncHarness {
  readonly sink: SyncSource & SyncSink
  author(): Promise<ContractAuthor>
  close(): Promise<void>
}

export interface SyncContractOptions {
  /** the implementation serves store-and-forward (SyncSource.getRecentEvents) */
  readonly recent: boolean
}

const outcome = (r: IngestResult | undefined): string => (r === undefined ? 'missing' : r.ok ? (r.duplicate ? 'dup' : 'new') : `${r.code}/${r.reason}`)
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

export function describeSyncContract(label: string, create: () => Promise<SyncHarness>, options: SyncContractOptions): void {
  describe(`sync contract: ${label}`, () => {
    const withHarness = (run: (h: SyncHarness) => Promise<void>) => async () => {
      const h = await create()
      try {
        await run(h)
      } finally {
        await h.close()
      }
    }

    it(
      'stores opened events once, one result per item in order, and serves their exact bytes',
      withHarness(async ({ sink, author }) => {
        const {
          events: [a, b],
        } = await (await author()).post(['一', '二'])
        expect((await sink.ingestOpenedEvents([a!, b!, a!])).map(outcome)).toEqual(['new', 'new', 'dup'])
        expect((await sink.ingestOpenedEvents([b!])).map(outcome)).toEqual(['dup'])
        const served = await sink.getEvents([a!.id, 'f'.repeat(64) as EventId, b!.id])
        expect(served.map(hex).sort()).toEqual([a!.bytes, b!.bytes].map(hex).sort())
      }),
    )

    it(
      'checks an event object core did not verify: a forged copy is refused as invalid, nothing of it stored',
      withHarness(async ({ sink, author }) => {
        const {
          events: [a],
        } = await (await author()).post(['original'])
        const forged = { ...a!, body: { text: 'forged' } } as SignedEvent as VerifiedEvent
        const honestCopy = { ...a! } as VerifiedEvent
        const results = await sink.ingestOpenedEvents([forged, honestCopy])
        expect(results.map(outcome)).toEqual(['E_BAD_SIGNATURE/invalid', 'new'])
        expect(await sink.getEvents([a!.id])).toEqual([a!.bytes])
      }),
    )

    it(
      'takes feed changes: heads move, changes are served since any heads, the signed index names the events',
      withHarness(async ({ sink, author }) => {
        const alice = await author()
        const { events, changes } = await alice.post(['a', 'b', 'c'])
        expect(await sink.getHeads(alice.id)).toEqual([])
        expect((await sink.ingestOpenedChanges(changes)).map(outcome)).toEqual(changes.map(() => 'new'))
        expect((await sink.ingestOpenedChanges(changes)).map(outcome)).toEqual(changes.map(() => 'dup'))
        const heads = await sink.getHeads(alice.id)
        expect(heads.length).toBeGreaterThan(0)
        expect((await sink.getChangesSince(alice.id, [])).map(hex).sort()).toEqual(changes.map((c) => hex(c.bytes)).sort())
        expect(await sink.getChangesSince(alice.id, heads)).toEqual([])
        // a head the source does not know is ignored
        expect((await sink.getChangesSince(alice.id, ['0'.repeat(64)])).length).toBe(changes.length)
        expect(new Set(await sink.indexedEventIds(alice.id))).toEqual(new Set(events.map((e) => e.id)))
      }),
    )

    it(
      'each change goes to the document of the author who signed it, several authors in one batch',
      withHarness(async ({ sink, author }) => {
        const [alice, bob] = [await author(), await author()]
        const a = await alice.post(['alice'])
        const b = await bob.post(['bob'])
        expect((await sink.ingestOpenedChanges([...a.changes, ...b.changes])).every((r) => r.ok)).toBe(true)
        expect(await sink.indexedEventIds(alice.id)).toEqual(a.events.map((e) => e.id))
        expect(await sink.indexedEventIds(bob.id)).toEqual(b.events.map((e) => e.id))
      }),
    )

    it(
      'refuses a change that comes before its dependencies as missing-dependencies, and takes it once they are in',
      withHarness(async ({ sink, author }) => {
        const alice = await author()
        const first = await alice.post(['first'])
        const second = await alice.post(['second'])
        const [early] = await sink.ingestOpenedChanges([second.changes.at(-1)!])
        expect(outcome(early)).toBe('E_BAD_CHANGE/missing-dependencies')
        expect(await sink.indexedEventIds(alice.id)).toEqual([])
        expect((await sink.ingestOpenedChanges(first.changes)).every((r) => r.ok)).toBe(true)
        // offered again it is taken (a relay archive may already have taken it from what it held)
        const [again] = await sink.ingestOpenedChanges([second.changes.at(-1)!])
        expect(again?.ok).toBe(true)
        expect(new Set(await sink.indexedEventIds(alice.id))).toEqual(new Set([...first.events, ...second.events].map((e) => e.id)))
      }),
    )

    it(
      "names the indexed events it lacks; with the author, by that author's index",
      withHarness(async ({ sink, author }) => {
        const alice = await author()
        const { events, changes } = await alice.post(['x', 'y', 'z'])
        await sink.ingestOpenedChanges(changes)
        await sink.ingestOpenedEvents([events[1]!])
        const indexed = await sink.indexedEventIds(alice.id)
        expect(new Set(await sink.missingEventIds(indexed, alice.id))).toEqual(new Set([events[0]!.id, events[2]!.id]))
        expect(new Set(await sink.missingEventIds(indexed))).toEqual(new Set([events[0]!.id, events[2]!.id]))
        await sink.ingestOpenedEvents([events[0]!, events[2]!])
        expect(await sink.missingEventIds(indexed, alice.id)).toEqual([])
      }),
    )

    if (options.recent) {
      it(
        'serves store-and-forward in arrival order from a resumable cursor, and keeps the cursor on an empty page',
        withHarness(async ({ sink, author }) => {
          const { events } = await (await author()).post(Array.from({ length: 7 }, (_, i) => `recent ${i}`))
          for (const e of events) await sink.ingestOpenedEvents([e])
          const page1 = await sink.getRecentEvents!(undefined, 4)
          expect(page1.events.map(hex)).toEqual(events.slice(0, 4).map((e) => hex(e.bytes)))
          const page2 = await sink.getRecentEvents!(page1.cursor, 4)
          expect(page2.events.map(hex)).toEqual(events.slice(4).map((e) => hex(e.bytes)))
          const page3 = await sink.getRecentEvents!(page2.cursor, 4)
          expect(page3).toEqual({ events: [], cursor: page2.cursor })
        }),
      )
    }
  })
}
