// The relay archive: the real store over the real SQLite storage, with the relay's arrival
// log, quotas and retention on top.
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { generateSecretKey } from '../../../src/core/keys.ts'
import type { EventId, SecretKey } from '../../../src/core/types.ts'
import type { Archive } from '../../../src/relay/archive.ts'
import type { RelayQuotas } from '../../../src/relay/config.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { useTestArchives } from '../../support/relay-archive.ts'

const archives = useTestArchives()

async function openArchive(quotas: Partial<RelayQuotas> = {}, given?: string, now?: () => number): Promise<{ archive: Archive; path: string }> {
  const path = given ?? archives.newPath()
  return { archive: await archives.open(path, quotas, now), path }
}

const post = (secret: SecretKey, text: string, ts?: number) => createEvent(secret, { kind: 'post', body: { text }, ...(ts === undefined ? {} : { ts }) })

describe('relay archive', () => {
  it('stores valid events once, refuses bad bytes with a typed reason, and serves them by id', async () => {
    const { archive } = await openArchive()
    const alice = generateSecretKey()
    const e1 = post(alice, '你好，野草')
    const e2 = post(alice, 'second')
    // change one letter of the text: still canonical, the signature no longer matches
    const tampered = e2.bytes.slice()
    const at = Buffer.from(tampered).indexOf('second')
    tampered[at] = 'S'.charCodeAt(0)
    const results = await archive.ingestEvents([e1.bytes, e2.bytes, e1.bytes, new Uint8Array([0xa1, 0x00]), tampered])
    expect(results[0]).toMatchObject({ ok: true, duplicate: false })
    expect(results[1]).toMatchObject({ ok: true })
    expect(results[2]).toMatchObject({ ok: true, duplicate: true })
    expect(results[3]).toMatchObject({ ok: false })
    expect(results[4]).toMatchObject({ ok: false, code: 'E_BAD_SIGNATURE' })
    expect(await archive.getEvents([e1.id, e2.id, 'f'.repeat(64) as EventId])).toEqual([e1.bytes, e2.bytes])
    expect(archive.stats()).toMatchObject({ events: 2, authors: 1, bytes: e1.bytes.length + e2.bytes.length, capRefusals: 0 })
  })

  it('takes events gossip validation already opened, with the same quota checks', async () => {
    const { archive } = await openArchive({ maxEventsPerAuthor: 2 })
    const alice = generateSecretKey()
    const [a, b, c] = [1, 2, 3].map((i) => post(alice, `opened ${i}`))
    const results = await archive.ingestOpenedEvents([a!, b!, c!])
    expect(results).toMatchObject([
      { ok: true, duplicate: false },
      { ok: true, duplicate: false },
      { ok: false, code: 'E_QUOTA' },
    ])
    // one we hold is a duplicate even at the quota (gossip redelivers)
    expect(await archive.ingestOpenedEvents([a!])).toMatchObject([{ ok: true, duplicate: true }])
    expect(await archive.getEvents([a!.id, b!.id, c!.id])).toEqual([a!.bytes, b!.bytes])
    expect((await archive.getRecentEvents(undefined, 10)).events).toEqual([a!.bytes, b!.bytes])
    expect(archive.stats()).toMatchObject({ events: 2, bytes: a!.bytes.length + b!.bytes.length })
  })

  it('pages store-and-forward in arrival order with a resumable cursor', async () => {
    const { archive } = await openArchive()
    const secrets = [generateSecretKey(), generateSecretKey()]
    const events = Array.from({ length: 25 }, (_, i) => post(secrets[i % 2]!, `post ${i}`))
    for (const e of events) await archive.ingestEvents([e.bytes])
    const seen: Uint8Array[] = []
    let cursor: string | undefined
    for (;;) {
      const page = await archive.getRecentEvents(cursor, 10)
      if (page.cursor === cursor) break // nothing new: the cursor stays where it was
      expect(page.events.length).toBeLessThanOrEqual(10)
      seen.push(...page.events)
      cursor = page.cursor
    }
    expect(seen).toEqual(events.map((e) => e.bytes))
    expect(cursor).toBe('25')
    // resuming from the last cursor later yields only what arrived since
    const late = post(secrets[0]!, 'late')
    await archive.ingestEvents([late.bytes])
    expect((await archive.getRecentEvents(cursor, 10)).events).toEqual([late.bytes])
    await expect(archive.getRecentEvents('not-a-cursor', 10)).rejects.toThrow(/E_MALFORMED/)
    // an empty log gives a cursor too, so that a client can keep it ("0")
    const { archive: empty } = await openArchive()
    expect(await empty.getRecentEvents(undefined, 10)).toEqual({ events: [], cursor: '0' })
  })

  it('refuses events past the per-author event quota with E_QUOTA, other authors unaffected', async () => {
    const { archive } = await openArchive({ maxEventsPerAuthor: 3 })
    const alice = generateSecretKey()
    const bob = generateSecretKey()
    const batch = [post(alice, 'a1'), post(alice, 'a2'), post(alice, 'a3'), post(alice, 'a4'), post(bob, 'b1')]
    const results = await archive.ingestEvents(batch.map((e) => e.bytes))
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, true])
    expect(results[3]).toMatchObject({ code: 'E_QUOTA' })
    expect(await archive.ingestEvents([post(alice, 'a5').bytes])).toMatchObject([{ ok: false, code: 'E_QUOTA' }])
    expect(archive.stats().events).toBe(4)
  })

  it('refuses events past the per-author byte quota with E_QUOTA', async () => {
    const { archive } = await openArchive({ maxBytesPerAuthor: 1024 })
    const alice = generateSecretKey()
    const big = Array.from({ length: 5 }, (_, i) => post(alice, `${i} ${'长'.repeat(100)}`))
    const results = await archive.ingestEvents(big.map((e) => e.bytes))
    const stored = results.filter((r) => r.ok).length
    expect(stored).toBeGreaterThan(0)
    expect(stored).toBeLessThan(5)
    expect(results.find((r) => !r.ok)).toMatchObject({ code: 'E_QUOTA' })
    expect(archive.stats().bytes).toBeLessThanOrEqual(1024)
  })

  it('refuses events older than the retention age with E_QUOTA and prunes old ones from the log', async () => {
    const day = 24 * 3600 * 1000
    let clock = Date.now()
    const { archive } = await openArchive({ retentionMs: 30 * day }, undefined, () => clock)
    const alice = generateSecretKey()
    const old = post(alice, 'old', clock - 31 * day)
    const aging = post(alice, 'aging', clock - 20 * day)
    const fresh = post(alice, 'fresh')
    expect((await archive.ingestEvents([old.bytes, aging.bytes, fresh.bytes])).map((r) => r.ok)).toEqual([false, true, true])
    expect(archive.prune()).toBe(0)
    clock += 15 * day // 'aging' is now 35 days old
    expect(archive.prune()).toBe(1)
    expect((await archive.getRecentEvents(undefined, 10)).events).toEqual([fresh.bytes])
  })

  it('keeps counting pruned events against the quota while the store still holds them', async () => {
    const day = 24 * 3600 * 1000
    let clock = Date.now()
    const { archive } = await openArchive({ retentionMs: 30 * day, maxEventsPerAuthor: 2 }, undefined, () => clock)
    const alice = generateSecretKey()
    const backdated = [post(alice, 'one', clock - 29 * day), post(alice, 'two', clock - 29 * day)]
    expect((await archive.ingestEvents(backdated.map((e) => e.bytes))).map((r) => r.ok)).toEqual([true, true])
    clock += 2 * day
    expect(archive.prune()).toBe(2)
    // the bytes are still served by id, so the pass must not have freed the author's quota
    expect(await archive.getEvents(backdated.map((e) => e.id))).toHaveLength(2)
    expect(await archive.ingestEvents([post(alice, 'three').bytes])).toMatchObject([{ ok: false, code: 'E_QUOTA' }])
    expect(archive.stats().events).toBe(2)
  })

  it('keeps everything across a reopen of the database file', async () => {
    const { archive, path } = await openArchive()
    const e = post(generateSecretKey(), 'durable')
    await archive.ingestEvents([e.bytes])
    await archives.close(archive)
    const again = await openArchive({}, path)
    expect(await again.archive.getEvents([e.id])).toEqual([e.bytes])
    expect((await again.archive.getRecentEvents(undefined, 10)).events).toEqual([e.bytes])
  })

  it('purges a retracted event: no longer served by id, in the recent log, or counted', async () => {
    const { archive } = await openArchive()
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await author.start()
    const a = await author.post({ text: 'to be deleted' })
    const b = await author.post({ text: 'to stay' })
    await archive.ingestChanges([...a.envelopes, ...b.envelopes])
    await archive.ingestEvents([a.event!.bytes, b.event!.bytes])
    expect(await archive.indexedEventIds(author.me!)).toEqual(expect.arrayContaining([a.event!.id, b.event!.id]))
    const r = await author.retract(a.event!.id)
    const results = await archive.ingestChanges(r.envelopes)
    expect(results.every((x) => x.ok)).toBe(true)
    expect(await archive.getEvents([a.event!.id])).toEqual([])
    expect((await archive.getRecentEvents(undefined, 10)).events).toEqual([b.event!.bytes])
    expect(archive.stats().events).toBe(1)
    // and it cannot come back
    expect(await archive.ingestEvents([a.event!.bytes])).toMatchObject([{ ok: false, code: 'E_RETRACTED' }])
    await author.close()
  })

  it('takes the retraction of an event from an author whose events filled the byte quota', async () => {
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await author.start()
    const a = await author.post({ text: '配额已满 '.repeat(40) })
    const envelopes = a.envelopes
    const limit = a.event!.bytes.length + envelopes.reduce((n, e) => n + e.length, 0)
    const { archive } = await openArchive({ maxBytesPerAuthor: limit })
    expect((await archive.ingestChanges(envelopes)).every((r) => r.ok)).toBe(true)
    expect(await archive.ingestEvents([a.event!.bytes])).toMatchObject([{ ok: true }])
    expect(await archive.ingestEvents([(await author.post({ text: 'one more' })).event!.bytes])).toMatchObject([{ ok: false, code: 'E_QUOTA' }])
    const r = await author.retract(a.event!.id)
    // (the 'one more' post's change is missing here: the retraction depends on it)
    const results = await archive.ingestChanges([...(await author.getChangesSince(author.me!, await archive.getHeads(author.me!)))])
    expect(results.every((x) => x.ok)).toBe(true)
    expect(r.envelopes.length).toBe(1)
    expect(await archive.getEvents([a.event!.id])).toEqual([])
    await author.close()
  })
})

