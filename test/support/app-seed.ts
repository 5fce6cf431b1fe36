// Seeds an app profile through its own import feature: an export file (src/app/wiring/
// export-file.ts) for a fresh identity that follows `authors` people, plus `posts` signed posts
// by them, made in Node with the real core and store. The file is sealed with SEED_PASSPHRASE
// (it holds the identity secret, and a secret is only ever exported sealed).
import { createEvent, encodeDidKey, generateSecretKey, getPublicKey } from '../../src/core/index.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { encodeExport } from '../../src/app/wiring/export-file.ts'
import { createStore } from '../../src/store/create-store.ts'
import { createMemoryStorage } from '../../src/store/memory-storage.ts'
import { DEFAULT_PHOTO_SETTINGS } from '../../src/app/lib/data-saver.ts'

export const SEED_PASSPHRASE = 'seed passphrase 野草'

export async function makeSeedExport(posts: number, authors = 10): Promise<Uint8Array> {
  const secret = generateSecretKey()
  const store = createStore({ storage: createMemoryStorage(), secret })
  await store.start()
  const keys: SecretKey[] = Array.from({ length: authors }, () => generateSecretKey())
  const events: Uint8Array[] = []
  const now = Date.now()
  for (let i = 0; i < posts; i++) {
    const text = `第 ${i} 条帖子：野火烧不尽，春风吹又生。Post number ${i} #野草`
    events.push(createEvent(keys[i % authors]!, { kind: 'post', body: { text, tags: ['野草'] }, ts: now - (posts - i) * 60_000 }, { now }).bytes)
  }
  for (const k of keys) await store.follow(encodeDidKey(getPublicKey(k)))
  const changes = await store.getChangesSince(store.me!, [])
  const me = store.me!
  await store.close()
  const data = {
    author: me,
    secret,
    settings: { relays: [], privacy: 'direct' as const, mutedWords: [], photos: DEFAULT_PHOTO_SETTINGS },
    muted: [],
    blocked: [],
    changes,
    events,
  }
  return encodeExport(data, SEED_PASSPHRASE)
}
