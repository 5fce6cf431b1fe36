// The Chromium half of the store benchmark: Vite builds bench/store/page.html (a production
// bundle, like the app's), a small HTTP server serves it with the fixture, and playwright-core
// drives Debian's chromium (docs/architecture.md "Platform facts the code relies on"). The page ingests the fixture into real IndexedDB,
// closes, reopens and reads the first page of the home timeline.
import { createReadStream, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { build } from 'vite'
import { chromium } from 'playwright-core'
import { toHex } from '../../src/core/bytes.ts'
import { chromiumArgs, chromiumPath } from '../../test/support/chromium.ts'
import type { Fixture } from './fixture.ts'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }

export async function measureChromium(fixture: Fixture): Promise<Record<string, number>> {
  const outDir = mkdtempSync(join(tmpdir(), 'wildgrass-store-bench-'))
  await build({
    root: new URL('.', import.meta.url).pathname,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2023',
      chunkSizeWarningLimit: 8192,
      rollupOptions: { input: new URL('page.html', import.meta.url).pathname },
    },
  })
  const fixtureBytes = readFileSync(fixture.file)
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/__fixture.bin') {
      res.setHeader('content-type', 'application/octet-stream')
      res.end(fixtureBytes)
      return
    }
    const file = join(outDir, normalize(path === '/' ? '/page.html' : path))
    if (!file.startsWith(outDir)) return void res.writeHead(403).end()
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    createReadStream(file)
      .on('error', () => res.writeHead(404).end())
      .pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
  try {
    const page = await browser.newPage()
    page.on('console', (m) => console.log(`[chromium] ${m.text()}`))
    await page.goto(`http://127.0.0.1:${port}/page.html`)
    await page.waitForFunction(() => 'runStoreBench' in window, undefined, { timeout: 60_000 })
    return await page.evaluate(
      ([me, follows]) => (window as unknown as { runStoreBench(me: string, follows: string[]): Promise<Record<string, number>> }).runStoreBench(me, follows),
      [toHex(fixture.me), fixture.follows] as const,
    )
  } finally {
    await browser.close()
    server.close()
    rmSync(outDir, { recursive: true, force: true })
  }
}
