// Runner for protocol/vectors/releases.json (protocol/releases.md): a valid case opens with the
// pinned key, signs exactly `signedBytesHex`, checks its files and has the stated fingerprints;
// an invalid case fails with its code (downgrades against `installedHex`).
import { expect } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { encodeCanonical } from '../../src/core/cbor.ts'
import { signedBytes, verifySignatureWith } from '../../src/core/keys.ts'
import { checkReleaseFile, checkReleaseOrder, decodeReleaseManifest, fingerprintDigits, openReleaseManifest } from '../../src/core/release-manifest.ts'
import { codeOf, type VectorCase } from './vectors-core.ts'

const h = (c: VectorCase, key: string) => fromHex(c[key] as string)

export async function runReleaseCase(c: VectorCase): Promise<void> {
  const pinned = h(c, 'pinnedKeyHex')
  if (!c.valid) {
    const code = await codeOf(async () => {
      const m = await openReleaseManifest(h(c, 'bytesHex'), pinned)
      if (typeof c.installedHex === 'string') checkReleaseOrder(m, decodeReleaseManifest(h(c, 'installedHex')))
    })
    expect(code).toBe(c.code)
    return
  }
  const m = await openReleaseManifest(h(c, 'bytesHex'), pinned)
  const expected = c.manifest as { version: string; seq: number; files: Array<{ path: string; size: number; sha256Hex: string }> }
  expect({ version: m.version, seq: m.seq, files: m.files.map((f) => ({ path: f.path, size: f.size, sha256Hex: toHex(f.sha256) })) }).toEqual(expected)
  const unsigned = encodeCanonical({
    v: 1,
    version: m.version,
    seq: m.seq,
    key: m.key,
    files: m.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
  })
  expect(toHex(signedBytes('wildgrass/release/v1', unsigned))).toBe(c.signedBytesHex)
  for (const backend of ['webcrypto', 'noble'] as const) await verifySignatureWith(backend, m.key, h(c, 'signedBytesHex'), h(c, 'signatureHex'))
  for (const [path, hex] of Object.entries(c.fileContentsHex as Record<string, string>))
    checkReleaseFile(
      m.files.find((f) => f.path === path)!,
      fromHex(hex),
    )
  expect(fingerprintDigits(m.key)).toBe(c.keyFingerprint)
  expect(fingerprintDigits(m.bytes)).toBe(c.manifestFingerprint)
}
