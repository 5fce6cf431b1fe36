// Building the app the relay serves (`vite build`) when dist/ is missing or older than its
// sources: `npm run relay` and `npm start` in a fresh clone serve the app at the address they
// print. Where vite is not installed (an install without dev dependencies) nothing can be
// built: a missing app is then an error that says how to get one, a stale one is served as is.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is src/relay/app-build.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** What the build reads, relative to the repository root. */
export const APP_SOURCES = ['index.html', 'vite.config.ts', 'package.json', 'scripts/release', 'src/app', 'src/core', 'src/store', 'src/net', 'public']

export class AppBuildError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AppBuildError'
  }
}

/** Newest modification time under the given paths (files or directories), 0 if none exist. */
export function newestMtime(root: string, paths: readonly string[]): number {
  let newest = 0
  const visit = (path: string) => {
    let stat
    try {
      stat = statSync(path)
    } catch {
      return
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry))
    } else {
      newest = Math.max(newest, stat.mtimeMs)
    }
  }
  for (const p of paths) visit(join(root, p))
  return newest
}

export type AppState = 'missing' | 'stale' | 'fresh'

export function checkApp(appDir: string, root = REPO_ROOT): AppState {
  const index = join(appDir, 'index.html')
  if (!existsSync(index)) return 'missing'
  return newestMtime(root, APP_SOURCES) > statSync(index).mtimeMs ? 'stale' : 'fresh'
}

/**
 * Builds the app into appDir if it is missing or stale. Build output goes to `output` (the
 * relay's stderr: its stdout may carry exactly one JSON line). Throws AppBuildError when the
 * app is missing and cannot be built, or the build fails.
 */
export function ensureAppBuilt(appDir: string, log: (message: string) => void, options: { root?: string; output?: 'inherit' | number } = {}): AppState {
  const root = options.root ?? REPO_ROOT
  const state = checkApp(appDir, root)
  if (state === 'fresh') return state
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  if (!existsSync(vite)) {
    if (state === 'stale') {
      log(`the app in ${appDir} is older than its sources, and vite is not installed to rebuild it: serving it as it is`)
      return state
    }
    throw new AppBuildError(
      `the app is not built (${appDir} has no index.html) and vite is not installed here (an install without dev dependencies). Run \`npm install\` and then \`npm run build\`, or start with --app DIR pointing at a built app.`,
    )
  }
  log(state === 'missing' ? 'Building the app (vite build)…' : 'The app is older than its sources: rebuilding it (vite build)…')
  const out = options.output ?? 2
  const build = spawnSync(process.execPath, [vite, 'build', '--outDir', appDir, '--emptyOutDir'], { cwd: root, stdio: ['ignore', out, out] })
  if (build.status !== 0) throw new AppBuildError('the app did not build; see the errors above')
  return state
}
