// Installing a release (protocol/releases.md §3): fetch the manifest past every cache, open it
// with the pinned release key, refuse anything not newer than what is installed, then fetch and
// hash every file, and only when all of them match write the manifest that makes the release
// count. Any refusal leaves the installed releases as they were.
import { concatBytes, toHex } from '../../core/bytes.ts'
import { isWildgrassError } from '../../core/errors.ts'
import {
  checkReleaseFile,
  checkReleaseOrder,
  MAX_RELEASE_MANIFEST_BYTES,
  openReleaseManifest,
  type ReleaseFile,
  type ReleaseManifest,
} from '../../core/release-manifest.ts'
import { listInstalledReleases, MANIFEST_PATH, releaseCacheName, type InstalledRelease } from './release-caches.ts'
import type { Refusal } from './release-messages.ts'
import { responseHeadersFor } from './release-serve.ts'

export interface InstallInit {
  /** the registration's scope, ending in `/`: the app's base URL */
  readonly scope: string
  /** the release public key the worker was built with */
  readonly key: Uint8Array
  /** the release the worker was built for: it installs that one and no other */
  readonly seq: number
  readonly caches: CacheStorage
  readonly fetch: (input: string, init?: RequestInit) => Promise<Response>
}

/** The origin served something that is not the signed release: say so, keep what runs. */
export class ReleaseRefused extends Error {
  readonly refusal: Refusal
  constructor(refusal: Refusal) {
    super(`release refused: ${refusal.code}${refusal.path ? ` (${refusal.path})` : ''}`)
    this.name = 'ReleaseRefused'
    this.refusal = refusal
  }
}

/** The origin could not be reached or answered with an HTTP error: nothing to warn about; try later. */
export class ReleaseUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ReleaseUnavailable'
  }
}

const WORKER_PATH = 'sw.js'
// Vite's content-hashed output never changes under one name: the copy the page already has in
// the HTTP cache is the one to hash first, so a first visit does not download it twice.
const HASHED = /^assets\/.+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/

export async function installRelease(init: InstallInit): Promise<ReleaseManifest> {
  const bytes = await fetchManifest(init)
  const installed = await listInstalledReleases(init.caches, init.scope, init.key)
  const newest = installed[0]?.manifest
  const was = newest ? { installed: newest.seq } : {}
  const manifest = await openReleaseManifest(bytes, init.key).catch((error: unknown) => {
    throw isWildgrassError(error) ? new ReleaseRefused({ code: error.code, ...was }) : error
  })
  let order: 'newer' | 'installed'
  try {
    order = checkReleaseOrder(manifest, newest)
  } catch {
    throw new ReleaseRefused({ code: 'E_DOWNGRADE', offered: manifest.seq, ...was })
  }
  // this worker's own bytes are not the sw.js of that manifest (they name another release)
  if (manifest.seq !== init.seq) throw new ReleaseRefused({ code: 'E_HASH_MISMATCH', path: 'sw.js', ...was })
  if (order === 'installed') return manifest

  const cacheName = releaseCacheName(init.scope, manifest.seq)
  await init.caches.delete(cacheName) // what an interrupted attempt left
  const cache = await init.caches.open(cacheName)
  try {
    const known = indexKnownFiles(installed)
    for (const file of manifest.files) {
      // the running script itself: the browser installed it, no fetch here could vouch for it,
      // and a page that watches a new worker compares it (releases.md §7)
      if (file.path === WORKER_PATH) continue
      const body = (await fromInstalled(init, known, file)) ?? (await download(init, file, newest?.seq))
      await cache.put(new URL(file.path, init.scope).href, new Response(body, { headers: responseHeadersFor(file.path) }))
    }
    await cache.put(
      new URL(MANIFEST_PATH, init.scope).href,
      new Response(manifest.bytes as Uint8Array<ArrayBuffer>, { headers: responseHeadersFor(MANIFEST_PATH) }),
    )
  } catch (error) {
    await init.caches.delete(cacheName)
    throw error
  }
  return manifest
}

