// Release manifests (protocol/releases.md): signing, strict decoding, the pinned key, downgrade
// refusal, file checks, fingerprints; properties over random file sets; the build's key rules.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8Encode } from '../../../src/core/bytes.ts'
import { encodeCanonical } from '../../../src/core/cbor.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { getPublicKey, sign, signedBytes } from '../../../src/core/keys.ts'
import {
  checkReleaseFile,
  checkReleaseOrder,
  createReleaseManifest,
  decodeReleaseManifest,
  fingerprintDigits,
  MAX_RELEASE_FILES,
  MAX_RELEASE_MANIFEST_BYTES,
  openReleaseManifest,
  type ReleaseInit,
} from '../../../src/core/release-manifest.ts'
import type { SecretKey } from '../../../src/core/types.ts'
import { DEVELOPMENT_KEY_PHRASE, DEVELOPMENT_RELEASE_SECRET_HEX, resolveReleaseSeq, resolveReleaseSigner } from '../../../scripts/release/release-key.ts'

const releaser = sha256(utf8Encode('test release key')) as SecretKey
const stranger = sha256(utf8Encode('someone else')) as SecretKey
const pinned = getPublicKey(releaser)
const file = (path: string, text = path) => ({ path, bytes: utf8Encode(text) })
const init = (over: Partial<ReleaseInit> = {}): ReleaseInit => ({
  version: '0.1.0',
  seq: 7,
  files: [file('index.html', '<!doctype html>'), file('sw.js', 'self.x=1'), file('assets/index-AbCdEf12.js', 'console.log(1)')],
  ...over,
})

/** Signs any map, rules or not, as a release. */
function signRaw(unsigned: Record<string, unknown>, secret = releaser): Uint8Array {
  return encodeCanonical({ ...unsigned, sig: sign(secret, signedBytes('wildgrass/release/v1', encodeCanonical(unsigned))) })
}
const rawFiles = () => createReleaseManifest(releaser, init()).files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 }))
const base = (over: Record<string, unknown> = {}) => ({ v: 1, version: '0.1.0', seq: 7, key: pinned, files: rawFiles(), ...over })

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
    return undefined
  } catch (e) {
    return isWildgrassError(e) ? e.code : `not typed: ${String(e)}`
  }
}
async function asyncCodeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  return run().then(
    () => undefined,
    (e: unknown) => (isWildgrassError(e) ? e.code : `not typed: ${String(e)}`),
  )
}

