// When the relay builds the app (app-build.ts): missing or older than its sources, and what it
// says where it cannot build (an install without dev dependencies, so no vite).
import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppBuildError, checkApp, ensureAppBuilt } from '../../../src/relay/app-build.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A repository without node_modules: sources and, optionally, a built app of a given age. */
function repo(built: 'none' | 'older' | 'newer'): { root: string; app: string } {
  const root = mkdtempSync(join(tmpdir(), 'wg-build-'))
  dirs.push(root)
  mkdirSync(join(root, 'src', 'app'), { recursive: true })
  writeFileSync(join(root, 'src', 'app', 'main.tsx'), 'export {}')
  const app = join(root, 'dist')
  if (built !== 'none') {
    mkdirSync(app)
    writeFileSync(join(app, 'index.html'), '<div id="app"></div>')
    const sourceTime = new Date(Date.now() - 60_000)
    const appTime = new Date(built === 'older' ? Date.now() - 120_000 : Date.now())
    utimesSync(join(root, 'src', 'app', 'main.tsx'), sourceTime, sourceTime)
    utimesSync(join(app, 'index.html'), appTime, appTime)
  }
  return { root, app }
}

describe('building the app the relay serves', () => {
  it('tells missing, stale and fresh apart by the newest source', () => {
    expect(checkApp(repo('none').app, repo('none').root)).toBe('missing')
    const older = repo('older')
    expect(checkApp(older.app, older.root)).toBe('stale')
    const newer = repo('newer')
    expect(checkApp(newer.app, newer.root)).toBe('fresh')
  })

  it('without vite: refuses a missing app saying how to get one, serves a stale one as it is', () => {
    const missing = repo('none')
    const logs: string[] = []
    expect(() => ensureAppBuilt(missing.app, (m) => logs.push(m), { root: missing.root })).toThrow(AppBuildError)
    expect(() => ensureAppBuilt(missing.app, (m) => logs.push(m), { root: missing.root })).toThrow(
      /vite is not installed.*npm install.*npm run build.*--app DIR/,
    )
    const stale = repo('older')
    expect(ensureAppBuilt(stale.app, (m) => logs.push(m), { root: stale.root })).toBe('stale')
    expect(logs.join('\n')).toMatch(/older than its sources.*serving it as it is/)
  })
})
