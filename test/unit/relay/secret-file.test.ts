// Secret files of the relay: 0600 from creation, never silently overwritten, and a replace
// that does not reuse a leftover temporary file (which may have any mode).
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeSecretFile } from '../../../src/relay/secret-file.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wg-secret-'))
  dirs.push(dir)
  return dir
}

describe('writeSecretFile', () => {
  it('creates the file with mode 0600 and refuses to overwrite it', () => {
    const path = join(tempDir(), 'key')
    writeSecretFile(path, new Uint8Array([1, 2, 3]))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(() => writeSecretFile(path, new Uint8Array([4]))).toThrow(/EEXIST/)
    expect([...readFileSync(path)]).toEqual([1, 2, 3])
  })

  it('replaces atomically, not through a leftover temporary file with a loose mode', () => {
    const path = join(tempDir(), 'cert.json')
    writeSecretFile(path, 'old', { replace: true })
    writeFileSync(`${path}.tmp`, 'leftover', { mode: 0o644 })
    writeSecretFile(path, 'new', { replace: true })
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })
})
