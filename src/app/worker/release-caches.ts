// Where verified releases live: one Cache Storage cache per release, holding every file of its
// manifest under its URL and, written last, the manifest itself under `release.cbor`, so a cache
// without that entry is an unfinished install and never counts (protocol/releases.md §5).
import { decodeReleaseManifest, fingerprintDigits, type ReleaseManifest } from '../../core/release-manifest.ts'
import type { Refusal, ReleaseSummary } from './release-messages.ts'

export const MANIFEST_PATH = 'release.cbor'
const PREFIX = 'wildgrass-release '
const STATE = 'wildgrass-state '

export interface InstalledRelease {
  readonly cacheName: string
  readonly manifest: ReleaseManifest
}

/** One cache per (scope, release): two copies of the app on one origin keep apart. */
export function releaseCacheName(scope: string, seq: number): string {
  return `${PREFIX}${seq} ${scope}`
}

function seqOfCacheName(scope: string, name: string): number | undefined {
  if (!name.startsWith(PREFIX) || !name.endsWith(` ${scope}`)) return undefined
  const seq = Number(name.slice(PREFIX.length, name.length - scope.length - 1))
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined
}

/**
 * Complete releases of this scope, newest first. Their manifests were opened with the pinned
 * key before they were written, so here they are only decoded.
 */
export async function listInstalledReleases(caches: CacheStorage, scope: string): Promise<InstalledRelease[]> {
  const found: InstalledRelease[] = []
  for (const cacheName of await caches.keys()) {
    const seq = seqOfCacheName(scope, cacheName)
    if (seq === undefined) continue
    const response = await caches.match(new URL(MANIFEST_PATH, scope).href, { cacheName })
    if (response === undefined) continue
    try {
      const manifest = decodeReleaseManifest(new Uint8Array(await response.arrayBuffer()))
      if (manifest.seq === seq) found.push({ cacheName, manifest })
    } catch {
      // not readable: treated as not installed, and pruned at the next activation
    }
  }
  return found.sort((a, b) => b.manifest.seq - a.manifest.seq)
}

/**
 * Keeps the worker's own release and the newest one before it (pages still running it load
 * their hashed chunks from there), and anything newer (a newer worker may be installing it);
 * deletes every other release cache of this scope, unfinished ones included, and the precache
 * of the Workbox worker this one replaced.
 */
export async function pruneReleases(caches: CacheStorage, scope: string, ownSeq: number): Promise<void> {
  const complete = await listInstalledReleases(caches, scope)
  const previous = complete.find((r) => r.manifest.seq < ownSeq)
  for (const name of await caches.keys()) {
    const seq = seqOfCacheName(scope, name)
    const old = seq !== undefined && seq < ownSeq && name !== previous?.cacheName
    if (old || name.startsWith('workbox-precache')) await caches.delete(name)
  }
}

export function summarize(manifest: ReleaseManifest): ReleaseSummary {
  return { seq: manifest.seq, version: manifest.version, fingerprint: fingerprintDigits(manifest.bytes) }
}

const refusalUrl = (scope: string): string => new URL('wildgrass-state/refusal', scope).href

/** The last refused release, kept so that pages opened later are told too. */
export async function saveRefusal(caches: CacheStorage, scope: string, refusal: Refusal | undefined): Promise<void> {
  const cache = await caches.open(STATE + scope)
  if (refusal === undefined) await cache.delete(refusalUrl(scope))
  else await cache.put(refusalUrl(scope), new Response(JSON.stringify(refusal), { headers: { 'Content-Type': 'application/json' } }))
}

export async function loadRefusal(caches: CacheStorage, scope: string): Promise<Refusal | undefined> {
  const response = await caches.match(refusalUrl(scope), { cacheName: STATE + scope })
  if (response === undefined) return undefined
  try {
    const value = (await response.json()) as Partial<Refusal>
    if (typeof value.code !== 'string') return undefined
    return {
      code: value.code,
      ...(typeof value.path === 'string' ? { path: value.path } : {}),
      ...(typeof value.offered === 'number' ? { offered: value.offered } : {}),
      ...(typeof value.installed === 'number' ? { installed: value.installed } : {}),
    }
  } catch {
    return undefined
  }
}
