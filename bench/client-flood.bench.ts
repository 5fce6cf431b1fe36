// A client under a flood from strangers: 125,000 signed events by 1,000 authors, of whom the
// local identity follows 200 — so 100,000 events are strangers' and 25,000 are followed. Ingested
// with verification into a store with the community cache (the default limits) and into one
// without limits; prints what each stores (keys and values, all tables) and how much of the
// followed content is held. Asserts nothing.
// Run: ./node_modules/.bin/node bench/client-flood.bench.ts
import { decodeEvent } from '../src/core/event-decode.ts'
import { createStore } from '../src/store/create-store.ts'
import { COMMUNITY_CACHE_LIMITS, type CommunityCacheLimits } from '../src/store/community-cache.ts'
import { createMemoryData, createMemoryStorage, type MemoryData } from '../src/store/memory-storage.ts'
import { loadAutomerge } from '../src/store/automerge.ts'
import { recordResults } from './lib/results.ts'
import { loadFixture, NOW } from './store/fixture.ts'

const COUNT = 125_000
const BATCH = 500
const fixture = loadFixture(COUNT)
const followed = new Set<string>(fixture.follows)
const authors = fixture.events.map((bytes) => decodeEvent(bytes, { now: NOW }).author)
const followedCount = authors.filter((a) => followed.has(a)).length
console.log(`${fixture.events.length} events: ${fixture.events.length - followedCount} of strangers, ${followedCount} of the 200 followed`)
await loadAutomerge()

function storedBytes(data: MemoryData): number {
  let n = 0
  for (const [, table] of data.tables) for (const [key, value] of table.values) n += Buffer.byteLength(key) + value.length
  return n
}

async function flood(limits: CommunityCacheLimits): Promise<{ mb: number; followedHeld: number; held: number; ms: number }> {
  const data = createMemoryData()
  const store = createStore({ storage: createMemoryStorage({ data }), secret: fixture.me, now: () => NOW, communityCache: limits })
  await store.start()
  for (const a of fixture.follows) await store.follow(a)
  const t0 = performance.now()
  for (let i = 0; i < fixture.events.length; i += BATCH) await store.ingestEvents(fixture.events.slice(i, i + BATCH))
  const ms = performance.now() - t0
  let followedHeld = 0
  let held = 0
  for (let i = 0; i < fixture.events.length; i++) {
    if ((await store.getEvent(decodeEvent(fixture.events[i]!, { now: NOW }).id)) === undefined) continue
    held++
    if (followed.has(authors[i]!)) followedHeld++
  }
  const mb = storedBytes(data) / 2 ** 20
  await store.close()
  return { mb, followedHeld, held, ms }
}

const capped = await flood(COMMUNITY_CACHE_LIMITS)
console.log(
  `community cache ${COMMUNITY_CACHE_LIMITS.maxEvents} events / ${COMMUNITY_CACHE_LIMITS.maxBytes / 2 ** 20} MiB: ${capped.held} events held, ${capped.mb.toFixed(1)} MB stored, ${Math.round(capped.ms)} ms`,
)
const uncapped = await flood({ maxEvents: Infinity, maxBytes: Infinity })
console.log(`no limit: ${uncapped.held} events held, ${uncapped.mb.toFixed(1)} MB stored, ${Math.round(uncapped.ms)} ms`)

recordResults({
  'client.flood.storage_mb': capped.mb,
  'client.flood.storage_mb_no_cache': uncapped.mb,
  'client.flood.followed_held_ratio': capped.followedHeld / followedCount,
  'client.flood.events_held': capped.held,
  'client.flood.ingest_per_s': (fixture.events.length / capped.ms) * 1000,
  'client.flood.ingest_per_s_no_cache': (fixture.events.length / uncapped.ms) * 1000,
})
