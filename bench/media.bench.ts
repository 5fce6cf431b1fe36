// Media benchmark: the on-device photo pipeline (src/app/lib/image-encode.ts) in Chromium.
// Vite builds bench/media/page.html (a production bundle, like the app's), a small HTTP server
// serves it, playwright-core drives Debian's chromium (as bench/store/chromium.ts does).
// - media.reencode_ms.12mp: a 4000×3000 JPEG made in the page → the post's JPEG (long edge
//   2048, ≤ 1 MiB), its thumbnail and blurhash; median of 5 runs.
// - media.post_kb.4images: bytes of four such re-encoded photos (four different pictures) plus
//   their thumbnails, in KB: what a four-photo post costs to send.
// Prints and records figures; asserts nothing. Run: ./node_modules/.bin/node bench/media.bench.ts
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright-core'
import { build } from 'vite'
import { chromiumArgs, chromiumPath } from '../test/support/chromium.ts'
import { printTable, recordResults } from './lib/results.ts'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' }

const outDir = mkdtempSync(join(tmpdir(), 'wildgrass-media-bench-'))
await build({
  root: new URL('media/', import.meta.url).pathname,
  configFile: false,
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, target: 'es2023', rollupOptions: { input: new URL('media/page.html', import.meta.url).pathname } },
})
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname
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
  await page.waitForFunction(() => 'runMediaBench' in window, undefined, { timeout: 60_000 })
  const { input_kb_avg, image_kb_avg, ...figures } = await page.evaluate(() =>
    (window as unknown as { runMediaBench(): Promise<Record<string, number>> }).runMediaBench(),
  )
  recordResults(figures)
  printTable({ 'input_kb_avg (not recorded)': input_kb_avg!, 'image_kb_avg (not recorded)': image_kb_avg! })
} finally {
  await browser.close()
  server.close()
  rmSync(outDir, { recursive: true, force: true })
}
