// The relay's gossip sink (relay-gossip.ts) in front of a real archive over real SQLite:
// gossip does not wait for it, so what it holds for the archive is bounded; past the bound an
// item is refused at once with E_RATE_LIMITED, and the room comes back once the archive caught up.
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEvent } from '../../../src/core/event-create.ts'
import type { VerifiedEvent } from '../../../src/core/event-verify.ts'
import { openChangeEnvelope, type VerifiedChangeEnvelope } from '../../../src/core/feed-envelope.ts'
import { generateSecretKey } from '../../../src/core/keys.ts'
import { createArchive, type Archive } from '../../../src/relay/archive.ts'
import { DEFAULT_QUOTAS } from '../../../src/relay/config.ts'
import { createCountingSink } from '../../../src/relay/relay-gossip.ts'
import { createRelayMetrics } from '../../../src/relay/relay-metrics.ts'
import { createSqliteStorage } from '../../../src/relay/sqlite-storage.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function openArchive(): Promise<Archive> {
  const dir = mkdtempSync(join(tmpdir(), 'wg-sink-'))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  const storage = createSqliteStorage({ path: join(dir, 'archive.db') })
  const archive = createArchive({ storage, store: createStore({ storage }), quotas: DEFAULT_QUOTAS })
  await archive.start()
  cleanup.push(() => archive.close())
  return archive
}

describe('relay gossip sink', () => {
  it('bounds what waits for the archive: past it E_RATE_LIMITED at once, room again once written', async () => {
    const archive = await openArchive()
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    // the archive is slow: its first write waits for the gate
    const slow = { ...archive, ingestOpenedEvents: async (list: readonly VerifiedEvent[]) => (await gate, archive.ingestOpenedEvents(list)) }
    const metrics = createRelayMetrics({ node: () => undefined, archiveStats: () => archive.stats(), startedAt: Date.now() })
    const alice = generateSecretKey()
    const [e1, e2, e3] = [1, 2, 3].map((i) => createEvent(alice, { kind: 'post', body: { text: `排队 ${i}` } }))
    const sink = createCountingSink(slow, metrics, e1!.bytes.length + e2!.bytes.length)

    const first = sink.ingestOpenedEvents([e1!])
    const second = sink.ingestOpenedEvents([e2!])
    expect(await sink.ingestOpenedEvents([e3!])).toMatchObject([{ ok: false, code: 'E_RATE_LIMITED', reason: 'over-limit' }])
    open()
    expect(await first).toMatchObject([{ ok: true }])
    expect(await second).toMatchObject([{ ok: true }])
    expect(await sink.ingestOpenedEvents([e3!])).toMatchObject([{ ok: true, duplicate: false }])
    expect(metrics.registry.render()).toMatch(/wg_archive_ingested_total\{kind="event",result="E_RATE_LIMITED"\} 1/)
  })

  it('hands opened events and changes to the archive as objects, changes first, counted by kind', async () => {
    const archive = await openArchive()
    const calls: string[] = []
    const watched = {
      ...archive,
      ingestOpenedEvents: (list: readonly VerifiedEvent[]) => (calls.push('events'), archive.ingestOpenedEvents(list)),
      ingestOpenedChanges: (list: readonly VerifiedChangeEnvelope[]) => (calls.push('changes'), archive.ingestOpenedChanges(list)),
    }
    const metrics = createRelayMetrics({ node: () => undefined, archiveStats: () => archive.stats(), startedAt: Date.now() })
    const sink = createCountingSink(watched, metrics)
    const author = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    const published = await author.post({ text: '已验证' })
    const event = published.event as VerifiedEvent
    const envelopes = await Promise.all(published.envelopes.map((bytes) => openChangeEnvelope(bytes)))
    const [events, changes] = await Promise.all([sink.ingestOpenedEvents([event]), sink.ingestOpenedChanges(envelopes)])
    expect(events).toMatchObject([{ ok: true, duplicate: false, id: event.id }])
    expect(changes).toMatchObject([{ ok: true, duplicate: false }])
    expect(calls).toEqual(['changes', 'events'])
    expect(await archive.getEvents([event.id])).toEqual([event.bytes])
    expect(await archive.indexedEventIds(author.me!)).toEqual([event.id])
    expect(metrics.registry.render()).toMatch(/wg_archive_ingested_total\{kind="event",result="stored"\} 1/)
    expect(metrics.registry.render()).toMatch(/wg_archive_ingested_total\{kind="change",result="stored"\} 1/)
    await author.close()
  })
})
