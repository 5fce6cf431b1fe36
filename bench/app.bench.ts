// The app benchmark: cold start from navigation to first timeline paint with 1,000
// and 10,000 cached posts in Chromium, and the JavaScript shipped before that paint (KB gzip).
//
// Seeding is done through the real UI: a Node script makes an identity that follows 10
// authors and N signed posts by them (core createEvent), packs them as an export file sealed
// with a passphrase, and the page imports it on the onboarding screen ("import data from a file"): the store
// verifies and indexes every event into IndexedDB. Then the page is reloaded several times
// and the app's own performance marks are read: `wg:first-timeline-paint` (the cached
// timeline is on screen: set after the frame that rendered it) and `wg:backend-ready`
// (Automerge wasm, store and network attached) and `wg:store-timeline-paint` (the first
// screen read from the store itself rather than the snapshot). Times are from navigation start.
import { gzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { makeSeedExport, SEED_PASSPHRASE } from '../test/support/app-seed.ts'
import { buildApp, createPerson, importFile, launchBrowser } from '../test/support/app-e2e.ts'
import { cleanupRelays, startRelayProcess } from '../test/support/relay-process.ts'
import { percentile, recordResults } from './lib/results.ts'

const RELOADS = 5

const build = buildApp()
const relay = await startRelayProcess({ args: ['--app', build.dir] })
const browser = await launchBrowser()
const figures: Record<string, number> = {}
try {
  for (const [label, posts] of [
    ['1k', 1_000],
    ['10k', 10_000],
  ] as const) {
    const file = await makeSeedExport(posts)
    const person = await createPerson(browser, 'en')
    const { page } = person
    await page.goto(relay.ready.http)
    await page.getByRole('button', { name: person.t('onboard.restore') }).click()
    const importStart = Date.now()
    await importFile(person, file, SEED_PASSPHRASE)
    await page.locator('html[data-backend=ready]').waitFor({ state: 'attached', timeout: 600_000 })
    await page.locator('article.post').first().waitFor({ timeout: 60_000 })
    console.log(`${label}: imported ${posts} posts through the UI in ${Date.now() - importStart} ms`)
    await page.waitForTimeout(1000) // the snapshot write is asynchronous
    const paints: number[] = []
    const ready: number[] = []
    const fromStore: number[] = []
    for (let i = 0; i < RELOADS; i++) {
      await page.reload()
      await page.locator('html[data-backend=ready]').waitFor({ state: 'attached', timeout: 60_000 })
      await page.waitForFunction(() => performance.getEntriesByName('wg:store-timeline-paint').length > 0, undefined, { timeout: 60_000 })
      const m = await page.evaluate(() => ({
        paint: performance.getEntriesByName('wg:first-timeline-paint')[0]?.startTime ?? NaN,
        ready: performance.getEntriesByName('wg:backend-ready')[0]?.startTime ?? NaN,
        store: performance.getEntriesByName('wg:store-timeline-paint')[0]?.startTime ?? NaN,
        shown: Number(document.documentElement.dataset.firstPaint ?? 0),
      }))
      if (!(m.shown > 0)) throw new Error(`${label}: the first paint showed no cached posts`)
      paints.push(m.paint)
      ready.push(m.ready)
      fromStore.push(m.store)
      await page.waitForTimeout(300)
    }
    figures[`app.cold_start_ms.${label}`] = percentile(paints, 50)
    figures[`app.backend_ready_ms.${label}`] = percentile(ready, 50)
    figures[`app.store_timeline_ms.${label}`] = percentile(fromStore, 50)
    if (label === '10k') {
      // what was fetched before the first-paint mark: JS files, gzip-compressed as served
      const res = await page.evaluate(() => {
        const paint = performance.getEntriesByName('wg:first-timeline-paint')[0]?.startTime ?? 0
        return performance.getEntriesByType('resource').map((r) => ({ name: r.name, start: r.startTime, paint }))
      })
      const before = res.filter((r) => r.start < r.paint && /\.js(\?|$)/.test(r.name))
      let gz = 0
      for (const r of before) gz += gzipSync(readFileSync(join(build.dir, new URL(r.name).pathname))).length
      console.log('JS before first paint:', before.map((r) => basename(r.name)).join(', '))
      figures['app.js_before_paint_kb_gz'] = gz / 1024
      const wasm = res.find((r) => r.name.endsWith('.wasm'))
      figures['app.wasm_after_paint'] = wasm !== undefined && wasm.start > wasm.paint ? 1 : 0
    }
    await person.context.close()
  }
} finally {
  await browser.close()
  await cleanupRelays()
  build.cleanup()
}
recordResults(figures)
