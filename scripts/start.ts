// `npm start`: the embedded default. Builds the app (`vite build`) if dist/ is missing or
// older than its sources, then runs one relay on localhost that serves it and prints the URL
// to open. Data lives in ./.data (gitignored). Extra arguments go to the relay, e.g.
// `npm start -- --port 9000`.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist', 'index.html')
const sources = ['index.html', 'vite.config.ts', 'package.json', 'scripts/release', 'src/app', 'src/core', 'src/store', 'src/net', 'public']

/** Newest modification time under the given paths (files or directories), 0 if none exist. */
function newestMtime(paths: readonly string[]): number {
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

function needsBuild(): boolean {
  if (!existsSync(dist)) return true
  return newestMtime(sources) > statSync(dist).mtimeMs
}

if (needsBuild()) {
  console.log('Building the app (vite build)…')
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  const build = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) {
    console.error('The app did not build; see the errors above.')
    process.exit(build.status ?? 1)
  }
} else {
  console.log('The app is built and up to date (dist/).')
}

const relay = spawn(process.execPath, [join(root, 'src', 'relay', 'cli.ts'), '--host', '127.0.0.1', '--data', join(root, '.data'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => relay.kill(signal))
relay.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