async function fetchManifest(init: InstallInit): Promise<Uint8Array> {
  const url = new URL(MANIFEST_PATH, init.scope).href
  let response: Response
  try {
    response = await init.fetch(url, { cache: 'no-store' })
  } catch (cause) {
    throw new ReleaseUnavailable(`${MANIFEST_PATH}: not reachable`, { cause })
  }
  if (!response.ok) throw new ReleaseUnavailable(`${MANIFEST_PATH}: HTTP ${response.status}`)
  // one byte more than the limit, so that decodeReleaseManifest names the oversize
  return readAtMost(response, MAX_RELEASE_MANIFEST_BYTES + 1)
}

/** SHA-256 (hex) → where an installed release holds a file with those bytes. */
type KnownFiles = Map<string, { readonly cacheName: string; readonly path: string }>

function indexKnownFiles(installed: readonly InstalledRelease[]): KnownFiles {
  const known: KnownFiles = new Map()
  for (const release of installed) {
    for (const file of release.manifest.files) {
      const id = toHex(file.sha256)
      if (!known.has(id)) known.set(id, { cacheName: release.cacheName, path: file.path })
    }
  }
  return known
}

/** The bytes of an unchanged file, from an installed release (checked again: caches are only storage). */
async function fromInstalled(init: InstallInit, known: KnownFiles, file: ReleaseFile): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const hit = known.get(toHex(file.sha256))
  if (hit === undefined) return undefined
  const response = await (await init.caches.open(hit.cacheName)).match(new URL(hit.path, init.scope).href)
  if (response === undefined) return undefined
  const bytes = new Uint8Array(await response.arrayBuffer())
  try {
    checkReleaseFile(file, bytes)
    return bytes
  } catch {
    return undefined
  }
}

async function download(init: InstallInit, file: ReleaseFile, installed: number | undefined): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(file.path, init.scope).href
  // no-cache: revalidated, so a stale copy of index.html in the HTTP cache is not taken
  const modes: RequestCache[] = HASHED.test(file.path) ? ['force-cache', 'reload'] : ['no-cache']
  for (const mode of modes) {
    const bytes = await fetchFile(init, url, file, mode)
    if (bytes === undefined) continue
    try {
      checkReleaseFile(file, bytes)
      return bytes
    } catch {
      // a wrong copy in the HTTP cache is tried again from the network; from the network it is refused
    }
  }
  throw new ReleaseRefused({ code: 'E_HASH_MISMATCH', path: file.path, ...(installed === undefined ? {} : { installed }) })
}

/**
 * The body, read up to one byte past the size the manifest names; undefined when the origin
 * answers that it has no such file (a 4xx: what it serves is not the release).
 */
async function fetchFile(init: InstallInit, url: string, file: ReleaseFile, cache: RequestCache): Promise<Uint8Array<ArrayBuffer> | undefined> {
  let response: Response
  try {
    response = await init.fetch(url, { cache })
  } catch (cause) {
    throw new ReleaseUnavailable(`${file.path}: not reachable`, { cause })
  }
  // an overloaded or failing server is not a modified app: no warning, try again later
  if (response.status >= 500 || response.status === 429) throw new ReleaseUnavailable(`${file.path}: HTTP ${response.status}`)
  if (!response.ok) return undefined
  return readAtMost(response, file.size + 1)
}

/** At most `limit` bytes of the body: a relay cannot make the worker hold an endless file. */
export async function readAtMost(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader()
  if (reader === undefined) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let length = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const room = limit - length
      chunks.push(value.length > room ? value.subarray(0, room) : value)
      length += Math.min(value.length, room)
      if (length >= limit) {
        await reader.cancel().catch(() => undefined)
        break
      }
    }
  } catch (cause) {
    throw new ReleaseUnavailable('the connection broke while reading', { cause })
  }
  return concatBytes(...chunks) as Uint8Array<ArrayBuffer>
}
