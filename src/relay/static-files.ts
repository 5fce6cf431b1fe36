// Serving the built PWA (dist/) so every relay is also a mirror of the app (DESIGN.md
// "Network"). Only regular files under the app directory are served: no directory
// listings, no dotfiles, no escaping the root (`..`, encoded or not, and symlinks out).
import { createReadStream, realpathSync, statSync } from 'node:fs'
import { extname, join, sep } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'

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
 * Automerge), no inline script, no plugins, no framing; connect-src allows WebSockets to any
 * relay, since relays are chosen by the user. WebRTC is not governed by connect-src.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Vite's content-hashed output (`assets/name-<hash>.js`): safe to cache forever. */
const HASHED = /^\/assets\/.+[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

export interface StaticFiles {
  /** Serve the request if it names a file of the app; false if not found (caller answers 404). */
  serve(req: IncomingMessage, res: ServerResponse): boolean
}

export function createStaticFiles(appDir: string): StaticFiles {
  let root: string | undefined
  function getRoot(): string | undefined {
    // Resolved lazily: dist/ may be built after the relay starts (npm start builds first, but a dev may rebuild).
    if (root === undefined) {
      try {
        root = realpathSync(appDir)
      } catch {
        return undefined
      }
    }
    return root
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
      // A symlink inside dist/ must not lead outside it.
      let real: string
      try {
        real = realpathSync(file)
      } catch {
        return false
      }
      if (real !== base && !real.startsWith(base + sep)) return false

      const urlPath = file.slice(base.length).split(sep).join('/')
      res.statusCode = 200
      res.setHeader('Content-Type', MIME[extname(file).toLowerCase()] ?? 'application/octet-stream')
      res.setHeader('Content-Length', stat.size)
      res.setHeader('Cache-Control', HASHED.test(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache')
      res.setHeader('Last-Modified', stat.mtime.toUTCString())
      if (req.method === 'HEAD') {
        res.end()
        return true
      }
      const stream = createReadStream(real)
      stream.on('error', () => res.destroy())
      stream.pipe(res)
      return true
    },
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
