// The relay's subscription index on the real store over real SQLite: a phone's catch-up, page
// by page, must give exactly the events its filter names, each once, in arrival order — at
// filter widths coarser than, equal to and finer than the index's own buckets.
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { createEvent } from '../../../src/core/event-create.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { VerifiedEvent } from '../../../src/core/event-verify.ts'
import type { AuthorId, SecretKey, SignedEvent } from '../../../src/core/types.ts'
import { bucketAt, cachedBucketOf, filterFor } from '../../../src/net/subscribe/filter.ts'
import type { Filter } from '../../../src/net/subscribe/filter.ts'
import { createArchive } from '../../../src/relay/archive.ts'
import type { Archive } from '../../../src/relay/archive.ts'
import { DEFAULT_QUOTAS } from '../../../src/relay/config.ts'
import { createSqliteStorage, decodeKey } from '../../../src/relay/sqlite-storage.ts'
import { createSubscriptionIndex, INDEX_BITS } from '../../../src/relay/subscribe-index.ts'
import type { RelaySubscriptionIndex } from '../../../src/relay/subscribe-index.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { createRandom } from '../../fuzz/fuzz-engine.ts'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

interface OpenIndex {
  readonly index: RelaySubscriptionIndex
  readonly archive: Archive
  readonly db: DatabaseSync
  ingest(events: readonly VerifiedEvent[]): Promise<void>
  close(): Promise<void>
}

async function openIndex(path = ':memory:'): Promise<OpenIndex> {
  const storage = createSqliteStorage({ path })
  const store = createStore({ storage })
  const archive = createArchive({ storage, store, quotas: DEFAULT_QUOTAS })
  const index = createSubscriptionIndex({ db: storage.db, store })
  await archive.start()
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    index.close()
    await archive.close()
  }
  closers.push(close)
  return {
    index,
    archive,
    db: storage.db,
    close,
    async ingest(events) {
      const results = await archive.ingestOpenedEvents(events)
      expect(results.every((r) => r.ok && !r.duplicate)).toBe(true)
    },
  }
}

interface Person {
  readonly secret: SecretKey
  readonly id: AuthorId
}
const person = (): Person => {
  const secret = generateSecretKey()
  return { secret, id: encodeDidKey(getPublicKey(secret)) }
}

/** Every page from `since` at `limit`, asked again while `more`, as a phone does. */
async function catchUpAll(index: RelaySubscriptionIndex, filter: Filter, since: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = []
  let pages = 0
  for (let cursor = since; ;) {
    const page = await index.catchUp(filter, cursor, limit)
    pages++
    for (const bytes of page.events) ids.push(events.byBytes.get(Buffer.from(bytes).toString('hex'))!)
    if (!page.more) return { ids, pages }
    expect(page.cursor).toBeDefined()
    cursor = page.cursor!
  }
}

const events = { byBytes: new Map<string, string>() }
/** catch-ups answer bytes: the test names them by id */
function remember<E extends SignedEvent>(e: E): E {
  events.byBytes.set(Buffer.from(e.bytes).toString('hex'), e.id)
  return e
}

