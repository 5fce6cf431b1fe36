// Property tests: the in-memory storage's ordered scans against a naive model, and the
// store's ingest boundary fed random bytes (only typed refusals, nothing stored).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../../../src/core/errors.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryData, createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { WriteOp } from '../../../src/store/storage.ts'

const key = fc.string({ unit: fc.constantFrom('a', 'b', '|', '野', '草', 'z', '0'), maxLength: 6 })

describe('memory storage against a model', () => {
  it('range scans match a sorted model for any puts, deletes, prefixes, cursors and limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ del: fc.boolean(), key }), { maxLength: 1200 }),
        fc.array(
          fc.record({
            prefix: fc.option(key, { nil: undefined }),
            after: fc.option(key, { nil: undefined }),
            reverse: fc.boolean(),
            limit: fc.option(fc.nat(30), { nil: undefined }),
          }),
          { maxLength: 20 },
        ),
        async (writes, queries) => {
          const storage = createMemoryStorage()
          const model = new Set<string>()
          const ops: WriteOp[] = writes.map((w) =>
            w.del ? { type: 'delete', table: 'idx', key: w.key } : { type: 'put', table: 'idx', key: w.key, value: new Uint8Array([1]) },
          )
          await storage.write(ops)
          for (const w of writes) {
            if (w.del) model.delete(w.key)
            else model.add(w.key)
          }
          for (const q of queries) {
            const prefix = q.prefix ?? ''
            let expected = [...model].sort().filter((k) => k.startsWith(prefix))
            if (q.reverse) expected.reverse()
            if (q.after !== undefined) expected = expected.filter((k) => (q.reverse ? k < q.after! : k > q.after!))
            if (q.limit !== undefined) expected = expected.slice(0, q.limit)
            expect(await storage.rangeKeys('idx', q)).toEqual(expected)
          }
        },
      ),
      { numRuns: 150, seed: 3 },
    )
  })
})

describe('the ingest boundary', () => {
  it('random bytes as events or changes only ever get typed refusals, and nothing is stored', async () => {
    const data = createMemoryData()
    const store = createStore({ storage: createMemoryStorage({ data }) })
    await store.start()
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 20 }), async (list) => {
        for (const r of [...(await store.ingestEvents(list)), ...(await store.ingestChanges(list))]) {
          expect(r.ok).toBe(false)
          if (!r.ok) expect(ErrorCodes).toContain(r.code)
        }
      }),
      { numRuns: 300, seed: 7 },
    )
    for (const [name, table] of data.tables) if (name !== 'meta') expect(table.values.size).toBe(0)
  })
})
