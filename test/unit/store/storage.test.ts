// The storage contract against the in-memory storage and IndexedDB (fake-indexeddb) in Node.
import 'fake-indexeddb/auto'
import { describeStorageContract } from '../../support/store-contract.ts'
import { createMemoryData, createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { openIdbStorage } from '../../../src/store/idb-storage.ts'

describeStorageContract('memory', async () => {
  const data = createMemoryData()
  return { storage: createMemoryStorage({ data }), reopen: async () => createMemoryStorage({ data }) }
})

let n = 0
describeStorageContract('IndexedDB (fake-indexeddb)', async () => {
  const name = `contract-${n++}-${Math.random()}`
  return { storage: await openIdbStorage({ name }), reopen: () => openIdbStorage({ name }) }
})
