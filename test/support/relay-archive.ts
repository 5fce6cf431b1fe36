// Relay archives for unit tests: the real store over a real SQLite file in a temporary
// directory; every archive still open after a test is closed, and its directory deleted.
import { afterEach } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createArchive, type Archive } from '../../src/relay/archive.ts'
import { DEFAULT_QUOTAS, type RelayQuotas } from '../../src/relay/config.ts'
import { createSqliteStorage } from '../../src/relay/sqlite-storage.ts'
import { createStore } from '../../src/store/create-store.ts'

export interface TestArchives {
  /** a path for a new archive.db */
  newPath(): string
  /** opens (and starts) the archive at `path` with DEFAULT_QUOTAS and these */
  open(path: string, quotas?: Partial<RelayQuotas>, now?: () => number): Promise<Archive>
  /** closes it now (to reopen the same file, or to see what a restart keeps) */
  close(archive: Archive): Promise<void>
}

export function useTestArchives(): TestArchives {
  const dirs: string[] = []
  const open: Archive[] = []
  afterEach(async () => {
    for (const a of open.splice(0)) await a.close().catch(() => {})
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  return {
    newPath() {
      const dir = mkdtempSync(join(tmpdir(), 'wg-archive-'))
      dirs.push(dir)
      return join(dir, 'archive.db')
    },
    async open(path, quotas = {}, now) {
      const storage = createSqliteStorage({ path })
      const archive = createArchive({ storage, store: createStore({ storage }), quotas: { ...DEFAULT_QUOTAS, ...quotas }, ...(now ? { now } : {}) })
      await archive.start()
      open.push(archive)
      return archive
    },
    async close(archive) {
      await archive.close()
      open.splice(open.indexOf(archive), 1)
    },
  }
}
