// Store benchmark: ingest 100,000 events with verification; reopen and read the
// first page of the home timeline (Node: the relay's SQLite storage, reopened from its file,
// and the in-memory storage; Chromium: real IndexedDB, see bench/store/chromium.ts); an author with 50,000 posts: feed-document load, one new change,
// saved size. Prints and records figures; asserts nothing.
// Run: ./node_modules/.bin/node bench/store.bench.ts [events] [--no-chromium]
import { percentile, printTable, recordResults } from './lib/results.ts'
import { loadFixture, NOW } from './store/fixture.ts'
import { measureFeedDoc50k } from './store/feed-doc-50k.ts'
import { measureChromium } from './store/chromium.ts'
import { createStore } from '../src/store/create-store.ts'
import { createMemoryData, createMemoryStorage } from '../src/store/memory-storage.ts'
import { loadAutomerge } from '../src/store/automerge.ts'
import { createSqliteStorage } from '../src/relay/sqlite-storage.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const COUNT = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000)
const BATCH = 1000
const figures: Record<string, number> = {}

const fixture = loadFixture(COUNT)
await loadAutomerge()

// --- Node: ingest into the in-memory storage, verification included ---
{
  const data = createMemoryData()
  const store = createStore({ storage: createMemoryStorage({ data }), secret: fixture.me, now: () => NOW })
  await store.start()
  for (const a of fixture.follows) await store.follow(a)
  const t0 = performance.now()
  // two batches in flight: one being verified (WebCrypto works off the main thread) while the
  // other is indexed and written — how the network layer feeds the store during catch-up
  let ok = 0
  let inFlight: Promise<void> | undefined
  for (let i = 0; i < fixture.events.length; i += BATCH) {
    const next = store.ingestEvents(fixture.events.slice(i, i + BATCH)).then((results) => {
      ok += results.filter((r) => r.ok).length
    })
    if (inFlight) await inFlight
    inFlight = next
  }
  await inFlight
  const ms = performance.now() - t0
  if (ok !== fixture.events.length) throw new Error(`only ${ok} of ${fixture.events.length} ingested`)
  figures['store.ingest_per_s'] = (fixture.events.length / ms) * 1000
  console.log(`node ingest: ${fixture.events.length} events in ${Math.round(ms)} ms`)
  await store.close()

  // reopen (a new store over the same data) and read the first page, several times
  const times: number[] = []
  for (let i = 0; i < 7; i++) {
    const t = performance.now()
    const again = createStore({ storage: createMemoryStorage({ data }), secret: fixture.me, now: () => NOW })
    const page = await again.homeTimeline()
    times.push(performance.now() - t)
    if (page.items.length !== 20) throw new Error('short first page')
    await again.close()
  }
  figures['store.home_first_page_ms.node_memory'] = percentile(times, 50)
}

// --- Node: the same into SQLite (the relay's storage), then reopen the file ---
{
  const dir = mkdtempSync(join(tmpdir(), 'wildgrass-store-bench-'))
  const path = join(dir, 'store.db')
  const store = createStore({ storage: createSqliteStorage({ path }), secret: fixture.me, now: () => NOW })
  await store.start()
  for (const a of fixture.follows) await store.follow(a)
  const t0 = performance.now()
  let inFlight: Promise<unknown> | undefined
  for (let i = 0; i < fixture.events.length; i += BATCH) {
    const next = store.ingestEvents(fixture.events.slice(i, i + BATCH))
    if (inFlight) await inFlight
    inFlight = next
  }
  await inFlight
  figures['store.ingest_per_s.node_sqlite'] = (fixture.events.length / (performance.now() - t0)) * 1000
  await store.close()
  const times: number[] = []
  for (let i = 0; i < 7; i++) {
    const t = performance.now()
    const again = createStore({ storage: createSqliteStorage({ path }), secret: fixture.me, now: () => NOW })
    const page = await again.homeTimeline()
    times.push(performance.now() - t)
    if (page.items.length !== 20) throw new Error('short first page')
    await again.close()
  }
  figures['store.home_first_page_ms.node'] = percentile(times, 50)
  rmSync(dir, { recursive: true, force: true })
}

// --- an author with 50,000 posts ---
Object.assign(figures, await measureFeedDoc50k())

// --- Chromium: real IndexedDB ---
if (!args.includes('--no-chromium')) {
  try {
    Object.assign(figures, await measureChromium(fixture))
  } catch (error) {
    console.error('chromium part failed:', error)
  }
}

// only the full-size run is recorded: a smaller one would overwrite the figures with others
if (COUNT === 100_000) recordResults(figures)
else printTable(figures)