describe('release manifest', () => {
  it('signs, decodes and opens with the pinned key; files sorted by path', async () => {
    const m = createReleaseManifest(releaser, init())
    expect(m.files.map((f) => f.path)).toEqual(['assets/index-AbCdEf12.js', 'index.html', 'sw.js'])
    expect(m.files[1]!.sha256).toEqual(sha256(utf8Encode('<!doctype html>')))
    const opened = await openReleaseManifest(m.bytes, pinned)
    expect({ version: opened.version, seq: opened.seq, key: toHex(opened.key) }).toEqual({ version: '0.1.0', seq: 7, key: toHex(pinned) })
    expect(decodeReleaseManifest(m.bytes).bytes).toEqual(m.bytes)
  })

  it('refuses a manifest by another key (E_WRONG_AUTHOR) and a forged signature (E_BAD_SIGNATURE)', async () => {
    expect(await asyncCodeOf(() => openReleaseManifest(createReleaseManifest(stranger, init()).bytes, pinned))).toBe('E_WRONG_AUTHOR')
    // names the pinned key, signed by someone else
    expect(await asyncCodeOf(() => openReleaseManifest(signRaw(base(), stranger), pinned))).toBe('E_BAD_SIGNATURE')
    const m = createReleaseManifest(releaser, init())
    const tampered = m.bytes.slice()
    tampered[Buffer.from(tampered).indexOf(Buffer.from(m.files[2]!.sha256))]! ^= 1 // a file's hash, as a relay would change it
    expect(await asyncCodeOf(() => openReleaseManifest(tampered, pinned))).toBe('E_BAD_SIGNATURE')
  })

  it('signed as a relay record, it does not open as a release (domain tag)', async () => {
    const unsigned = base()
    const bytes = encodeCanonical({ ...unsigned, sig: sign(releaser, signedBytes('wildgrass/relay/v1', encodeCanonical(unsigned))) })
    expect(await asyncCodeOf(() => openReleaseManifest(bytes, pinned))).toBe('E_BAD_SIGNATURE')
  })

  it('rejects each broken rule with its code, in spec order', () => {
    const decode = (unsigned: Record<string, unknown>) => codeOf(() => decodeReleaseManifest(signRaw(unsigned)))
    const files = rawFiles()
    expect(codeOf(() => decodeReleaseManifest(new Uint8Array(0)))).toBe('E_TRUNCATED')
    expect(codeOf(() => decodeReleaseManifest(new Uint8Array(MAX_RELEASE_MANIFEST_BYTES + 1).fill(0xa1)))).toBe('E_OVERSIZE')
    expect(decode(base({ v: 2 }))).toBe('E_UNKNOWN_VERSION')
    expect(decode(base({ extra: 1 }))).toBe('E_UNKNOWN_FIELD')
    expect(decode(base({ key: new Uint8Array(31) }))).toBe('E_BAD_KEY')
    expect(decode(base({ version: '' }))).toBe('E_MALFORMED')
    expect(decode(base({ version: '1.0 beta' }))).toBe('E_MALFORMED')
    expect(decode(base({ seq: 0 }))).toBe('E_MALFORMED')
    expect(decode(base({ files: [] }))).toBe('E_MALFORMED')
    expect(decode(base({ files: files.filter((f) => f.path !== 'sw.js') }))).toBe('E_MALFORMED')
    expect(decode(base({ files: [...files].reverse() }))).toBe('E_NON_CANONICAL')
    expect(decode(base({ files: [files[0], files[0], ...files.slice(1)] }))).toBe('E_MALFORMED')
    for (const path of ['/abs.js', '../up.js', 'a/../b.js', 'a//b.js', '.env', 'assets/.hidden', 'a b.js', 'a\\b.js', 'ü.js', '']) {
      expect(decode(base({ files: [{ ...files[0]!, path }, ...files.slice(1)] })), path).toBe('E_MALFORMED')
    }
    expect(decode(base({ files: [{ ...files[0]!, size: -1 }, ...files.slice(1)] }))).toBe('E_MALFORMED')
    expect(decode(base({ files: [{ ...files[0]!, size: 17 * 1024 * 1024 }, ...files.slice(1)] }))).toBe('E_OVERSIZE')
    expect(decode(base({ files: [{ ...files[0]!, sha256: new Uint8Array(31) }, ...files.slice(1)] }))).toBe('E_MALFORMED')
    expect(decode(base({ files: [{ ...files[0]!, mode: 1 }, ...files.slice(1)] }))).toBe('E_UNKNOWN_FIELD')
    const many = Array.from({ length: MAX_RELEASE_FILES + 1 }, (_, i) => ({ path: `f${String(i).padStart(4, '0')}`, size: 0, sha256: new Uint8Array(32) }))
    expect(decode(base({ files: many }))).toBe('E_OVERSIZE')
    expect(codeOf(() => decodeReleaseManifest(encodeCanonical(base())))).toBe('E_MALFORMED') // no sig
  })

  it('refuses a downgrade and a conflicting release under the same number', () => {
    const v7 = createReleaseManifest(releaser, init())
    const v8 = createReleaseManifest(releaser, init({ seq: 8 }))
    const other7 = createReleaseManifest(releaser, init({ version: '0.1.1' }))
    expect(checkReleaseOrder(v7, undefined)).toBe('newer')
    expect(checkReleaseOrder(v8, v7)).toBe('newer')
    expect(checkReleaseOrder(v7, v7)).toBe('installed')
    expect(codeOf(() => checkReleaseOrder(v7, v8))).toBe('E_DOWNGRADE')
    expect(codeOf(() => checkReleaseOrder(other7, v7))).toBe('E_DOWNGRADE')
  })

  it('checks a file by size and SHA-256 (E_HASH_MISMATCH)', () => {
    const m = createReleaseManifest(releaser, init())
    const sw = m.files.find((f) => f.path === 'sw.js')!
    expect(() => checkReleaseFile(sw, utf8Encode('self.x=1'))).not.toThrow()
    expect(codeOf(() => checkReleaseFile(sw, utf8Encode('self.x=2')))).toBe('E_HASH_MISMATCH')
    expect(codeOf(() => checkReleaseFile(sw, utf8Encode('self.x=1 ')))).toBe('E_HASH_MISMATCH')
  })

  it('fingerprints are 20 digits in groups of five, from SHA-256', () => {
    expect(fingerprintDigits(new Uint8Array(0))).toMatch(/^\d{5} \d{5} \d{5} \d{5}$/)
    // SHA-256("") = e3b0c44298 fc1c149afb f4c8996fb9 2427ae41e4 ...; 0xe3b0c44298 = 976625926808
    expect(fingerprintDigits(new Uint8Array(0)).slice(0, 5)).toBe(String(0xe3b0c44298 % 100000).padStart(5, '0'))
    expect(fingerprintDigits(pinned)).not.toBe(fingerprintDigits(getPublicKey(stranger)))
  })
})

