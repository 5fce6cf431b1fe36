// Generates protocol/vectors/releases.json (protocol/releases.md) from fixed seeds.
// Run: ./node_modules/.bin/node test/vectors/generate-releases.ts
// Each invalid case has exactly one defect and names the code it must produce; `pinnedKeyHex` is
// the key the verifier trusts; downgrade cases name the installed release.
import { writeFileSync } from 'node:fs'
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8Encode } from '../../src/core/bytes.ts'
import { encodeCanonical } from '../../src/core/cbor.ts'
import { getPublicKey, sign, signedBytes, type SigningTag } from '../../src/core/keys.ts'
import { createReleaseManifest, fingerprintDigits } from '../../src/core/release-manifest.ts'
import type { SecretKey } from '../../src/core/types.ts'

const key = (name: string): SecretKey => sha256(utf8Encode(`wildgrass-vectors/release/${name}`)) as SecretKey
const releaser = key('releaser')
const pinned = getPublicKey(releaser)
const FILES = [
  { path: 'index.html', bytes: utf8Encode('<!doctype html><title>野草</title>') },
  { path: 'sw.js', bytes: utf8Encode('self.addEventListener("fetch",()=>{})') },
  { path: 'assets/index-B0oPgnfO.js', bytes: utf8Encode('console.log("wildgrass")') },
  { path: 'icon.svg', bytes: new Uint8Array(0) },
]
const release = createReleaseManifest(releaser, { version: '0.1.0', seq: 1764000000, files: FILES })
const files = release.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 }))
const base = (over: Record<string, unknown> = {}) => ({ v: 1, version: '0.1.0', seq: 1764000000, key: pinned, files, ...over })

const cases: Array<Record<string, unknown>> = []
const pinnedKeyHex = toHex(pinned)

function signed(unsigned: Record<string, unknown>, secret = releaser, tag: SigningTag = 'wildgrass/release/v1'): Uint8Array {
  return encodeCanonical({ ...unsigned, sig: sign(secret, signedBytes(tag, encodeCanonical(unsigned))) })
}
function invalid(description: string, bytes: Uint8Array, code: string, extra: Record<string, unknown> = {}): void {
  cases.push({ description, valid: false, pinnedKeyHex, bytesHex: toHex(bytes), code, ...extra })
}

cases.push({
  description: 'a release of four files (one empty), sorted by path',
  valid: true,
  pinnedKeyHex,
  signedBytesHex: toHex(signedBytes('wildgrass/release/v1', encodeCanonical(base()))),
  signatureHex: toHex(release.sig),
  bytesHex: toHex(release.bytes),
  manifest: { version: release.version, seq: release.seq, files: release.files.map((f) => ({ path: f.path, size: f.size, sha256Hex: toHex(f.sha256) })) },
  fileContentsHex: Object.fromEntries(FILES.map((f) => [f.path, toHex(f.bytes)])),
  keyFingerprint: fingerprintDigits(pinned),
  manifestFingerprint: fingerprintDigits(release.bytes),
})

invalid('signed by a key other than the pinned one', createReleaseManifest(key('stranger'), { version: '0.1.0', seq: 1764000000, files: FILES }).bytes, 'E_WRONG_AUTHOR')
invalid('names the pinned key, signed by another', signed(base(), key('stranger')), 'E_BAD_SIGNATURE')
invalid('signed under the relay-record tag', signed(base(), releaser, 'wildgrass/relay/v1'), 'E_BAD_SIGNATURE')
invalid('a file hash changed after signing', encodeCanonical({ ...base({ files: files.map((f, i) => (i === 0 ? { ...f, sha256: sha256(utf8Encode('x')) } : f)) }), sig: release.sig }), 'E_BAD_SIGNATURE')
invalid('version 2', signed(base({ v: 2 })), 'E_UNKNOWN_VERSION')
invalid('an unknown field', signed(base({ note: 'x' })), 'E_UNKNOWN_FIELD')
invalid('files not sorted by path', signed(base({ files: [...files].reverse() })), 'E_NON_CANONICAL')
invalid('a path with ..', signed(base({ files: files.map((f, i) => (i === 0 ? { ...f, path: '../assets/x.js' } : f)) })), 'E_MALFORMED')
invalid('no sw.js', signed(base({ files: files.filter((f) => f.path !== 'sw.js') })), 'E_MALFORMED')
invalid('seq 0', signed(base({ seq: 0 })), 'E_MALFORMED')
invalid('a file larger than 16 MiB', signed(base({ files: files.map((f, i) => (i === 0 ? { ...f, size: 16 * 1024 * 1024 + 1 } : f)) })), 'E_OVERSIZE')
invalid('a replayed older release: seq 1763999999 while 1764000000 is installed',
  createReleaseManifest(releaser, { version: '0.0.9', seq: 1763999999, files: FILES }).bytes, 'E_DOWNGRADE', { installedHex: toHex(release.bytes) })
invalid('another release under the installed number',
  createReleaseManifest(releaser, { version: '0.1.1', seq: 1764000000, files: FILES }).bytes, 'E_DOWNGRADE', { installedHex: toHex(release.bytes) })

const path = new URL('../../protocol/vectors/releases.json', import.meta.url)
writeFileSync(path, JSON.stringify(cases, null, 2) + '\n')
console.log(`releases.json: ${cases.length} cases`)
