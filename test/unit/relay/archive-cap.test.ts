// The archive-wide byte cap (RelayQuotas.maxArchiveBytes): keys are free, so per-author quotas
// alone do not bound a relay's disk. Real store over real SQLite files.
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { generateSecretKey } from '../../../src/core/keys.ts'
import type { Archive } from '../../../src/relay/archive.ts'
import type { RelayQuotas } from '../../../src/relay/config.ts'
import { createRelayMetrics } from '../../../src/relay/relay-metrics.ts'
import { parseMetricsText } from '../../../src/relay/metrics.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { useTestArchives } from '../../support/relay-archive.ts'

const archives = useTestArchives()
const newPath = () => archives.newPath()
/** The cap itself: all its authors are new here, and none of it is kept back for authors with standing (archive-standing.test.ts). */
const openArchive = (path: string, quotas: Partial<RelayQuotas>) => archives.open(path, { newAuthorCapShare: 1, ...quotas })
const closeArchive = (archive: Archive) => archives.close(archive)

/** one event each from `n` fresh authors (fresh keys cost nothing: the attack) */
const freshPosts = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => createEvent(generateSecretKey(), { kind: 'post', body: { text: `${tag} ${i}` } }))
const sum = (list: ReadonlyArray<{ bytes: Uint8Array }>) => list.reduce((n, e) => n + e.bytes.length, 0)