describe('relay archive and out-of-order changes', () => {
  it('holds a change that arrives before its dependencies and stores it once they come', async () => {
    const { archive } = await openArchive()
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await author.start()
    const published = []
    for (let i = 0; i < 4; i++) published.push(await author.post({ text: `顺序 ${i}` }))
    const envelopes = published.flatMap((p) => p.envelopes)
    // gossip delivers them newest first, one message at a time
    for (const env of [...envelopes].reverse()) await archive.ingestChanges([env])
    expect(await archive.getHeads(author.me!)).toEqual(await author.getHeads(author.me!))
    expect(await archive.indexedEventIds(author.me!)).toEqual(expect.arrayContaining(published.map((p) => p.event!.id)))
    await author.close()
  })

  it('counts held changes against the byte quota when they are finally stored', async () => {
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await author.start()
    const envelopes = []
    for (let i = 0; i < 4; i++) envelopes.push(...(await author.post({ text: `配额 ${i}` })).envelopes)
    const limit = envelopes[0]!.length + envelopes[1]!.length
    const { archive } = await openArchive({ maxBytesPerAuthor: limit, changeHeadroomBytes: 0 })
    // each one alone fits while held; stored together they would not
    for (const env of [...envelopes].reverse()) await archive.ingestChanges([env])
    expect(archive.stats().bytes).toBeLessThanOrEqual(limit)
    expect(archive.stats().bytes).toBeGreaterThan(0)
    await author.close()
  })
})