describe('relay subscription index: catch-up', () => {
  it('pages exactly the filtered events, once each and in arrival order, at every filter width', async () => {
    const { index, ingest } = await openIndex()
    const rand = createRandom(11)
    const people = Array.from({ length: 48 }, person)
    const me = people[0]!
    const written: VerifiedEvent[] = []
    // uneven activity (a few write most), so some index keys fill a page long before others
    for (let i = 0; i < 420; i++) {
      const author = people[Math.floor(people.length * rand() ** 2)]!
      const mention = rand() < 0.05 && author !== me
      const e = createEvent(author.secret, { kind: 'post', body: { text: `post ${i}`, ...(mention ? { mentions: [me.id] } : {}) } })
      written.push(remember(e))
    }
    const before = index.mark()
    for (let i = 0; i < 200; i += 50) await ingest(written.slice(i, i + 50))
    const middle = index.mark()
    for (let i = 200; i < written.length; i += 64) await ingest(written.slice(i, i + 64))

    for (const bits of [INDEX_BITS - 3, INDEX_BITS, INDEX_BITS + 6]) {
      const follows = people.slice(1, 8).map((p) => p.id)
      const filter = filterFor({ authors: follows, bits, about: [me.id] })
      const named = (e: SignedEvent) =>
        filter.buckets.includes(bucketAt(cachedBucketOf(e.author), bits)) || (e.kind === 'post' && (e.body.mentions ?? []).includes(me.id))
      const expected = written.filter(named).map((e) => e.id)
      expect(expected.length).toBeGreaterThan(20)
      for (const limit of [1, 7, 1000]) {
        const all = await catchUpAll(index, filter, before, limit)
        expect(all.ids, `bits ${bits}, limit ${limit}`).toEqual(expected)
        if (limit === 1) expect(all.pages).toBeGreaterThanOrEqual(expected.length)
      }
      // from a cursor in the middle: only what arrived after it
      const later = written
        .slice(200)
        .filter(named)
        .map((e) => e.id)
      expect((await catchUpAll(index, filter, middle, 5)).ids).toEqual(later)
    }
  })

  it('a finer filter than the index leaves out authors that share its index bucket', async () => {
    const { index, ingest } = await openIndex()
    // two authors in one 12-bit index bucket, told apart only at finer widths
    const byIndexBucket = new Map<number, Person>()
    let pair: [Person, Person] | undefined
    while (pair === undefined) {
      const p = person()
      const k = bucketAt(cachedBucketOf(p.id), INDEX_BITS)
      const other = byIndexBucket.get(k)
      if (other !== undefined && bucketAt(cachedBucketOf(other.id), 32) !== bucketAt(cachedBucketOf(p.id), 32)) pair = [other, p]
      else byIndexBucket.set(k, p)
    }
    const [followed, neighbour] = pair
    const before = index.mark()
    const mine = createEvent(followed.secret, { kind: 'post', body: { text: 'followed' } })
    const theirs = createEvent(neighbour.secret, { kind: 'post', body: { text: 'neighbour' } })
    remember(mine)
    remember(theirs)
    await ingest([theirs, mine])
    expect((await catchUpAll(index, filterFor({ authors: [followed.id], bits: 32 }), before, 10)).ids).toEqual([mine.id])
    expect((await catchUpAll(index, filterFor({ authors: [followed.id], bits: INDEX_BITS }), before, 10)).ids).toEqual([theirs.id, mine.id])
  })

  it('refuses a cursor that is not one of its own and a filter wider than the index', async () => {
    const { index } = await openIndex()
    const filter = filterFor({ authors: [person().id], bits: 12 })
    await expect(index.catchUp(filter, 'abc', 10)).rejects.toMatchObject({ code: 'E_MALFORMED' })
    await expect(index.catchUp(filter, '1'.repeat(16), 10)).rejects.toMatchObject({ code: 'E_MALFORMED' })
    const wide: Filter = { bits: 1, buckets: [0, 1], about: Array.from({ length: 70 }, () => person().id), threads: [], community: false }
    await expect(index.catchUp(wide, '0', 10)).rejects.toMatchObject({ code: 'E_OVERSIZE' })
  })

  it('leaves out a purged event and keeps paging past it', async () => {
    const { index, archive } = await openIndex()
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await author.start()
    const before = index.mark()
    const posts = [await author.post({ text: 'one' }), await author.post({ text: 'to be deleted' }), await author.post({ text: 'three' })]
    for (const p of posts) remember(p.event!)
    await archive.ingestChanges(posts.flatMap((p) => p.envelopes))
    await archive.ingestEvents(posts.map((p) => p.event!.bytes))
    const filter = filterFor({ authors: [author.me!], bits: INDEX_BITS })
    expect((await catchUpAll(index, filter, before, 1)).ids).toEqual(posts.map((p) => p.event!.id))
    const retraction = await author.retract(posts[1]!.event!.id)
    expect((await archive.ingestChanges(retraction.envelopes)).every((r) => r.ok)).toBe(true)
    expect((await catchUpAll(index, filter, before, 1)).ids).toEqual([posts[0]!.event!.id, posts[2]!.event!.id])
    await author.close()
  })

  it('an index written with text ids (before its events were keyed) is converted at start and serves the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-sub-index-'))
    closers.push(async () => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, 'archive.db')
    const first = await openIndex(path)
    const written = Array.from({ length: 30 }, (_, i) => remember(createEvent(generateSecretKey(), { kind: 'post', body: { text: `old ${i}` } })))
    const before = first.index.mark()
    await first.ingest(written)
    // the earlier layout: (seq, id TEXT)
    const rows = first.db.prepare('SELECT seq, k FROM relay_sub_events ORDER BY seq').all() as Array<{ seq: number; k: Uint8Array }>
    first.db.exec('CREATE TABLE relay_sub_log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL); DROP TABLE relay_sub_events')
    const insert = first.db.prepare('INSERT INTO relay_sub_log (seq, id) VALUES (?, ?)')
    for (const r of rows) insert.run(r.seq, decodeKey(r.k))
    await first.close()

    const again = await openIndex(path)
    const filter = filterFor({ authors: written.map((e) => e.author), bits: 32 })
    expect((await catchUpAll(again.index, filter, before, 7)).ids).toEqual(written.map((e) => e.id))
    expect(again.db.prepare("SELECT name FROM sqlite_master WHERE name = 'relay_sub_log'").get()).toBeUndefined()
    expect(again.index.mark()).toBe(first.index.mark())
  })
})
