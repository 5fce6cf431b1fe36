// Signed release manifests (protocol/releases.md): the list of every file of one build of the
// app with its size and SHA-256, a release number that only grows, signed by the release key.
// Canonical DAG-CBOR; signed bytes are signedBytes('wildgrass/release/v1', canonical unsigned map)
// (conventions.md). The service worker installs a release only when its manifest opens with the
// key the app was built with and every file hashes to what the manifest says.
import { sha256 } from '@noble/hashes/sha2.js'
import { equalBytes } from './bytes.ts'
import { copyBytes, decodeCanonicalMap, encodeCanonical, expectBytes, expectVersion, isPlainMap, rejectUnknownFields, type CborMap } from './cbor.ts'
import { fail } from './errors.ts'
import { assertPublicKey, getPublicKey, sign, signedBytes, verifySignature } from './keys.ts'
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './limits.ts'
import type { PublicKey, SecretKey } from './types.ts'

/** Largest manifest on the wire (releases.md §2). */
export const MAX_RELEASE_MANIFEST_BYTES = 64 * 1024
/** Files in one release. */
export const MAX_RELEASE_FILES = 512
/** Bytes of one path. */
export const MAX_RELEASE_PATH_BYTES = 200
/** One file, and all files together. */
export const MAX_RELEASE_FILE_BYTES = 16 * 1024 * 1024
export const MAX_RELEASE_TOTAL_BYTES = 64 * 1024 * 1024
/** Characters of `version`. */
export const MAX_RELEASE_VERSION_CHARS = 32
/** Files every release has: the page and the service worker. */
export const REQUIRED_RELEASE_FILES: readonly string[] = ['index.html', 'sw.js']

export interface ReleaseFile {
  /** relative to the app's base URL, e.g. `assets/index-B0oPgnfO.js` */
  readonly path: string
  readonly size: number
  /** SHA-256 of the file's bytes as served uncompressed */
  readonly sha256: Uint8Array
}

export interface ReleaseManifest {
  readonly v: 1
  /** for people (e.g. `0.1.0`); releases are ordered by `seq`, never by this */
  readonly version: string
  /** the release number: every release signed by a key has a higher one than the last */
  readonly seq: number
  readonly key: PublicKey
  /** sorted by path, bytewise */
  readonly files: readonly ReleaseFile[]
  readonly sig: Uint8Array
  /** canonical wire bytes (`release.cbor`) */
  readonly bytes: Uint8Array
}

export interface ReleaseInit {
  version: string
  seq: number
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>
}

const FIELDS = new Set(['v', 'version', 'seq', 'key', 'files', 'sig'])
const FILE_FIELDS = new Set(['path', 'size', 'sha256'])
// one path segment: no empty, `.`/`..` or dot-file segments (a relay serves no dotfiles)
const SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string') fail('E_MALFORMED', 'files: path is not text')
  if (path.length === 0 || path.length > MAX_RELEASE_PATH_BYTES) fail('E_MALFORMED', 'files: path length')
  if (!path.split('/').every((s) => SEGMENT.test(s) && s !== '..')) fail('E_MALFORMED', 'files: not a relative path of plain segments')
}

function compareBytewise(a: string, b: string): number {
  // paths are ASCII (checkPath), so UTF-16 order is byte order
  return a < b ? -1 : a > b ? 1 : 0
}

function checkFiles(value: unknown): ReleaseFile[] {
  if (!Array.isArray(value)) fail('E_MALFORMED', 'files: not a list')
  if (value.length === 0) fail('E_MALFORMED', 'files: empty')
  if (value.length > MAX_RELEASE_FILES) fail('E_OVERSIZE', `files: more than ${MAX_RELEASE_FILES}`)
  const files: ReleaseFile[] = []
  let total = 0
  for (const entry of value) {
    if (!isPlainMap(entry)) fail('E_MALFORMED', 'files: an entry is not a map')
    rejectUnknownFields(entry, FILE_FIELDS, 'release file')
    checkPath(entry.path)
    const size = entry.size
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) fail('E_MALFORMED', 'files: size is not a non-negative integer')
    if (size > MAX_RELEASE_FILE_BYTES) fail('E_OVERSIZE', `files: ${entry.path} is larger than ${MAX_RELEASE_FILE_BYTES} bytes`)
    const hash = expectBytes(entry.sha256, 32, 'E_MALFORMED', 'files: sha256')
    const previous = files[files.length - 1]
    if (previous !== undefined) {
      const order = compareBytewise(previous.path, entry.path)
      if (order === 0) fail('E_MALFORMED', `files: ${entry.path} twice`)
      if (order > 0) fail('E_NON_CANONICAL', 'files: not sorted by path')
    }
    total += size
    files.push(Object.freeze({ path: entry.path, size, sha256: copyBytes(hash) }))
  }
  if (total > MAX_RELEASE_TOTAL_BYTES) fail('E_OVERSIZE', `files: more than ${MAX_RELEASE_TOTAL_BYTES} bytes in all`)
  for (const required of REQUIRED_RELEASE_FILES) {
    if (!files.some((f) => f.path === required)) fail('E_MALFORMED', `files: no ${required}`)
  }
  return files
}

