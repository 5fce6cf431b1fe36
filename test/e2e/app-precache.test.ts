// The first visit does not pay twice: the service worker is registered once the page has loaded
// the engine behind the welcome screen, and its precache asks for the content-hashed files with
// `force-cache`, so a file the page already downloaded comes from the HTTP cache. Measured on
// loopback and through a shared slow link (8 Mbit/s, 150 ms), where the worker must not start
// before the engine has crossed it. Bytes per request are Chromium's Network.loadingFinished encodedDataLength
// (Playwright's request.sizes(), headers included: 0 when answered from a cache).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createPerson, launchBrowser, useAppWorld } from '../support/app-e2e.ts'
import { waitForInstalledRelease } from '../support/app-release.ts'
import { startThrottledProxy, type ThrottledProxy } from '../support/throttled-proxy.ts'
import { decodeReleaseManifest, type ReleaseManifest } from '../../src/core/release-manifest.ts'
import type { Browser } from 'playwright-core'

const world = useAppWorld()
let browser: Browser
let manifest: ReleaseManifest
let proxy: ThrottledProxy | undefined

beforeAll(async () => {
  browser = world.browser ?? (await launchBrowser())
  manifest = decodeReleaseManifest(readFileSync(join(world.appDir, 'release.cbor')))
})
afterAll(async () => {
  await proxy?.close()
})

interface Transfer {
  readonly by: 'page' | 'worker'
  readonly path: string
  readonly bytes: number
}

/** A first visit from `url` until the worker holds the release; every request with its bytes on the wire. */
async function firstVisit(url: string): Promise<Transfer[]> {
  const p = await createPerson(browser, 'en', { serviceWorkers: 'allow' })
  const rows: Transfer[] = []
  const sizes: Promise<void>[] = []
  p.context.on('requestfinished', (r) => {
    sizes.push(
      r.sizes().then((s) => {
        rows.push({ by: r.serviceWorker() ? 'worker' : 'page', path: r.url().slice(url.length), bytes: s.responseHeadersSize + s.responseBodySize })
      }),
    )
  })
  await p.page.goto(url)
  await waitForInstalledRelease(p.page, manifest.seq, 120_000)
  // the page's own loads (the wiring, the wasm) may still be running: wait for the start screen
  await p.page.getByRole('button', { name: p.t('onboard.create'), exact: true }).waitFor({ timeout: 120_000 })
  await Promise.all(sizes)
  await p.context.close()
  return rows
}

function report(label: string, rows: readonly Transfer[]): void {
  const sum = (by: Transfer['by']) => rows.filter((r) => r.by === by).reduce((n, r) => n + r.bytes, 0)
  console.log(`${label}: page ${sum('page')} bytes, worker ${sum('worker')} bytes on the wire`)
  for (const r of rows.filter((x) => x.bytes > 0)) console.log(`  ${r.by} ${r.path || '(navigation)'}: ${r.bytes}`)
}

/** Content-hashed files that crossed the wire more than once (page and worker together). */
function hashedTwice(rows: readonly Transfer[]): string[] {
  const seen = new Map<string, number>()
  for (const r of rows) if (r.path.startsWith('assets/') && r.bytes > 0) seen.set(r.path, (seen.get(r.path) ?? 0) + 1)
  return [...seen].filter(([, n]) => n > 1).map(([path]) => path)
}

it('on loopback: the hashed files the page loaded reach the worker from the HTTP cache', async () => {
  const rows = await firstVisit(world.relay.ready.http)
  report('first visit, relay on loopback', rows)
  const pageHashed = new Set(rows.filter((r) => r.by === 'page' && r.path.startsWith('assets/') && r.bytes > 0).map((r) => r.path))
  expect(pageHashed.size).toBeGreaterThan(0)
  // the worker asked for each of them, and got it at 0 bytes
  expect(rows.filter((r) => r.by === 'worker' && pageHashed.has(r.path)).map((r) => r.bytes)).toEqual([...pageHashed].map(() => 0))
  expect(hashedTwice(rows)).toEqual([])
})

it('through a shared slow link: the worker starts after the engine crossed it, no hashed file crosses it twice, the visit carries the release about once', async () => {
  proxy = await startThrottledProxy(new URL(world.relay.ready.http), { downBitsPerSecond: 8e6, rttMs: 150 })
  const base = new URL(proxy.url).pathname
  const rows = await firstVisit(proxy.url)
  report('first visit through 8 Mbit/s, 150 ms', rows)
  // what the link carried, whoever asked (Playwright does not report every request of a worker).
  // A request sent on a kept-alive connection just as the relay closed it for being idle is
  // never answered, and the browser sends it again on a new connection: one download, not two
  // (a busy machine stretches the visit past the relay's keep-alive timeout).
  const overLink = proxy.requests().map((r) => decodeURIComponent(r.slice(base.length)))
  console.log(`over the link: ${overLink.join(' ')}`)
  console.log(`asked again after the relay closed an idle connection: ${proxy.unanswered().join(' ') || 'none'}`)
  const hashed = overLink.filter((path) => path.startsWith('assets/'))
  expect(hashed.length).toBeGreaterThan(0)
  expect(hashed.filter((path, i) => hashed.indexOf(path) !== i)).toEqual([])
  // every file of the release is on the device, and the wasm, its largest, crossed once
  expect(overLink.filter((path) => path.endsWith('.wasm'))).toHaveLength(1)
  // the worker's script is asked for after the wasm, which the page needs before home
  expect(overLink.indexOf('sw.js')).toBeGreaterThan(overLink.findIndex((path) => path.endsWith('.wasm')))
  // every byte the link carried: the release's files once, plus headers (and the small,
  // revalidated index.html twice), not a second copy of anything
  const releaseBytes = manifest.files.reduce((n, f) => n + f.size, 0)
  console.log(`link carried ${proxy.bytesDown()} bytes in ${overLink.length} requests; the release's files are ${releaseBytes} bytes`)
  expect(proxy.bytesDown()).toBeLessThan(releaseBytes + overLink.length * 1024 + 8 * 1024)
})
