// Serving the app from verified releases, cache first (protocol/releases.md §5): a navigation to
// the app gets the index.html of the worker's own release, a file gets its copy from that release
// or, for a page still running the release before, from that one. The origin is asked only for
// what no release holds (e.g. ./relay.json), so a relay cannot swap the code of an installed app
// and a relay that is gone does not stop it from opening.
import { listInstalledReleases, releaseCacheName } from './release-caches.ts'

// The worker decides the content type itself: the origin's headers are not part of the release.
const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  wasm: 'application/wasm',
  svg: 'image/svg+xml',
  png: 'image/png',
  txt: 'text/plain; charset=utf-8',
  cbor: 'application/cbor',
}

/** Headers of a file served from a release: its type, and for the page the framing rules a relay would send. */
export function responseHeadersFor(path: string): Record<string, string> {
  const type = TYPES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream'
  const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' }
  if (path === 'index.html') {
    // the page's own meta CSP covers everything but framing, which only a header can forbid
    headers['Content-Security-Policy'] = "frame-ancestors 'none'"
    headers['X-Frame-Options'] = 'DENY'
  }
  return headers
}

export interface ServeInit {
  readonly scope: string
  readonly seq: number
  /** the pinned release key: only its releases are served */
  readonly key: Uint8Array
  readonly caches: CacheStorage
  readonly fetch: (request: Request) => Promise<Response>
}

/**
 * Whether the worker answers this request: GETs inside its scope. A page that asks for bytes past
 * every cache (`cache: 'no-store'`, e.g. checking a new service worker) reaches the network.
 */
export function isServedFromRelease(request: Request, scope: string): boolean {
  if (request.method !== 'GET' || !request.url.startsWith(scope)) return false
  return request.mode === 'navigate' || request.cache !== 'no-store'
}

export function createReleaseServer(init: ServeInit): { respond(request: Request): Promise<Response>; forget(): void } {
  // cache names to look in, own release first; found again after the worker restarts
  let names: Promise<string[]> | undefined
  const lookIn = (): Promise<string[]> => {
    names ??= listInstalledReleases(init.caches, init.scope, init.key).then(
      (all) => {
        const own = releaseCacheName(init.scope, init.seq)
        return [own, ...all.map((r) => r.cacheName).filter((n) => n !== own)]
      },
      () => [releaseCacheName(init.scope, init.seq)],
    )
    return names
  }
  return {
    async respond(request) {
      const path = request.url.slice(init.scope.length).split(/[?#]/)[0] ?? ''
      const page = request.mode === 'navigate' && (path === '' || path === 'index.html')
      const key = new URL(page ? 'index.html' : path, init.scope).href
      for (const name of await lookIn()) {
        // match with cacheName opens no cache that does not exist (open would create it)
        const hit = await init.caches.match(key, { cacheName: name })
        if (hit !== undefined) return hit
        // a navigation gets the page of the worker's own release, never an older one
        if (page) break
      }
      return init.fetch(request)
    },
    forget() {
      names = undefined
    },
  }
}
