// A spammer rotating keys against a relay's archive (real store over SQLite, in-process): 100
// authors the relay has known for four days post one event for every ten the spammer sends, each
// spam event under a fresh key, until the spammer has offered twice the archive-wide cap. Prints
// the share of the established authors' events the archive accepted, with standing
// (archive-standing.ts) and without it (newAuthorCapShare 1: everyone may fill the whole cap).
// Asserts nothing.
// Run: ./node_modules/.bin/node bench/relay-spam.bench.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEvent } from '../src/core/event-create.ts'
import { generateSecretKey } from '../src/core/keys.ts'
import { createArchive } from '../src/relay/archive.ts'
import { DEFAULT_QUOTAS } from '../src/relay/config.ts'
import { createSqliteStorage } from '../src/relay/sqlite-storage.ts'
import { createStore } from '../src/store/create-store.ts'
import { recordResults } from './lib/results.ts'

const CAP = 8 * 1024 * 1024
const DAY = 24 * 3600_000
const ESTABLISHED = 100
const BATCH = 100

async function run(newAuthorCapShare: number): Promise<{ acceptRatio: number; spamAccepted: number; spamOffered: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wg-bench-spam-'))
  let clock = Date.now()
  const storage = createSqliteStorage({ path: join(dir, 'archive.db') })
  const archive = createArchive({
    storage,
    store: createStore({ storage }),
    quotas: { ...DEFAULT_QUOTAS, maxArchiveBytes: CAP, newAuthorCapShare },
    now: () => clock,
  })
  await archive.start()
  const authors = Array.from({ length: ESTABLISHED }, () => generateSecretKey())
  await archive.ingestEvents(authors.map((k) => createEvent(k, { kind: 'post', body: { text: 'hello, I have been here a while' } }).bytes))
  clock += 4 * DAY
  let offered = 0
  let accepted = 0
  let spamOffered = 0
  let spamAccepted = 0
  let n = 0
  const t0 = performance.now()
  while (spamOffered * 300 < 2 * CAP) {
    const batch: Uint8Array[] = []
    const honest = new Set<number>()
    for (let i = 0; i < BATCH; i++, n++) {
      if (n % 11 === 0) {
        honest.add(i)
        batch.push(
          createEvent(authors[n % ESTABLISHED]!, { kind: 'post', body: { text: `an ordinary post ${n} about the day, the cat and the weather` } }).bytes,
        )
      } else
        batch.push(
          createEvent(generateSecretKey(), { kind: 'post', body: { text: `spam ${n} buy now buy now buy now buy now buy now buy now buy now` } }).bytes,
        )
    }
    const results = await archive.ingestEvents(batch)
    results.forEach((r, i) => {
      if (honest.has(i)) {
        offered++
        if (r.ok) accepted++
      } else {
        spamOffered++
        if (r.ok) spamAccepted++
      }
    })
  }
  const ms = performance.now() - t0
  await archive.close()
  rmSync(dir, { recursive: true, force: true })
  return { acceptRatio: accepted / offered, spamAccepted, spamOffered, ms }
}

const withStanding = await run(0.75)
console.log(
  `with standing: established authors' events accepted ${(withStanding.acceptRatio * 100).toFixed(1)} %, spam ${withStanding.spamAccepted} of ${withStanding.spamOffered} (${Math.round(withStanding.ms)} ms)`,
)
const without = await run(1)
console.log(
  `without a share kept back: established ${(without.acceptRatio * 100).toFixed(1)} %, spam ${without.spamAccepted} of ${without.spamOffered} (${Math.round(without.ms)} ms)`,
)
recordResults({
  'relay.spam_rotation.established_accept_ratio': withStanding.acceptRatio,
  'relay.spam_rotation.established_accept_ratio_no_standing': without.acceptRatio,
  'relay.spam_rotation.spam_accepted': withStanding.spamAccepted,
  'relay.spam_rotation.spam_offered': withStanding.spamOffered,
})
