// The storage contract (src/store/storage.ts): one suite run against every implementation —
// memory and fake-indexeddb in Node (test/unit), real IndexedDB in Chromium (test/browser),
// and the relay's SQLite archive. Browser-safe: no node:* imports.
import { describe, expect, it } from 'vitest'
import { isWildgrassError } from '../../src/core/errors.ts'
import type { Storage, WriteOp } from '../../src/store/storage.ts'

export interface StorageHarness {
  storage: Storage
  /** closes nothing; opens a second handle on the same data (call after storage.close()) */
  reopen(): Promise<Storage>
}

const enc = new TextEncoder()
const bytes = (s: string): Uint8Array => enc.encode(s)
const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))
const put = (key: string, value: string, table: WriteOp['table'] = 'idx'): WriteOp => ({ type: 'put', table, key, value: bytes(value) })

export function describeStorageContract(label: string, create: () => Promise<StorageHarness>): void {
  describe(`storage contract: ${label}`, () => {
    it('puts, gets, overwrites and deletes', async () => {
      const { storage } = await create()
      expect(await storage.get('events', 'a')).toBeUndefined()
      await storage.write([put('a', 'one', 'events'), put('b', 'two', 'events')])
      expect(text(await storage.get('events', 'a'))).toBe('one')
      await storage.write([put('a', 'uno', 'events'), { type: 'delete', table: 'events', key: 'b' }])
      expect(text(await storage.get('events', 'a'))).toBe('uno')
      expect(await storage.get('events', 'b')).toBeUndefined()
      expect((await storage.getMany('events', ['b', 'a', 'zz'])).map(text)).toEqual([undefined, 'uno', undefined])
      expect(await storage.get('meta', 'a')).toBeUndefined() // tables are separate
      const value = await storage.get('events', 'a')
      expect(value).toBeInstanceOf(Uint8Array)
      await storage.close()
    })

    it('later ops in one batch win', async () => {
      const { storage } = await create()
      await storage.write([put('k', '1'), { type: 'delete', table: 'idx', key: 'k' }, put('k', '3')])
      expect(text(await storage.get('idx', 'k'))).toBe('3')
      await storage.write([put('j', '1'), { type: 'delete', table: 'idx', key: 'j' }])
      expect(await storage.get('idx', 'j')).toBeUndefined()
      await storage.close()
    })

    it('scans a prefix in order, reversed, limited, and resumes after a cursor', async () => {
      const { storage } = await create()
      const keys = ['a|1', 'a|2', 'a|3', 'a|4', 'a|5', 'ab|1', 'b|1', 'a', '`|9']
      await storage.write(keys.map((k) => put(k, `v${k}`)))
      const fwd = await storage.range('idx', { prefix: 'a|' })
      expect(fwd.map((e) => e.key)).toEqual(['a|1', 'a|2', 'a|3', 'a|4', 'a|5'])
      expect(text(fwd[2]!.value)).toBe('va|3')
      expect(await storage.rangeKeys('idx', { prefix: 'a|', reverse: true })).toEqual(['a|5', 'a|4', 'a|3', 'a|2', 'a|1'])
      expect(await storage.rangeKeys('idx', { prefix: 'a|', limit: 2 })).toEqual(['a|1', 'a|2'])
      expect(await storage.rangeKeys('idx', { prefix: 'a|', limit: 2, after: 'a|2' })).toEqual(['a|3', 'a|4'])
      expect(await storage.rangeKeys('idx', { prefix: 'a|', limit: 2, after: 'a|4', reverse: true })).toEqual(['a|3', 'a|2'])
      expect(await storage.rangeKeys('idx', { prefix: 'a|', after: 'a|5' })).toEqual([])
      expect(await storage.rangeKeys('idx', { prefix: 'a|', after: 'a|1', reverse: true })).toEqual([])
      expect(await storage.rangeKeys('idx', { prefix: 'zz' })).toEqual([])
      expect(await storage.rangeKeys('idx', {})).toEqual([...keys].sort())
      expect(await storage.rangeKeys('idx', { reverse: true, limit: 3 })).toEqual([...keys].sort().reverse().slice(0, 3))
      // '|' sorts after letters: 'ab|1' < 'a|1'
      expect(await storage.rangeKeys('idx', { after: 'a|4', limit: 2 })).toEqual(['a|5', 'b|1'])
      expect(await storage.rangeKeys('idx', { after: 'a|1', reverse: true })).toEqual(['ab|1', 'a', '`|9'])
      const rev = await storage.range('idx', { prefix: 'a', reverse: true, limit: 3 })
      expect(rev.map((e) => [e.key, text(e.value)])).toEqual([
        ['a|5', 'va|5'],
        ['a|4', 'va|4'],
        ['a|3', 'va|3'],
      ])
      expect(await storage.rangeKeys('idx', { prefix: 'a', limit: 3 })).toEqual(['a', 'ab|1', 'a|1'])
      expect(await storage.rangeKeys('idx', { prefix: 'a|', limit: 0 })).toEqual([])
      await storage.close()
    })

    it('orders and scans CJK and emoji keys by UTF-16 code unit', async () => {
      const { storage } = await create()
      const keys = ['s|野草|2', 's|野草|1', 's|野火|1', 's|中文|1', 's|😀|1', 's|abc|1']
      await storage.write(keys.map((k) => put(k, '')))
      expect(await storage.rangeKeys('idx', { prefix: 's|野草|' })).toEqual(['s|野草|1', 's|野草|2'])
      expect(await storage.rangeKeys('idx', { prefix: 's|' })).toEqual([...keys].sort())
      expect(await storage.rangeKeys('idx', { prefix: 's|😀' })).toEqual(['s|😀|1'])
      await storage.close()
    })

    it('pages through many keys both ways without gaps or repeats', async () => {
      const { storage } = await create()
      const keys = Array.from({ length: 1500 }, (_, i) => `p|${String(i).padStart(5, '0')}`)
      const shuffled = [...keys].sort(() => Math.random() - 0.5)
      await storage.write(shuffled.map((k) => put(k, k)))
      await storage.write(keys.filter((_, i) => i % 7 === 0).map((k) => ({ type: 'delete' as const, table: 'idx' as const, key: k })))
      const expected = keys.filter((_, i) => i % 7 !== 0)
      for (const reverse of [false, true]) {
        const seen: string[] = []
        let after: string | undefined
        for (;;) {
          const page = await storage.rangeKeys('idx', { prefix: 'p|', limit: 100, reverse, ...(after === undefined ? {} : { after }) })
          if (page.length === 0) break
          seen.push(...page)
          after = page.at(-1)
        }
        expect(seen).toEqual(reverse ? [...expected].reverse() : expected)
      }
      await storage.close()
    })

    it('a batch with a bad operation midway applies nothing', async () => {
      const { storage } = await create()
      await storage.write([put('keep', 'before', 'events')])
      const bad: WriteOp[] = [
        put('keep', 'after', 'events'),
        ...Array.from({ length: 300 }, (_, i) => put(`x${i}`, 'x')),
        { type: 'put', table: 'idx', key: 'bad', value: 'not bytes' as unknown as Uint8Array },
        ...Array.from({ length: 300 }, (_, i) => put(`y${i}`, 'y')),
      ]
      const error: unknown = await storage.write(bad).catch((e: unknown) => e)
      expect(isWildgrassError(error, 'E_STORAGE')).toBe(true)
      expect(text(await storage.get('events', 'keep'))).toBe('before')
      expect(await storage.rangeKeys('idx', {})).toEqual([])
      const unknownTable: unknown = await storage
        .write([put('z', 'z'), { type: 'put', table: 'nope' as 'idx', key: 'a', value: bytes('a') }])
        .catch((e: unknown) => e)
      expect(isWildgrassError(unknownTable, 'E_STORAGE')).toBe(true)
      expect(await storage.get('idx', 'z')).toBeUndefined()
      await storage.close()
    })

    it('a batch aborted in the middle leaves the store as it was before; unaborted it lands whole', async () => {
      const { storage } = await create()
      await storage.write([put('m|000', 'old'), put('other', 'kept', 'meta')])
      const controller = new AbortController()
      const ops: WriteOp[] = []
      for (let i = 0; i < 1000; i++) {
        const key = `m|${String(i).padStart(3, '0')}`
        if (i === 500) {
          // reading this op's value aborts the batch: half of it has been handed over already
          ops.push({
            type: 'put',
            table: 'events',
            key,
            get value() {
              controller.abort()
              return bytes('new')
            },
          })
        } else {
          ops.push({ type: 'put', table: i % 2 ? 'idx' : 'events', key, value: bytes('new') })
        }
      }
      ops.push({ type: 'delete', table: 'meta', key: 'other' })
      const error: unknown = await storage.write(ops, { signal: controller.signal }).catch((e: unknown) => e)
      expect(isWildgrassError(error, 'E_STORAGE')).toBe(true)
      expect(await storage.rangeKeys('idx', { prefix: 'm|' })).toEqual(['m|000'])
      expect(text(await storage.get('idx', 'm|000'))).toBe('old')
      expect(await storage.rangeKeys('events', {})).toEqual([])
      expect(text(await storage.get('meta', 'other'))).toBe('kept')
      // the same batch, not aborted: everything
      await storage.write(ops.map((op, i) => (i === 500 ? put('m|500', 'new', 'events') : op)))
      expect((await storage.rangeKeys('idx', { prefix: 'm|' })).length).toBe(501) // 500 odd + the old m|000
      expect((await storage.rangeKeys('events', {})).length).toBe(500)
      expect(text(await storage.get('idx', 'm|000'))).toBe('old') // the batch's m|000 went to events
      expect(await storage.get('meta', 'other')).toBeUndefined()
      await storage.close()
    })

    it('reopening brings back everything', async () => {
      const harness = await create()
      const ops = Array.from({ length: 200 }, (_, i) => put(`r|${i}`, `value ${i} 野草`, i % 2 ? 'events' : 'docs'))
      await harness.storage.write(ops)
      await harness.storage.close()
      const again = await harness.reopen()
      expect((await again.rangeKeys('events', {})).length).toBe(100)
      expect((await again.rangeKeys('docs', {})).length).toBe(100)
      expect(text(await again.get('events', 'r|199'))).toBe('value 199 野草')
      await again.close()
    })

    it('rejects use after close with E_STORAGE', async () => {
      const { storage } = await create()
      await storage.close()
      const error: unknown = await storage.get('events', 'a').catch((e: unknown) => e)
      expect(isWildgrassError(error, 'E_STORAGE')).toBe(true)
    })
  })
}
