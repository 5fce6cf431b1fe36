// The first visit does not pay twice: the service worker's precache starts once the first screen
// is usable and takes the hashed files the page already downloaded from the HTTP cache (they are
// immutable), so its bytes on the wire are only what the page did not load. Bytes are Chromium's
// Network.loadingFinished encodedDataLength (Playwright's request.sizes()), headers included.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPerson, launchBrowser, useAppWorld, waitReady } from '../support/app-e2e.ts'
import { waitForInstalledRelease } from '../support/app-release.ts'
import { decodeReleaseManifest } from '../../src/core/release-manifest.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'

const world = useAppWorld()
let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

it('the precache takes the hashed files the page loaded from the HTTP cache: no byte twice', async () => {
  const p = await createPerson(browser, 'en', { serviceWorkers: 'allow' })
  const rows: Array<{ by: 'page' | 'worker'; path: string; bytes: number }> = []
  const sizes: Promise<void>[] = []
  p.context.on('requestfinished', (r) => {
    sizes.push(r.sizes().then((s) => {
      rows.push({ by: r.serviceWorker() ? 'worker' : 'page', path: r.url().slice(world.relay.ready.http.length), bytes: s.responseHeadersSize + s.responseBodySize })
    }))
  })
  await p.page.goto(world.relay.ready.http)
  await waitForInstalledRelease(p.page, decodeReleaseManifest(readFileSync(join(world.appDir, 'release.cbor'))).seq)
  await waitReady(p).catch(() => undefined)
  await Promise.all(sizes)
  const sum = (list: typeof rows) => list.reduce((n, r) => n + r.bytes, 0)
  const page = rows.filter((r) => r.by === 'page')
  const worker = rows.filter((r) => r.by === 'worker')
  const pageHashed = new Set(page.filter((r) => r.path.startsWith('assets/') && r.bytes > 0).map((r) => r.path))
  const twice = worker.filter((r) => pageHashed.has(r.path) && r.bytes > 0)
  console.log(`first visit, relay process on loopback: page ${sum(page)} bytes in ${page.length} requests, worker ${sum(worker)} bytes in ${worker.length} requests`)
  for (const r of worker) console.log(`  worker ${r.path || '(navigation)'}: ${r.bytes}`)
  expect(pageHashed.size).toBeGreaterThan(0)
  expect(twice).toEqual([])
  // the worker asked for the hashed files too; they came from the HTTP cache
  expect(worker.filter((r) => pageHashed.has(r.path)).length).toBe(pageHashed.size)
})
