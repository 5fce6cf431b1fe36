// The sync client (src/net/sync/client.ts) against a server over in-memory libp2p streams
// (@libp2p/utils streamPair): the real server serving a real store, and a hostile server written
// frame by frame, as nostr-tools tests its relay logic against a relay of its own making. The
// client hands the sink the objects it opened (core's verified mark), never bytes to open again.
import * as dagCbor from '@ipld/dag-cbor'
import { streamPair } from '@libp2p/utils'
import { afterEach, describe, expect, it } from 'vitest'
import { createEvent, generateSecretKey, isVerifiedEvent, openChangeEnvelope, signChange } from '../../../src/core/index.ts'
import type { VerifiedChangeEnvelope, VerifiedEvent } from '../../../src/core/index.ts'
import type { SyncSink } from '../../../src/net/sync-source.ts'
import { runSyncSession } from '../../../src/net/sync/client.ts'
import { frameStream } from '../../../src/net/sync/framed-stream.ts'
import { createMissingTracker } from '../../../src/net/sync/missing-tracker.ts'
import { serveSyncStream } from '../../../src/net/sync/server.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { Store } from '../../../src/store/types.ts'
import { createMemoryStore, createTestAuthor } from '../../support/net-memory-store.ts'

const open: Store[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})
function newStore(withIdentity = true): Store {
  const store = createStore({ storage: createMemoryStorage(), ...(withIdentity ? { secret: generateSecretKey() } : {}) })
  open.push(store)
  return store
}

/** The sink, recording what kind of objects it was handed. */
function watched(sink: SyncSink): SyncSink & { handed: Array<'verified event' | 'other event' | 'change'> } {
  const handed: Array<'verified event' | 'other event' | 'change'> = []
  return {
    handed,
    ingestOpenedEvents: (events: readonly VerifiedEvent[]) => {
      for (const e of events) handed.push(isVerifiedEvent(e) ? 'verified event' : 'other event')
      return sink.ingestOpenedEvents(events)
    },
    ingestOpenedChanges: (envelopes: readonly VerifiedChangeEnvelope[]) => {
      for (const _ of envelopes) handed.push('change')
      return sink.ingestOpenedChanges(envelopes)
    },
    indexedEventIds: (author) => sink.indexedEventIds(author),
    missingEventIds: (ids, author) => sink.missingEventIds(ids, author),
  }
}

describe('sync client over in-memory streams', () => {
  it('catches up heads, changes and indexed events from a real server and store; a second session moves nothing', async () => {
    const alice = newStore()
    for (const text of ['一', '二', '三']) await alice.post({ text })
    const reader = newStore()
    const sink = watched(reader)
    const missing = createMissingTracker()
    const session = async () => {
      const [client, server] = await streamPair()
      const served = serveSyncStream(server, alice)
      const report = await runSyncSession(client, { source: reader, sink, missing }, { authors: [alice.me!], recent: { after: undefined, maxPages: 2 } })
      await served
      return report
    }
    const report = await session()
    expect(report).toMatchObject({ changes: 3, events: 3, recent: 0, rejected: 0 })
    // a store serves no store-and-forward: the cursor stays what was asked
    expect(report.cursor).toBeUndefined()
    expect(sink.handed).toEqual(['change', 'change', 'change', 'verified event', 'verified event', 'verified event'])
    expect(await reader.getHeads(alice.me!)).toEqual(await alice.getHeads(alice.me!))
    expect((await reader.authorPosts(alice.me!)).items.map((e) => e.id)).toEqual((await alice.authorPosts(alice.me!)).items.map((e) => e.id))
    expect(missing.count(alice.me!)).toBe(0)
    expect(await session()).toMatchObject({ changes: 0, events: 0, rejected: 0 })
  })

  it('pages store-and-forward from a source that keeps a log, and remembers what a server withholds', async () => {
    const source = createMemoryStore()
    const bob = createTestAuthor()
    const { events } = await bob.post(source, ['a', 'b', 'c', 'd'])
    source.withhold.add(events[2]!.id)
    const reader = createMemoryStore()
    const missing = createMissingTracker()
    const [client, server] = await streamPair()
    void serveSyncStream(server, source)
    const report = await runSyncSession(client, { source: reader, sink: reader, missing }, { authors: [bob.id], recent: { after: undefined, maxPages: 3 } })
    expect(report).toMatchObject({ changes: 1, events: 3, rejected: 0 })
    expect(missing.ids(bob.id)).toEqual([events[2]!.id])
    // the log (store-and-forward) has all four, the withheld one too: it arrives that way
    expect(report.recent).toBe(4)
    expect(report.cursor).toBe('4')
    expect(await reader.missingEventIds([events[2]!.id])).toEqual([])
  })

  it('a hostile server: forged and foreign changes, events nobody asked for, are rejected and counted; the good ones are stored', async () => {
    const alice = createTestAuthor()
    const mallory = createTestAuthor()
    const good = [1, 2].map((i) => createEvent(alice.secret, { kind: 'post', body: { text: `good ${i}` } }))
    const change = signChange(alice.secret, dagCbor.encode({ seq: 0, ids: good.map((e) => e.id) }))
    const forged = change.bytes.slice()
    forged[forged.length - 1]! ^= 0xff // last byte of the signature
    const foreign = signChange(mallory.secret, dagCbor.encode({ seq: 0, ids: [] })).bytes // signed by someone else
    const unasked = createEvent(alice.secret, { kind: 'post', body: { text: 'not in the index' } })
    const [client, server] = await streamPair()
    void (async () => {
      const framed = frameStream(server)
      for (;;) {
        const req = await framed.readRequest()
        if (req === undefined) break
        if (req.t === 'get-heads') await framed.write({ t: 'heads', heads: [{ author: alice.id, heads: ['ab'.repeat(32)] }] })
        if (req.t === 'get-changes') await framed.write({ t: 'changes', author: req.author, envelopes: [forged, foreign, change.bytes], done: true })
        // as many as asked (more would end the session), one of them not asked for
        if (req.t === 'get-events') await framed.write({ t: 'events', events: [unasked.bytes, good[0]!.bytes], done: true })
      }
      await framed.close()
    })().catch(() => undefined)
    const reader = createMemoryStore()
    const missing = createMissingTracker()
    const report = await runSyncSession(client, { source: reader, sink: reader, missing }, { authors: [alice.id] })
    expect(report).toMatchObject({ changes: 1, events: 1, rejected: 3 })
    expect(await reader.indexedEventIds(alice.id)).toEqual(good.map((e) => e.id))
    expect(reader.events.has(good[0]!.id)).toBe(true)
    expect(reader.events.has(unasked.id)).toBe(false)
    expect(missing.ids(alice.id)).toEqual([good[1]!.id]) // named by the index, not served: asked of the next peer
    expect(await reader.getHeads(mallory.id)).toEqual([])
    expect((await openChangeEnvelope(change.bytes, alice.id)).author).toBe(alice.id)
  })
})