describe('release manifest: properties', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}$/).filter((s) => s !== '..')
  const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'))
  const files = fc
    .uniqueArray(fc.record({ path, bytes: fc.uint8Array({ maxLength: 64 }) }), { selector: (f) => f.path, maxLength: 20 })
    .map((fs) => [...fs.filter((f) => f.path !== 'index.html' && f.path !== 'sw.js'), file('index.html'), file('sw.js')])

  it('any file set round-trips, and any one changed byte fails to decode or to open', async () => {
    await fc.assert(
      fc.asyncProperty(files, fc.integer({ min: 1, max: 2 ** 40 }), fc.nat(), async (fs, seq, at) => {
        const m = createReleaseManifest(releaser, { version: '1.2.3', seq, files: fs })
        const opened = await openReleaseManifest(m.bytes, pinned)
        expect(opened.files.length).toBe(fs.length)
        for (const f of fs)
          checkReleaseFile(
            opened.files.find((x) => x.path === f.path)!,
            f.bytes,
          )
        const bad = m.bytes.slice()
        bad[at % bad.length]! ^= 0x01
        const code = await asyncCodeOf(() => openReleaseManifest(bad, pinned))
        expect(code).toBeDefined()
        expect(code).toMatch(/^E_/)
      }),
      { numRuns: 150 },
    )
  })
})

describe('release key and number of a build', () => {
  it('the committed development secret is SHA-256 of its public phrase', () => {
    expect(toHex(sha256(utf8Encode(DEVELOPMENT_KEY_PHRASE)))).toBe(DEVELOPMENT_RELEASE_SECRET_HEX)
    expect(resolveReleaseSigner({}).development).toBe(true)
    expect(resolveReleaseSigner({ WILDGRASS_RELEASE_KEY: DEVELOPMENT_RELEASE_SECRET_HEX.toUpperCase() }).development).toBe(true)
  })

  it('WILDGRASS_RELEASE_KEY is 64 hex digits; WILDGRASS_RELEASE_SEQ a positive integer, else the time in seconds', () => {
    const real = resolveReleaseSigner({ WILDGRASS_RELEASE_KEY: toHex(releaser) })
    expect(real.development).toBe(false)
    expect(toHex(real.publicKey)).toBe(toHex(pinned))
    expect(() => resolveReleaseSigner({ WILDGRASS_RELEASE_KEY: 'abc' })).toThrow(/64 hex/)
    expect(resolveReleaseSeq({ WILDGRASS_RELEASE_SEQ: '42' })).toBe(42)
    expect(resolveReleaseSeq({}, 1_700_000_000_999)).toBe(1_700_000_000)
    for (const bad of ['0', '-1', '1.5', '1e3', 'x']) expect(() => resolveReleaseSeq({ WILDGRASS_RELEASE_SEQ: bad }), bad).toThrow()
  })
})
