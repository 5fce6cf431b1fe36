// The SyncSource/SyncSink contract (test/support/sync-contract.ts) run against all three
// implementations: the store over memory storage, the relay archive over real SQLite, and the
// memory store the network tests and benchmark use.
import * as dagCbor from '@ipld/dag-cbor'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEvent, encodeDidKey, generateSecretKey, getPublicKey, openChangeEnvelope, signChange } from '../../../src/core/index.ts'
import type { VerifiedEvent } from '../../../src/core/index.ts'
import { createArchive } from '../../../src/relay/archive.ts'
import { DEFAULT_QUOTAS } from '../../../src/relay/config.ts'
import { createSqliteStorage } from '../../../src/relay/sqlite-storage.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { Store } from '../../../src/store/types.ts'
import { createMemoryStore } from '../../support/net-memory-store.ts'
import { describeSyncContract, type ContractAuthor } from '../../support/sync-contract.ts'

/** An author with a store of its own: its posts and the signed Automerge changes that index them. */
function storeAuthors(): { author(): Promise<ContractAuthor>; close(): Promise<void> } {
  const stores: Store[] = []
  return {
    async author() {
      const store = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
      stores.push(store)
      return {
        id: store.me!,
        async post(texts) {
          const events: VerifiedEvent[] = []
          const changes = []
          for (const text of texts) {
            const published = await store.post({ text })
            events.push(published.event as VerifiedEvent)
            for (const bytes of published.envelopes) changes.push(await openChangeEnvelope(bytes))
          }
          return { events, changes }
        },
      }
    },
    async close() {
      for (const s of stores) await s.close()
    },
  }
}

describeSyncContract(
  'store (memory storage)',
  async () => {
    const store = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await store.start()
    const authors = storeAuthors()
    return {
      sink: store,
      author: authors.author,
      close: async () => {
        await authors.close()
        await store.close()
      },
    }
  },
  { recent: false },
)

describeSyncContract(
  'relay archive (SQLite)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-contract-'))
    const storage = createSqliteStorage({ path: join(dir, 'archive.db') })
    const archive = createArchive({ storage, store: createStore({ storage }), quotas: DEFAULT_QUOTAS })
    await archive.start()
    const authors = storeAuthors()
    return {
      sink: archive,
      author: authors.author,
      close: async () => {
        await authors.close()
        await archive.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
  { recent: true },
)

describeSyncContract(
  'test memory store',
  async () => ({
    sink: createMemoryStore(),
    // the memory store's feed document: a chain of signed { seq, ids } payloads
    async author() {
      const secret = generateSecretKey()
      let seq = 0
      return {
        id: encodeDidKey(getPublicKey(secret)),
        async post(texts) {
          const events = texts.map((text) => createEvent(secret, { kind: 'post', body: { text } }))
          return { events, changes: [signChange(secret, dagCbor.encode({ seq: seq++, ids: events.map((e) => e.id) }))] }
        },
      }
    },
    close: async () => undefined,
  }),
  { recent: true },
)
