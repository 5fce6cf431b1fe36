// 120,000 fuzz cases with a fixed seed in every test run (decoding only, no signature checks):
// random bytes and mutated valid events, envelopes, invites (and relay records when that module
// exists) must only ever produce WildgrassError. `npm run fuzz` runs millions more.
import { describe, expect, it } from 'vitest'
import { runFuzz } from '../../fuzz/fuzz-engine.ts'
import { buildTargets, withRelayRecord } from '../../fuzz/targets.ts'

const SEED = 20261125
const CASES = 120_000

describe('fuzz: core decoders', () => {
  it(`${CASES} random and mutated inputs give only typed errors`, async () => {
    const targets = await withRelayRecord(buildTargets())
    const report = runFuzz(targets, CASES, SEED)
    expect(report.cases).toBe(CASES)
    // the mutator must reach deep into the decoders, not stop at the first byte
    for (const code of ['E_TRUNCATED', 'E_MALFORMED', 'E_NON_CANONICAL', 'E_UNKNOWN_FIELD', 'E_BAD_KEY']) {
      expect(report.rejectedByCode[code] ?? 0, code).toBeGreaterThan(0)
    }
    expect(report.accepted).toBeGreaterThan(0)
    // a hang guard, not a benchmark: no single input may take seconds
    expect(report.slowestMs, report.slowest).toBeLessThan(5_000)
  }, 120_000)
})
