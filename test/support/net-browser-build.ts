// Builds net-browser-entry.ts for Chromium with Vite's build API into a temp dir and serves it
// with a tiny node:http server (self-contained: the app's own vite.config.ts is not used).
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

export interface BrowserBundle {
  url: string
  close(): Promise<void>
}

export async function buildAndServeNetBundle(): Promise<BrowserBundle> {
  const outDir = await mkdtemp(join(tmpdir(), 'wg-net-browser-'))
  await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      lib: { entry: fileURLToPath(new URL('./net-browser-entry.ts', import.meta.url)), formats: ['es'], fileName: () => 'bundle.js' },
    },
  })
  const bundle = await readFile(join(outDir, 'bundle.js'))
  const html = '<!doctype html><meta charset="utf-8"><title>wg net test</title><script type="module" src="/bundle.js"></script>'
  const server: Server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      res.end(bundle)
    } else {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(html)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