describe('relay archive-wide cap', () => {
  it('fills to the cap with many authors, then refuses with E_QUOTA, loses nothing, and keeps the total across a reopen', async () => {
    const path = newPath()
    const posts = freshPosts(40, '新作者')
    const cap = sum(posts.slice(0, 20))
    const archive = await openArchive(path, { maxArchiveBytes: cap })
    const results = []
    for (let i = 0; i < posts.length; i += 8) results.push(...(await archive.ingestEvents(posts.slice(i, i + 8).map((e) => e.bytes))))
    expect(results.slice(0, 20).every((r) => r.ok && !r.duplicate)).toBe(true)
    for (const r of results.slice(20)) expect(r).toMatchObject({ ok: false, code: 'E_QUOTA', message: expect.stringMatching(/archive is full/) })
    expect(archive.stats()).toMatchObject({ events: 20, authors: 20, bytes: cap, capBytes: cap, capRefusals: 20 })
    // nothing that was accepted is lost, nothing refused was half-stored
    const kept = posts.slice(0, 20)
    expect(await archive.getEvents(kept.map((e) => e.id))).toEqual(kept.map((e) => e.bytes))
    expect(await archive.getEvents(posts.slice(20).map((e) => e.id))).toEqual([])
    expect((await archive.getRecentEvents(undefined, 100)).events).toEqual(kept.map((e) => e.bytes))
    // a duplicate of a stored event is still answered as one, not refused
    expect(await archive.ingestEvents([posts[0]!.bytes])).toMatchObject([{ ok: true, duplicate: true }])

    const metrics = createRelayMetrics({ node: () => undefined, archiveStats: () => archive.stats(), startedAt: Date.now() })
    const text = metrics.registry.render()
    expect(text).toContain('# TYPE wg_archive_cap_refusals_total counter')
    expect(parseMetricsText(text).get('wg_archive_cap_bytes')).toBe(cap)
    expect(parseMetricsText(text).get('wg_archive_cap_refusals_total')).toBe(20)

    await closeArchive(archive)
    const again = await openArchive(path, { maxArchiveBytes: cap })
    expect(again.stats()).toMatchObject({ bytes: cap, capRefusals: 0 })
    expect(await again.ingestEvents([freshPosts(1, 'after restart')[0]!.bytes])).toMatchObject([{ ok: false, code: 'E_QUOTA' }])
    expect(await again.getEvents(kept.map((e) => e.id))).toEqual(kept.map((e) => e.bytes))
    // a larger cap at the next start takes more again
    await closeArchive(again)
    const larger = await openArchive(path, { maxArchiveBytes: cap + 10_000 })
    expect(await larger.ingestEvents([freshPosts(1, 'room again')[0]!.bytes])).toMatchObject([{ ok: true, duplicate: false }])
  })

  it('re-derives the total from what was committed when the process died without closing (kill -9)', async () => {
    const path = newPath()
    const posts = freshPosts(6, 'crash')
    const cap = sum(posts.slice(0, 3))
    const dying = await openArchive(path, { maxArchiveBytes: cap })
    expect((await dying.ingestEvents(posts.map((e) => e.bytes))).map((r) => r.ok)).toEqual([true, true, true, false, false, false])
    // no close(): a second process opens the same file, as after kill -9
    const next = await openArchive(path, { maxArchiveBytes: cap })
    expect(next.stats().bytes).toBe(cap)
    expect(await next.ingestEvents([posts[4]!.bytes])).toMatchObject([{ ok: false, code: 'E_QUOTA' }])
  })

  it('takes a retraction when the archive is full, and the freed bytes make room again', async () => {
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await author.start()
    const big = await author.post({ text: '要删除的长帖 '.repeat(60) })
    const others = freshPosts(10, 'filler')
    const bigBytes = big.event!.bytes.length + big.envelopes.reduce((n, e) => n + e.length, 0)
    const cap = bigBytes + sum(others)
    const archive = await openArchive(newPath(), { maxArchiveBytes: cap })
    expect((await archive.ingestChanges(big.envelopes)).every((r) => r.ok)).toBe(true)
    expect(await archive.ingestEvents([big.event!.bytes])).toMatchObject([{ ok: true }])
    expect((await archive.ingestEvents(others.map((e) => e.bytes))).every((r) => r.ok)).toBe(true)
    expect(archive.stats().bytes).toBe(cap)
    // full: the author's next post is refused...
    expect(await archive.ingestEvents([(await author.post({ text: 'one more' })).event!.bytes])).toMatchObject([{ ok: false, code: 'E_QUOTA' }])
    // ...but the retraction of the big one (with the change it depends on) is taken
    await author.retract(big.event!.id)
    const changes = await author.getChangesSince(author.me!, await archive.getHeads(author.me!))
    expect((await archive.ingestChanges(changes)).every((r) => r.ok)).toBe(true)
    expect(await archive.getEvents([big.event!.id])).toEqual([])
    const freed = big.event!.bytes.length - changes.reduce((n, c) => n + c.length, 0)
    expect(freed).toBeGreaterThan(0)
    expect(archive.stats().bytes).toBe(cap - freed)
    // the other authors lost nothing, and the freed bytes take new events again
    expect(await archive.getEvents(others.map((e) => e.id))).toEqual(others.map((e) => e.bytes))
    expect(await archive.ingestEvents([freshPosts(1, 'room')[0]!.bytes])).toMatchObject([{ ok: true, duplicate: false }])
    await author.close()
  })

  it('bounds changes too: past the cap plus its change headroom, E_QUOTA', async () => {
    const fill = freshPosts(4, 'full')
    const cap = sum(fill)
    // headroom is max(per-author change headroom, cap/16): here cap/16, a few dozen bytes
    const archive = await openArchive(newPath(), { maxArchiveBytes: cap, changeHeadroomBytes: 0 })
    expect((await archive.ingestEvents(fill.map((e) => e.bytes))).every((r) => r.ok)).toBe(true)
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await author.start()
    const p = await author.post({ text: '太大了 '.repeat(50) })
    expect(p.envelopes[0]!.length).toBeGreaterThan(cap / 16)
    expect(await archive.ingestChanges(p.envelopes)).toMatchObject([{ ok: false, code: 'E_QUOTA' }])
    expect(archive.stats().bytes).toBe(cap)
    await author.close()
  })

  it('does not let concurrent ingest calls pass the cap together', async () => {
    const posts = freshPosts(10, '并发')
    const cap = sum(posts.slice(0, 5))
    const archive = await openArchive(newPath(), { maxArchiveBytes: cap + 10 })
    const [a, b] = await Promise.all([archive.ingestEvents(posts.slice(0, 5).map((e) => e.bytes)), archive.ingestEvents(posts.slice(5).map((e) => e.bytes))])
    // Either batch may reserve first (their signatures are checked concurrently); the posts are
    // of one size, so the first fills the cap and the other gets nothing.
    const [first, second] = a.every((r) => r.ok) ? [a, b] : [b, a]
    expect(first.every((r) => r.ok)).toBe(true)
    expect(second.filter((r) => r.ok).length).toBe(0)
    expect(archive.stats().bytes).toBeLessThanOrEqual(cap + 10)
  })
})
