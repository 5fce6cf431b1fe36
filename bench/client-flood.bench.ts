// A client under a flood from strangers: 125,000 signed events by 1,000 authors, of whom the
// local identity follows 200 — so 100,000 events are strangers' and 25,000 are followed. Ingested
// with verification into a store with the community cache (the default limits) and into one
// without limits; prints what each stores (keys and values, all tables) and how much of the
// followed content is held. Then the same for feed documents: the 200 followed people's and
// 20,000 fresh strangers' (a name, a bio and a follow each), with the document cache and
// without. Asserts nothing.
// Run: ./node_modules/.bin/node bench/client-flood.bench.ts
import { decodeEvent } from '../src/core/event-decode.ts'
import { createStore } from '../src/store/create-store.ts'
import { COMMUNITY_CACHE_LIMITS, type CommunityCacheLimits } from '../src/store/community-cache.ts'
import { createMemoryData, createMemoryStorage, type MemoryData } from '../src/store/memory-storage.ts'
import { loadAutomerge, type AutomergeApi } from '../src/store/automerge.ts'
import { signChange } from '../src/core/feed-envelope.ts'
import { encodeDidKey } from '../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../src/core/keys.ts'
import type { AuthorId, SecretKey } from '../src/core/types.ts'
import { DOCUMENT_CACHE_LIMITS, type DocumentCacheLimits } from '../src/store/document-cache.ts'
import { createFeedDoc, shardOfAuthor } from '../src/store/feed-doc.ts'
import { recordResults } from './lib/results.ts'
import { loadFixture, NOW } from './store/fixture.ts'

const COUNT = 125_000
const BATCH = 500
const fixture = loadFixture(COUNT)
const followed = new Set<string>(fixture.follows)
const authors = fixture.events.map((bytes) => decodeEvent(bytes, { now: NOW }).author)
const followedCount = authors.filter((a) => followed.has(a)).length
console.log(`${fixture.events.length} events: ${fixture.events.length - followedCount} of strangers, ${followedCount} of the 200 followed`)
const am = await loadAutomerge()

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

/** One person's first change: a name, a bio and a follow, signed (as a phone would publish it). */
function firstChange(automerge: AutomergeApi, secret: SecretKey, name: string, follows: AuthorId): Uint8Array {
  const doc = automerge.change(createFeedDoc(automerge, toHexActor()), { time: 0 }, (d) => {
    d.profile.name = name
    d.profile.bio = '一个新来的人，喜欢猫和咖啡。A newcomer who likes cats and coffee.'
    d.follows[shardOfAuthor(follows)]![follows] = NOW - (NOW % 1000)
  })
  const change = automerge.getLastLocalChange(doc)!
  automerge.free(doc)
  return signChange(secret, change).bytes
}

function toHexActor(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex')
}

const STRANGER_DOCS = 20_000
const followedSecrets = fixture.follows.map(() => generateSecretKey())
const followedDocs = followedSecrets.map((secret, i) => ({
  id: encodeDidKey(getPublicKey(secret)),
  change: firstChange(am, secret, `followed ${i}`, fixture.follows[0]!),
}))
const strangerDocs = Array.from({ length: STRANGER_DOCS }, (_, i) =>
  firstChange(am, generateSecretKey(), `stranger ${i}`, followedDocs[i % followedDocs.length]!.id),
)
console.log(
  `${followedDocs.length} followed people's documents, ${strangerDocs.length} strangers' (${strangerDocs.reduce((n, c) => n + c.length, 0)} bytes of changes)`,
)

async function documentFlood(limits: DocumentCacheLimits): Promise<{ mb: number; held: number; followedHeld: number; ms: number }> {
  const data = createMemoryData()
  const store = createStore({ storage: createMemoryStorage({ data }), secret: fixture.me, now: () => NOW, documentCache: limits })
  await store.start()
  for (const f of followedDocs) await store.follow(f.id)
  await store.ingestChanges(followedDocs.map((f) => f.change))
  const before = storedBytes(data)
  const t0 = performance.now()
  for (let i = 0; i < strangerDocs.length; i += BATCH) await store.ingestChanges(strangerDocs.slice(i, i + BATCH))
  const ms = performance.now() - t0
  const held = (await store.listAuthors()).length
  let followedHeld = 0
  for (const f of followedDocs) if ((await store.getProfile(f.id)).name !== '') followedHeld++
  const mb = (storedBytes(data) - before) / 2 ** 20
  await store.close()
  return { mb, held, followedHeld, ms }
}

const docsCapped = await documentFlood(DOCUMENT_CACHE_LIMITS)
console.log(
  `document cache ${DOCUMENT_CACHE_LIMITS.maxDocs} documents / ${DOCUMENT_CACHE_LIMITS.maxBytes / 2 ** 20} MiB: ${docsCapped.held} documents held (${docsCapped.followedHeld} of ${followedDocs.length} followed), ${docsCapped.mb.toFixed(1)} MB stored by the flood, ${Math.round(docsCapped.ms)} ms`,
)
const docsUncapped = await documentFlood({ maxDocs: Infinity, maxBytes: Infinity })
console.log(`no limit: ${docsUncapped.held} documents held, ${docsUncapped.mb.toFixed(1)} MB stored by the flood, ${Math.round(docsUncapped.ms)} ms`)

recordResults({
  'client.flood.docs_storage_mb': docsCapped.mb,
  'client.flood.docs_storage_mb_no_cache': docsUncapped.mb,
  'client.flood.docs_held': docsCapped.held,
  'client.flood.followed_docs_held_ratio': docsCapped.followedHeld / followedDocs.length,
  'client.flood.docs_ingest_per_s': (strangerDocs.length / docsCapped.ms) * 1000,
  'client.flood.docs_ingest_per_s_no_cache': (strangerDocs.length / docsUncapped.ms) * 1000,
  'client.flood.storage_mb': capped.mb,
  'client.flood.storage_mb_no_cache': uncapped.mb,
  'client.flood.followed_held_ratio': capped.followedHeld / followedCount,
  'client.flood.events_held': capped.held,
  'client.flood.ingest_per_s': (fixture.events.length / capped.ms) * 1000,
  'client.flood.ingest_per_s_no_cache': (fixture.events.length / uncapped.ms) * 1000,
})