function checkVersion(version: unknown): asserts version is string {
  if (typeof version !== 'string' || version.length === 0 || version.length > MAX_RELEASE_VERSION_CHARS || !/^[\x21-\x7e]+$/.test(version)) {
    fail('E_MALFORMED', 'version: not 1 to 32 printable ASCII characters')
  }
}

function checkSeq(seq: unknown): asserts seq is number {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) fail('E_MALFORMED', 'seq: not a positive integer')
}

function unsignedMap(m: Pick<ReleaseManifest, 'version' | 'seq' | 'key' | 'files'>): CborMap {
  return { v: 1, version: m.version, seq: m.seq, key: m.key, files: m.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })) }
}

/** Signs a manifest of `init.files` (any order; sorted here) with the release key `secret`. */
export function createReleaseManifest(secret: SecretKey, init: ReleaseInit): ReleaseManifest {
  const files = init.files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: sha256(f.bytes) })).sort((a, b) => compareBytewise(a.path, b.path))
  const unsigned = unsignedMap({ version: init.version, seq: init.seq, key: getPublicKey(secret), files })
  const sig = sign(secret, signedBytes('wildgrass/release/v1', encodeCanonical(unsigned)))
  return decodeReleaseManifest(encodeCanonical({ ...unsigned, sig }))
}

/** Strict decoding and every rule of releases.md §2, without the signature check. */
export function decodeReleaseManifest(bytes: Uint8Array): ReleaseManifest {
  const map = decodeCanonicalMap(bytes, MAX_RELEASE_MANIFEST_BYTES, 'release manifest')
  expectVersion(map, 1, 'release manifest')
  rejectUnknownFields(map, FIELDS, 'release manifest')
  const key = copyBytes(expectBytes(map.key, PUBLIC_KEY_BYTES, 'E_BAD_KEY', 'key'))
  assertPublicKey(key)
  checkVersion(map.version)
  checkSeq(map.seq)
  const files = checkFiles(map.files)
  const sig = copyBytes(expectBytes(map.sig, SIGNATURE_BYTES, 'E_MALFORMED', 'sig'))
  return Object.freeze({ v: 1, version: map.version, seq: map.seq, key, files: Object.freeze(files), sig, bytes: copyBytes(bytes) })
}

/**
 * Decode, check that the manifest names the pinned release key (E_WRONG_AUTHOR), verify its
 * signature (E_NON_CANONICAL_SIG, E_BAD_SIGNATURE). What a client runs on every manifest it fetches.
 */
export async function openReleaseManifest(bytes: Uint8Array, pinnedKey: Uint8Array): Promise<ReleaseManifest> {
  const manifest = decodeReleaseManifest(bytes)
  if (!equalBytes(manifest.key, pinnedKey)) fail('E_WRONG_AUTHOR', 'release manifest: not signed by the release key this app trusts')
  await verifySignature(manifest.key, signedBytes('wildgrass/release/v1', encodeCanonical(unsignedMap(manifest))), manifest.sig)
  return manifest
}

/** The entry for a path, if the release has that file. */
export function findReleaseFile(manifest: ReleaseManifest, path: string): ReleaseFile | undefined {
  return manifest.files.find((f) => f.path === path)
}

/** Throws E_HASH_MISMATCH unless `bytes` are exactly the file the manifest names (size and SHA-256). */
export function checkReleaseFile(file: ReleaseFile, bytes: Uint8Array): void {
  if (bytes.length !== file.size) fail('E_HASH_MISMATCH', `${file.path}: ${bytes.length} bytes, the release says ${file.size}`)
  if (!equalBytes(sha256(bytes), file.sha256)) fail('E_HASH_MISMATCH', `${file.path}: SHA-256 differs from the release`)
}

/**
 * Whether `next` may replace `installed`, the installed release with the highest number
 * (releases.md §3): 'newer' installs, 'installed' is the same release again. A lower number is a
 * downgrade (a replayed old release) and the same number with other bytes a conflict: both
 * E_DOWNGRADE.
 */
export function checkReleaseOrder(next: ReleaseManifest, installed: ReleaseManifest | undefined): 'newer' | 'installed' {
  if (installed === undefined || next.seq > installed.seq) return 'newer'
  if (next.seq === installed.seq && equalBytes(next.bytes, installed.bytes)) return 'installed'
  return fail('E_DOWNGRADE', `release ${next.seq} is not newer than the installed release ${installed.seq}`)
}

/**
 * 20 decimal digits in four groups of five, for two people to read aloud and compare
 * (releases.md §4): group i is bytes 5i..5i+4 of SHA-256(bytes), big-endian, modulo 100000.
 */
export function fingerprintDigits(bytes: Uint8Array): string {
  const hash = sha256(bytes)
  const groups: string[] = []
  for (let i = 0; i < 4; i++) {
    let n = 0
    for (let j = 0; j < 5; j++) n = n * 256 + hash[5 * i + j]!
    groups.push(String(n % 100000).padStart(5, '0'))
  }
  return groups.join(' ')
}
