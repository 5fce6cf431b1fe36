// Fuzzing the opening of sealed messages in Node (test/fuzz/fuzz-sealed.ts), with node:crypto's
// X25519 as the app's Node peers and the benchmarks use it.
import { describe, expect, it } from 'vitest'
import { nodeX25519 } from '../../../src/net/x25519-node.ts'
import { fuzzOpeningSealed } from '../../fuzz/fuzz-sealed.ts'

const CASES = 6000
const NOW = Date.UTC(2026, 0, 15, 12)

describe('fuzz: opening sealed messages', () => {
  it(`${CASES} mutated and random sealed messages give only typed errors, and none that changed opens`, async () => {
    const report = await fuzzOpeningSealed(nodeX25519, CASES, 20261203, NOW)
    expect(report.openedChanged).toBe(0)
    for (const code of ['E_BAD_SEAL', 'E_TRUNCATED', 'E_UNKNOWN_VERSION']) expect(report.rejectedByCode[code] ?? 0, code).toBeGreaterThan(0)
  }, 120_000)
})
