// `npm run fuzz -- [cases] [seed]`: many more fuzz cases than the test suite runs
// (default 2,000,000, seed from the clock — printed so a failure can be replayed).
import { runFuzz } from './fuzz-engine.ts'
import { buildTargets, withRelayRecord } from './targets.ts'

const cases = Number(process.argv[2] ?? 2_000_000)
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 32)
const targets = await withRelayRecord(buildTargets())
console.log(`fuzzing ${targets.map((t) => t.name).join(', ')}: ${cases} cases, seed ${seed}`)
const start = performance.now()
const chunk = 100_000
let done = 0
while (done < cases) {
  const n = Math.min(chunk, cases - done)
  // Each chunk has its own derived seed, so progress is visible and any chunk can be replayed.
  const chunkSeed = (seed + done) >>> 0
  const report = runFuzz(targets, n, chunkSeed)
  done += n
  console.log(
    `${done} cases (chunk seed ${chunkSeed}): accepted ${report.accepted}, slowest ${report.slowestMs.toFixed(2)} ms (${report.slowest}), codes ${JSON.stringify(report.rejectedByCode)}`,
  )
}
console.log(`ok: ${cases} cases in ${((performance.now() - start) / 1000).toFixed(1)} s, only typed errors`)
