// Serving the built PWA (dist/) so every relay is also a mirror of the app. Only regular
// files under the app directory are served: no directory listings, no dotfiles, no escaping
// the root (`..`, encoded or not, and symlinks out). A file built with precompressed
// siblings (`<file>.br`, `<file>.gz`) is sent in the best encoding the client accepts
// (content-encoding.ts), each encoding its own representation with its own length and ETag.
import { createReadStream, realpathSync, statSync, type Stats } from 'node:fs'
import { extname, join, sep } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { chooseEncoding, type Encoding } from './content-encoding.ts'

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
}

/**
 * The policy the app is built for: scripts only from this origin (plus wasm compilation for
 * Automerge), no inline script, no plugins, no framing. connect-src: this origin (relay.json)
 * and WebSockets to any relay, since relays are chosen by the user; a relay serving over TLS
 * sends `wss:` only (a page on https cannot open ws: anyway, and says so in the policy).
 * WebRTC (browser to browser, and WebRTC-direct to relays) is not governed by connect-src.
 */
export function contentSecurityPolicy(options: { secure: boolean } = { secure: false }): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    options.secure ? "connect-src 'self' wss:" : "connect-src 'self' ws: wss:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Vite's content-hashed output (`assets/name-<hash>.js`): safe to cache forever. */
const HASHED = /^\/assets\/.+[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

/** Precompressed siblings, best first when the client weighs them equally. */
const SIBLINGS: ReadonlyArray<{ encoding: Encoding; suffix: string }> = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
]

export interface StaticFiles {
  /** Serve the request if it names a file of the app; false if not found (caller answers 404). */
  serve(req: IncomingMessage, res: ServerResponse): boolean
}

interface Representation {
  readonly path: string
  readonly stat: Stats
  readonly encoding: Encoding | 'identity'
}

export function createStaticFiles(appDir: string): StaticFiles {
  let root: string | undefined
  function getRoot(): string | undefined {
    // Resolved lazily: dist/ may be built after the relay starts (a developer may rebuild).
    if (root === undefined) {
      try {
        root = realpathSync(appDir)
      } catch {
        return undefined
      }
    }
    return root
  }

  /** The file itself and its precompressed siblings, each checked to stay inside the root. */
  function findRepresentations(base: string, file: string, stat: Stats): Representation[] | undefined {
    const real = realInside(base, file)
    if (real === undefined) return undefined
    const found: Representation[] = [{ path: real, stat, encoding: 'identity' }]
    for (const { encoding, suffix } of SIBLINGS) {
      const sibling = statOrUndefined(file + suffix)
      const siblingReal = sibling?.isFile() === true ? realInside(base, file + suffix) : undefined
      if (sibling !== undefined && siblingReal !== undefined) found.push({ path: siblingReal, stat: sibling, encoding })
    }
    return found
  }

  return {
    serve(req, res) {
      const base = getRoot()
      if (base === undefined) return false
      const path = resolveRequestPath(req.url ?? '/')
      if (path === undefined) return false
      let file = join(base, path)
      let stat = statOrUndefined(file)
      if (stat?.isDirectory()) {
        file = join(file, 'index.html')
        stat = statOrUndefined(file)
      }
      if (stat === undefined || !stat.isFile()) return false
      const representations = findRepresentations(base, file, stat)
      if (representations === undefined) return false

      const available = representations.map((r) => r.encoding)
      const encoding = chooseEncoding(req.headers['accept-encoding'], available)
      if (encoding === undefined) {
        res
          .writeHead(406, { 'Content-Type': 'text/plain; charset=utf-8', Vary: 'Accept-Encoding', 'Cache-Control': 'no-store' })
          .end('no acceptable encoding\n')
        return true
      }
      const chosen = representations.find((r) => r.encoding === encoding)!
      const urlPath = file.slice(base.length).split(sep).join('/')
      const etag = entityTag(chosen)
      res.setHeader('Content-Type', MIME[extname(file).toLowerCase()] ?? 'application/octet-stream')
      res.setHeader('Cache-Control', HASHED.test(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache')
      res.setHeader('ETag', etag)
      res.setHeader('Last-Modified', chosen.stat.mtime.toUTCString())
      // every response of a resource that has variants names what it varies on, the
      // uncompressed one included, or a shared cache could hand gzip to a client without it
      if (representations.length > 1) res.setHeader('Vary', 'Accept-Encoding')
      if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding)
      if (isNotModified(req, etag, chosen.stat)) {
        res.statusCode = 304
        res.end()
        return true
      }
      res.statusCode = 200
      res.setHeader('Content-Length', chosen.stat.size)
      if (req.method === 'HEAD') {
        res.end()
        return true
      }
      const stream = createReadStream(chosen.path)
      stream.on('error', () => res.destroy())
      stream.pipe(res)
      return true
    },
  }
}

/** A strong validator per representation: size and mtime of the file sent, and its encoding. */
function entityTag(r: Representation): string {
  const suffix = r.encoding === 'identity' ? '' : `-${r.encoding}`
  return `"${r.stat.size.toString(36)}-${Math.floor(r.stat.mtimeMs).toString(36)}${suffix}"`
}

function isNotModified(req: IncomingMessage, etag: string, stat: Stats): boolean {
  const ifNoneMatch = req.headers['if-none-match']
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
  }
  const since = req.headers['if-modified-since']
  if (since === undefined) return false
  const time = Date.parse(since)
  return Number.isFinite(time) && Math.floor(stat.mtimeMs / 1000) * 1000 <= time
}

/** The real path of `file` if it lies inside `base` (a symlink inside dist/ must not lead outside it). */
function realInside(base: string, file: string): string | undefined {
  try {
    const real = realpathSync(file)
    return real === base || real.startsWith(base + sep) ? real : undefined
  } catch {
    return undefined
  }
}

/**
 * The decoded path of a request URL, or undefined if it is unsafe: encoded slashes or
 * backslashes, NUL, `..` or `.` segments, dotfiles (except /.well-known).
 */
export function resolveRequestPath(url: string): string | undefined {
  const q = url.search(/[?#]/)
  const raw = q === -1 ? url : url.slice(0, q)
  if (!raw.startsWith('/')) return undefined
  if (/%2f|%5c|%00/i.test(raw)) return undefined
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return undefined
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return undefined
  const segments = decoded.split('/').slice(1)
  for (const s of segments) {
    if (s === '..' || s === '.') return undefined
    if (s.startsWith('.') && s !== '.well-known') return undefined
  }
  return decoded
}

function statOrUndefined(path: string) {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}
