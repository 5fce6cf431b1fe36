// Standing at a relay (src/relay/archive-standing.ts): keys are free, so authors new here get a
// small budget and only part of the archive-wide cap; a spammer rotating keys cannot make the
// relay refuse the authors it knows. Real store over real SQLite files.
import { describe, expect, it } from 'vitest'
import { DatabaseSync } from 'node:sqlite'
import { createEvent } from '../../../src/core/event-create.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { SecretKey } from '../../../src/core/types.ts'
import { NEW_AUTHOR_MAX_EVENTS } from '../../../src/relay/archive-limits.ts'
import type { RelayQuotas } from '../../../src/relay/config.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { useTestArchives } from '../../support/relay-archive.ts'

const DAY = 24 * 3600_000
const archives = useTestArchives()
const newPath = () => archives.newPath()
const openArchive = (path: string, quotas: Partial<RelayQuotas>, now: () => number) => archives.open(path, quotas, now)

const post = (secret: SecretKey, text: string) => createEvent(secret, { kind: 'post', body: { text } })
const didOf = (secret: SecretKey) => encodeDidKey(getPublicKey(secret))

describe('standing at a relay', () => {
  it("a spammer rotating keys fills only the new authors' share of the cap; authors known here are still taken", async () => {
    let clock = Date.now()
    const known = Array.from({ length: 5 }, () => generateSecretKey())
    const sample = post(known[0]!, 'x'.repeat(200)).bytes.length
    const cap = sample * 400
    const archive = await openArchive(newPath(), { maxArchiveBytes: cap }, () => clock)
    // five authors first stored here four days ago
    for (const k of known) expect((await archive.ingestEvents([post(k, `hello from an old friend ${'x'.repeat(180)}`).bytes]))[0]!.ok).toBe(true)
    clock += 4 * DAY
    // the spammer: a fresh key per post, until the relay refuses
    let spam = 0
    for (let round = 0; round < 100; round++) {
      const results = await archive.ingestEvents(Array.from({ length: 10 }, () => post(generateSecretKey(), `spam ${'x'.repeat(200)}`).bytes))
      spam += results.filter((r) => r.ok).length
      if (results.some((r) => !r.ok)) {
        expect(results.find((r) => !r.ok)).toMatchObject({ code: 'E_QUOTA', message: expect.stringMatching(/new here/) })
        break
      }
    }
    expect(archive.stats().bytes).toBeLessThanOrEqual(cap * 0.75 + sample)
    expect(spam).toBeGreaterThan(200)
    // the known authors go on posting into what is kept for them
    const results = []
    for (let i = 0; i < 90; i++) results.push(...(await archive.ingestEvents([post(known[i % 5]!, `still here ${i} ${'x'.repeat(190)}`).bytes])))
    expect(results.filter((r) => r.ok).length / results.length).toBeGreaterThanOrEqual(0.99)
  })

  it('an author new here gets a small budget; a follow from an author with standing, or a seed, gives it the full quota', async () => {
    const clock = Date.now()
    const newcomer = generateSecretKey()
    const friend = generateSecretKey()
    const seeded = generateSecretKey()
    const elder = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await elder.start()
    const archive = await openArchive(newPath(), { seeds: [elder.me!, didOf(seeded)], maxEventsPerAuthor: 5000 }, () => clock)
    const over = NEW_AUTHOR_MAX_EVENTS + 100
    const postMany = async (secret: SecretKey, n: number) => {
      let ok = 0
      for (let i = 0; i < n; i += 100)
        ok += (await archive.ingestEvents(Array.from({ length: 100 }, (_, j) => post(secret, `post ${i + j}`).bytes))).filter((r) => r.ok).length
      return ok
    }
    expect(await postMany(newcomer, over)).toBe(NEW_AUTHOR_MAX_EVENTS)
    expect(await postMany(seeded, over)).toBe(over)
    // the seed follows the friend: its feed document, held here, says so
    await elder.follow(didOf(friend))
    expect((await archive.ingestChanges(await elder.getChangesSince(elder.me!, []))).every((r) => r.ok)).toBe(true)
    expect(await postMany(friend, over)).toBe(over)
  })

  it('authors stored before standing existed keep it (the first-seen table is filled from the log once)', async () => {
    let clock = Date.now()
    const path = newPath()
    const old = generateSecretKey()
    const first = await openArchive(path, {}, () => clock)
    expect((await first.ingestEvents([post(old, 'from before').bytes]))[0]!.ok).toBe(true)
    await archives.close(first)
    const db = new DatabaseSync(path)
    db.exec('DROP TABLE relay_first_seen')
    db.close()
    clock += DAY // not old enough by the clock: it is the backfill that gives it standing
    const again = await openArchive(path, {}, () => clock)
    const many = Array.from({ length: NEW_AUTHOR_MAX_EVENTS + 50 }, (_, i) => post(old, `again ${i}`).bytes)
    let ok = 0
    for (let i = 0; i < many.length; i += 100) ok += (await again.ingestEvents(many.slice(i, i + 100))).filter((r) => r.ok).length
    expect(ok).toBe(many.length)
  })
})
