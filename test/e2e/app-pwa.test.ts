// The PWA side: served from a sub-path of a plain static host (relative paths), a manifest
// with icons, our service worker holding the whole signed release (the Automerge wasm
// included), and the app opening, reading and posting with no network at all.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeReleaseManifest } from '../../src/core/release-manifest.ts'
import { chromiumArgs, chromiumPath } from '../support/chromium.ts'
import { serveStatic } from '../support/app-static-server.ts'
import { buildApp, compose, createPerson, go, launchBrowser, onboard, postLocator, waitForPost, waitReady, type Person } from '../support/app-e2e.ts'

let build: ReturnType<typeof buildApp>
let server: Awaited<ReturnType<typeof serveStatic>>
let browser: Browser
let p: Person

beforeAll(async () => {
  build = buildApp()
  server = await serveStatic(build.dir, '/mirror/野草/')
  browser = await launchBrowser()
  p = await createPerson(browser, 'zh-Hans', { serviceWorkers: 'allow' })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  build?.cleanup()
})

it('runs from a sub-path of a static host, with a manifest and icons that resolve there', async () => {
  await p.page.goto(server.url)
  await p.page.getByRole('button', { name: p.t('onboard.create'), exact: true }).waitFor()
  const manifest = await p.page.evaluate(async () => {
    const href = (document.querySelector('link[rel=manifest]') as HTMLLinkElement).href
    const body = (await (await fetch(href)).json()) as { start_url: string; scope: string; display: string; icons: Array<{ src: string; sizes: string }> }
    const icons = await Promise.all(body.icons.map(async (i) => (await fetch(new URL(i.src, href))).status))
    return { href, body, icons }
  })
  expect(manifest.href).toContain('/mirror/')
  expect(manifest.body.display).toBe('standalone')
  expect(manifest.body.icons.some((i) => i.sizes === '512x512')).toBe(true)
  expect(manifest.icons.every((s) => s === 200)).toBe(true)
})

it('registers a service worker that holds every file of the signed release, the wasm included', async () => {
  const cached = await p.page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready
    const keys = await caches.keys()
    const urls: string[] = []
    for (const k of keys) for (const r of await (await caches.open(k)).keys()) urls.push(r.url)
    return { scope: reg.scope, urls }
  })
  expect(cached.scope).toContain('/mirror/')
  const manifest = decodeReleaseManifest(readFileSync(join(build.dir, 'release.cbor')))
  const paths = cached.urls.filter((u) => u.startsWith(cached.scope)).map((u) => decodeURIComponent(u.slice(cached.scope.length)))
  // every file but sw.js, which is the running worker itself
  expect(paths.sort()).toEqual([...manifest.files.map((f) => f.path).filter((f) => f !== 'sw.js'), 'release.cbor'].sort())
  expect(paths.some((u) => u.endsWith('.wasm'))).toBe(true)
  // the compressed copies are for the relay to serve, not files of the release
  expect(paths.some((u) => /\.(br|gz)$/.test(u))).toBe(false)
})

it('is installable: Chromium reports no installability errors (in a real, non-incognito profile)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-profile-'))
  const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: chromiumArgs })
  try {
    const page = await context.newPage()
    await page.goto(server.url)
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    const cdp = await context.newCDPSession(page)
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors')
    expect(installabilityErrors).toEqual([])
  } finally {
    await context.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

it('opens, reads and posts with no network at all', async () => {
  await onboard(p, '离线的人')
  await compose(p, '有网的时候写的')
  await waitForPost(p, '有网的时候写的')
  await p.page.waitForTimeout(500)
  await p.context.setOffline(true)
  await p.page.reload()
  await waitForPost(p, '有网的时候写的')
  await waitReady(p)
  await compose(p, '没有网络也能写')
  await waitForPost(p, '没有网络也能写')
  await p.page.reload()
  await waitReady(p)
  await postLocator(p, '没有网络也能写').first().waitFor()
  expect(p.problems).toEqual([])
})

it('a panic wipe that leaves no trace removes the service worker, its caches and the databases, and leaves the page blank', async () => {
  await p.context.setOffline(false)
  // what the browser holds of the app before the wipe: a worker and its caches
  const before = await p.page.evaluate(async () => ({
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).length,
  }))
  expect(before.workers).toBeGreaterThan(0)
  expect(before.caches).toBeGreaterThan(0)
  await go(p, '#/settings')
  await p.page.getByRole('checkbox', { name: p.t('settings.wipeNoTrace'), exact: true }).check()
  await p.page.getByRole('button', { name: p.t('settings.wipe'), exact: true }).click()
  await p.page.waitForURL('about:blank', { timeout: 15_000 })
  // asked from a document of the origin that runs none of the app's code (its icon), so nothing registers again
  const other = await p.context.newPage()
  await other.goto(new URL('icon.svg', server.url).href)
  const after = await other.evaluate(async () => ({
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: await caches.keys(),
    databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('wildgrass')),
  }))
  expect(after).toEqual({ workers: 0, caches: [], databases: [] })
  await other.close()
})
