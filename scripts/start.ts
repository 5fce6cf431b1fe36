// `npm start`: the embedded default. One relay on localhost that serves the app and prints the
// URL to open; the relay builds the app first if dist/ is missing or older than its sources
// (src/relay/app-build.ts). Data lives in ./.data (gitignored). Extra arguments go to the
// relay, e.g. `npm start -- --port 9000`.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

const relay = spawn(process.execPath, [join(root, 'src', 'relay', 'cli.ts'), '--host', '127.0.0.1', '--data', join(root, '.data'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => relay.kill(signal))
relay.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
