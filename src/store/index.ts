// src/store public surface (issue 3). The app and the network layer import from here.
export { createStore } from './create-store.ts'
export { loadAutomerge } from './automerge.ts'
export { createMemoryStorage, createMemoryData } from './memory-storage.ts'
export type { MemoryData } from './memory-storage.ts'
export { openIdbStorage, deleteIdbStorage } from './idb-storage.ts'
export { STORAGE_TABLES } from './storage.ts'
export type { Storage, StorageEntry, TableName, WriteOp, RangeQuery, WriteOptions } from './storage.ts'
export type * from './types.ts'
