// `npm run bench`: runs every bench/*.bench.ts in its own process, one after another
// (figures taken on a quiet machine), or only those whose names contain an argument.
// Long benches (*.long.bench.ts, minutes each) run only when an argument names them:
// `npm run bench -- archive-1m` runs bench/archive-1m.long.bench.ts, `-- propagation` the other.
import { readdirSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const filters = process.argv.slice(2)
const dir = new URL('.', import.meta.url)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => (filters.length === 0 ? !f.endsWith('.long.bench.ts') : filters.some((x) => f.includes(x))))
let failed = 0
for (const file of files) {
  console.log(`\n== ${file}`)
  const run = spawnSync(process.execPath, [new URL(file, dir).pathname], { stdio: 'inherit' })
  if (run.status !== 0) failed++
}
console.log(`\nfigures written to bench/results.json`)
process.exit(failed ? 1 : 0)
