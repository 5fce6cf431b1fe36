// A benchmark page in Chromium: Vite builds `page.html` of a folder (a production bundle, like
// the app's), a small HTTP server on loopback serves it (plus any extra files), playwright-core
// drives Debian's chromium (docs/architecture.md "Platform facts the code relies on"); `run`
// gets the page once it loaded, and everything is torn down after.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { chromiumArgs, chromiumPath } from '../../test/support/chromium.ts'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }

export async function withBenchPage<T>(folder: URL, options: { files?: Record<string, Uint8Array> }, run: (page: Page) => Promise<T>): Promise<T> {
  const outDir = mkdtempSync(join(tmpdir(), 'wildgrass-bench-page-'))
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const extra = options.files?.[path]
    if (extra !== undefined) {
      res.setHeader('content-type', 'application/octet-stream')
      return void res.end(extra)
    }
    const file = join(outDir, normalize(path === '/' ? '/page.html' : path))
    if (!file.startsWith(outDir)) return void res.writeHead(403).end()
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    createReadStream(file)
      .on('error', () => res.writeHead(404).end())
      .pipe(res)
  })
  try {
    await build({
      root: folder.pathname,
      configFile: false,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2023', chunkSizeWarningLimit: 8192, rollupOptions: { input: new URL('page.html', folder).pathname } },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
    try {
      const page = await browser.newPage()
      page.on('console', (m) => console.log(`[chromium] ${m.text()}`))
      await page.goto(`http://127.0.0.1:${port}/page.html`)
      return await run(page)
    } finally {
      await browser.close()
    }
  } finally {
    server.close()
    rmSync(outDir, { recursive: true, force: true })
  }
}
