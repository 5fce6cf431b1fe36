// A plain static file server for the built app under an arbitrary sub-path (any static host,
// any path: the build uses relative URLs), over http or, given a certificate, https. Test-only:
// no caching headers, no CSP header (the app's own meta CSP applies), nothing but files.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import type { AddressInfo } from 'node:net'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

export async function serveStatic(
  dir: string,
  prefix: string,
  options: { tls?: { cert: string; key: string; host: string } } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')
    if (!path.startsWith(prefix)) return void res.writeHead(404).end()
    let rel = path.slice(prefix.length)
    if (rel === '' || rel.endsWith('/')) rel += 'index.html'
    rel = normalize(rel).replace(/^(\.\.[/\\])+/, '')
    readFile(join(dir, rel)).then(
      (body) => res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    )
  }
  const tls = options.tls
  const server: Server = tls === undefined ? createServer(handler) : createHttpsServer({ cert: tls.cert, key: tls.key }, handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = tls === undefined ? `http://127.0.0.1:${port}` : `https://${tls.host}:${port}`
  return {
    url: `${origin}${prefix}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
