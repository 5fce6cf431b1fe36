// The SQLite storage against the store's contract suite (when present), plus what only a
// real database on disk can show: order by UTF-16 code unit, reopening, and kill -9.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteStorage, decodeKey, encodeKey } from '../../../src/relay/sqlite-storage.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { describeStorageContract } from '../../support/store-contract.ts'

const dirs: string[] = []
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wg-sqlite-'))
  dirs.push(dir)
  return join(dir, 'archive.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const bytes = (s: string) => new TextEncoder().encode(s)

describeStorageContract('sqlite (node:sqlite, on disk)', async () => {
  const path = tempDb()
  return { storage: createSqliteStorage({ path }), reopen: async () => createSqliteStorage({ path }) }
})

describe('sqlite storage', () => {
  it('orders keys by UTF-16 code unit like IndexedDB, with prefix, reverse, after and limit', async () => {
    const s = createSqliteStorage({ path: tempDb() })
    // U+FF5E (BMP, above the surrogates) sorts AFTER an astral char in UTF-16 but BEFORE it in UTF-8.
    const keys = ['a', 'ab', 'a\u{1F600}', 'a\uFF5E', 'b', 'a/1', 'a/2', 'a/3', '']
    await s.write(keys.map((k) => ({ type: 'put', table: 'idx', key: k, value: bytes(k) })))
    expect(await s.rangeKeys('idx', {})).toEqual([...keys].sort())
    expect(await s.rangeKeys('idx', { prefix: 'a/' })).toEqual(['a/1', 'a/2', 'a/3'])
    expect(await s.rangeKeys('idx', { prefix: 'a/', reverse: true, limit: 2 })).toEqual(['a/3', 'a/2'])
    expect(await s.rangeKeys('idx', { prefix: 'a/', after: 'a/1' })).toEqual(['a/2', 'a/3'])
    expect(await s.rangeKeys('idx', { prefix: 'a/', after: 'a/3', reverse: true })).toEqual(['a/2', 'a/1'])
    expect(await s.rangeKeys('idx', { limit: 0 })).toEqual([])
    const entries = await s.range('idx', { prefix: 'a\u{1F600}' })
    expect(entries).toEqual([{ key: 'a\u{1F600}', value: bytes('a\u{1F600}') }])
    expect(await s.getMany('idx', ['b', 'zz', ''])).toEqual([bytes('b'), undefined, bytes('')])
    await s.close()
    await expect(s.get('idx', 'a')).rejects.toSatisfy((e) => isWildgrassError(e, 'E_STORAGE'))
  })

  it('round-trips keys with lone surrogates and NUL exactly', () => {
    for (const k of ['', '\0', '\uD800', 'x\uDFFFy', '中文', '\uFFFF']) expect(decodeKey(encodeKey(k))).toBe(k)
  })

  it('applies a batch all-or-nothing: an aborted or invalid batch leaves no trace', async () => {
    const s = createSqliteStorage({ path: tempDb() })
    await s.write([{ type: 'put', table: 'events', key: 'keep', value: bytes('1') }])
    const ac = new AbortController()
    ac.abort()
    await expect(s.write([{ type: 'put', table: 'events', key: 'x', value: bytes('2') }], { signal: ac.signal })).rejects.toSatisfy((e) =>
      isWildgrassError(e, 'E_STORAGE'),
    )
    await expect(
      s.write([
        { type: 'put', table: 'events', key: 'y', value: bytes('2') },
        { type: 'put', table: 'nope' as 'events', key: 'z', value: bytes('3') },
      ]),
    ).rejects.toSatisfy((e) => isWildgrassError(e, 'E_STORAGE'))
    await expect(s.write([{ type: 'put', table: 'events', key: 'w', value: 'text' as unknown as Uint8Array }])).rejects.toSatisfy((e) =>
      isWildgrassError(e, 'E_STORAGE'),
    )
    expect(await s.rangeKeys('events', {})).toEqual(['keep'])
    // later operations on the same key win
    await s.write([
      { type: 'put', table: 'events', key: 'k', value: bytes('a') },
      { type: 'delete', table: 'events', key: 'k' },
      { type: 'put', table: 'events', key: 'k', value: bytes('b') },
    ])
    expect(await s.get('events', 'k')).toEqual(bytes('b'))
    await s.close()
  })

  it('brings everything back after reopening the file', async () => {
    const path = tempDb()
    const a = createSqliteStorage({ path })
    await a.write([{ type: 'put', table: 'docs', key: 'did:key:z1', value: bytes('doc') }])
    await a.close()
    const b = createSqliteStorage({ path })
    expect(await b.get('docs', 'did:key:z1')).toEqual(bytes('doc'))
    await b.close()
  })

  it('keeps every committed write when the process is killed with SIGKILL', async () => {
    const path = tempDb()
    const script = `
      import { createSqliteStorage } from ${JSON.stringify(new URL('../../../src/relay/sqlite-storage.ts', import.meta.url).pathname)}
      const s = createSqliteStorage({ path: ${JSON.stringify(path)} })
      for (let i = 0; i < 200; i++) await s.write([{ type: 'put', table: 'events', key: 'e' + String(i).padStart(4, '0'), value: new Uint8Array(100).fill(i) }])
      process.stdout.write('committed\\n')
      setInterval(() => {}, 1000)
    `
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('committed')) resolve()
      })
      child.on('exit', (code) => reject(new Error(`child exited early: ${code}`)))
    })
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(existsSync(path + '-wal')).toBe(true)
    const s = createSqliteStorage({ path })
    const keys = await s.rangeKeys('events', {})
    expect(keys).toHaveLength(200)
    expect(await s.get('events', 'e0199')).toEqual(new Uint8Array(100).fill(199))
    await s.close()
  })
})
