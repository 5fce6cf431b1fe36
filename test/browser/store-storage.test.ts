// The storage contract against real IndexedDB in headless Chromium, and the in-memory twin there.
import { describeStorageContract } from '../support/store-contract.ts'
import { createMemoryData, createMemoryStorage } from '../../src/store/memory-storage.ts'
import { openIdbStorage } from '../../src/store/idb-storage.ts'

let n = 0
describeStorageContract('IndexedDB (Chromium)', async () => {
  const name = `contract-${n++}-${Math.random()}`
  return { storage: await openIdbStorage({ name }), reopen: () => openIdbStorage({ name }) }
})

describeStorageContract('memory (Chromium)', async () => {
  const data = createMemoryData()
  return { storage: createMemoryStorage({ data }), reopen: async () => createMemoryStorage({ data }) }
})
