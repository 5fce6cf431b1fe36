// The app database over a Map that keeps structured clones, as IndexedDB would (unit tests).
import type { AppDb, AppDbKey } from '../../src/app/wiring/app-db.ts'

export function createMemoryAppDb(): AppDb & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    data,
    get: async <T>(key: AppDbKey) => structuredClone(data.get(key)) as T | undefined,
    put: async (key, value) => {
      data.set(key, structuredClone(value))
    },
    delete: async (key) => {
      data.delete(key)
    },
    close: () => undefined,
  }
}
