// The decoders of direct messages and the private document, fuzzed in real Chromium as in Node
// (test/unit/protocol/fuzz.test.ts, test/unit/net/dm-fuzz.test.ts): letters, mailbox frames, private blobs and
// padding through the synchronous engine; opening sealed messages with BoringSSL's X25519
// (WebCrypto) and with noble.
import { describe, expect, it } from 'vitest'
import { nobleX25519, webCryptoX25519 } from '../../src/core/x25519.ts'
import { runFuzz } from '../fuzz/fuzz-engine.ts'
import { fuzzOpeningSealed } from '../fuzz/fuzz-sealed.ts'
import { buildPrivateTargets } from '../fuzz/private-targets.ts'

const NOW = Date.UTC(2026, 0, 15, 12)

describe('fuzz in Chromium: direct messages and private blobs', () => {
  it('20000 random and mutated letters, mailbox frames, private blobs and paddings give only typed errors', () => {
    const report = runFuzz(buildPrivateTargets(NOW), 20_000, 20261204)
    expect(report.cases).toBe(20_000)
    for (const code of ['E_TRUNCATED', 'E_MALFORMED', 'E_BAD_SEAL']) expect(report.rejectedByCode[code] ?? 0, code).toBeGreaterThan(0)
    expect(report.accepted).toBeGreaterThan(0)
    expect(report.slowestMs, report.slowest).toBeLessThan(5_000)
  })

  for (const [name, provider] of [
    ['WebCrypto', webCryptoX25519],
    ['noble', nobleX25519],
  ] as const) {
    it(`2000 mutated and random sealed messages opened with ${name}: only typed errors, none that changed opens`, async () => {
      const report = await fuzzOpeningSealed(provider, 2000, 20261205, NOW)
      expect(report.openedChanged).toBe(0)
      for (const code of ['E_BAD_SEAL', 'E_TRUNCATED', 'E_UNKNOWN_VERSION']) expect(report.rejectedByCode[code] ?? 0, code).toBeGreaterThan(0)
    }, 120_000)
  }
})
