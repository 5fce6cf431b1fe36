// What sync asks of a store for authors it may not hold (protocol/sync.md §Server budgets): an
// author the store holds nothing for, or whose every head the asker already has, is answered
// from the stored heads alone, without reading (or creating) the author's feed document. Before,
// each such get-changes loaded or made an Automerge document (~8 ms of a relay's CPU each).
import { describe, expect, it } from 'vitest'
import { encodeDidKey, generateSecretKey, getPublicKey } from '../../../src/core/index.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { RangeQuery, Storage, TableName } from '../../../src/store/storage.ts'

/** The storage, counting every read of document chunks (what loading a feed document does). */
function countingDocReads(storage: Storage): { storage: Storage; docReads: () => number } {
  let docReads = 0
  const counted: Storage = Object.create(storage) as Storage
  counted.range = (table: TableName, query: RangeQuery) => {
    if (table === 'docs') docReads++
    return storage.range(table, query)
  }
  return { storage: counted, docReads: () => docReads }
}

describe('store: changes for authors it holds nothing new of', () => {
  it('answers a fresh author and an up-to-date asker from the heads, reading no document', async () => {
    const alice = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
    await alice.start()
    const published = await alice.post({ text: '在吗' })
    const { storage, docReads } = countingDocReads(createMemoryStorage())
    const relay = createStore({ storage })
    await relay.start()
    expect((await relay.ingestChanges(published.envelopes)).every((r) => r.ok)).toBe(true)
    const before = docReads()

    for (let i = 0; i < 50; i++) {
      const fresh = encodeDidKey(getPublicKey(generateSecretKey()))
      expect(await relay.getChangesSince(fresh, [])).toEqual([])
    }
    const heads = await relay.getHeads(alice.me!)
    expect(await relay.getChangesSince(alice.me!, heads)).toEqual([])
    expect(docReads()).toBe(before)
    // a fresh author leaves nothing behind either
    expect(await relay.listAuthors()).toEqual([alice.me])

    // an asker behind does get the changes (reading the document is then the work asked for)
    expect(await relay.getChangesSince(alice.me!, [])).toHaveLength(published.envelopes.length)
    await relay.close()
    await alice.close()
  })
})
