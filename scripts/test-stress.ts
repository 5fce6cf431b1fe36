// `npm run test:stress`: the integration and end-to-end tests (real relay processes, real
// Chromium) while busy loops take CPU from them, heavier than CI's load. A test that passes
// alone but fails here is waiting on time instead of on an event. WG_STRESS_LOOPS (default 2)
// busy loops; arguments go to vitest, e.g. `npm run test:stress -- test/e2e` or
// `npm run test:stress -- --project unit` (default: `--project integration`).
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const count = Number(process.env.WG_STRESS_LOOPS ?? 2)
const args = process.argv.slice(2)
const vitestArgs = ['run', ...(args.some((a) => a.startsWith('--project')) ? [] : ['--project', 'integration']), ...args]

const loops: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }))
const stopLoops = (): void => {
  for (const loop of loops) loop.kill('SIGKILL')
}
process.on('exit', stopLoops)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))

console.log(`test:stress: ${count} busy loops beside vitest ${vitestArgs.join(' ')}`)
const vitest = spawn(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, ...vitestArgs], { cwd: root, stdio: 'inherit' })
vitest.on('exit', (code, signal) => {
  stopLoops()
  process.exit(code ?? (signal ? 1 : 0))
})
