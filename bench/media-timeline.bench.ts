// The photo timeline on a slow phone link: B, who follows A, opens the app on an emulated
// 1.6 Mbit/s / 150 ms link (Chromium's emulation through CDP, service worker blocked as in
// first-visit.bench.ts) while A's 20 newest posts, each with a photo, wait on the relay.
// - media.timeline_paint_ms.slow4g: from the moment the 20 posts' text is on screen to the
//   moment every one of their blurhash placeholders is painted (polled every frame).
// - media.timeline_thumbs_ms.slow4g: from the text to every thumbnail shown (fetched over the
//   slow link and checked against its hash), with data saver set to "never" (on "automatic"
//   the emulated link may count as 3G, and photos would wait for a tap — printed below).
// - media.timeline_thumbs_kb: bytes on the wire of the thumbnails (CDP encodedDataLength).
// - media.timeline_text_ms.slow4g: navigation → the 20 posts' text (app load included).
// The photos are grainy gradients drawn in A's page (they compress about as a photo does).
// Several runs, each with its own B (invited before A posts, so that its posts come over the
// slow link; the app's own files come from B's HTTP cache, as for anyone who opened it
// before); medians recorded. Prints and records figures; asserts nothing.
import type { Page } from 'playwright-core'
import {
  buildApp,
  createPerson,
  go,
  launchBrowser,
  onboard,
  postLocator,
  relayAddress,
  waitForPost,
  waitOnline,
  type AppWorld,
  type Person,
} from '../test/support/app-e2e.ts'
import { drawnInPage } from '../test/support/page-photo.ts'
import { cleanupRelays, startRelayProcess } from '../test/support/relay-process.ts'
import { percentile, printTable, recordResults } from './lib/results.ts'

const POSTS = 20
const RUNS = 3
const SLOW4G = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (0.75e6 / 8) | 0 }
const text = (i: number): string => `相册 ${i}：今天的猫`

/** B joins A's invite, sets data saver to "never", and leaves the app (its page parked). */
async function joinAndPark(world: AppWorld, a: Person, name: string): Promise<Person> {
  const b = await createPerson(world.browser, 'zh-Hans')
  b.page.setDefaultTimeout(600_000)
  await b.page.goto(await a.page.locator('input.invite-link').inputValue())
  await onboard(b, name, '', { invite: 'accept' })
  await waitOnline(b)
  await go(b, '#/settings')
  await b.page.getByLabel(b.t('settings.dataSaver.off')).check()
  await b.page.goto('about:blank')
  return b
}

async function postPhotos(a: Person): Promise<void> {
  for (let i = 0; i < POSTS; i++) {
    await a.page.locator('#compose-text').fill(text(i))
    // a different size each time: a different picture, so no two posts share a blob
    const jpeg = await drawnInPage(a, 'image/jpeg', 1200 + 37 * i, 900 + 23 * i, true)
    await a.page
      .getByLabel(a.t('compose.addPhotos'), { exact: true })
      .setInputFiles({ name: `cat-${i}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(jpeg) })
    await a.page.getByLabel(a.t('compose.photoAlt')).fill(`第 ${i} 张猫的照片`)
    await a.page.locator('form.compose button[type=submit]').click()
    await a.page.waitForFunction(() => (document.getElementById('compose-text') as HTMLTextAreaElement | null)?.value === '', undefined, { timeout: 60_000 })
    await waitForPost(a, text(i))
  }
}

/** performance.now() when `ready` (run in the page every frame) first returns a time. */
async function timeWhen(page: Page, ready: (posts: number) => number | false): Promise<number> {
  const handle = await page.waitForFunction(ready, POSTS, { polling: 'raf', timeout: 600_000 })
  return (await handle.jsonValue()) as number
}

const textShown = (posts: number): number | false => document.querySelectorAll('article.post .post-images').length >= posts && performance.now()
const placeholdersPainted = (posts: number): number | false => {
  const canvases = [...document.querySelectorAll<HTMLCanvasElement>('article.post .post-image-placeholder')]
  // 300: the width of a canvas never drawn on
  return canvases.length >= posts && canvases.every((c) => c.width > 0 && c.width !== 300) && performance.now()
}
const thumbsShown = (posts: number): number | false => {
  const imgs = [...document.querySelectorAll<HTMLImageElement>('article.post .post-image img[data-sha256]')]
  return imgs.length >= posts && imgs.every((i) => i.complete && i.naturalWidth > 0) && performance.now()
}

const build = buildApp()
const relay = await startRelayProcess({ args: ['--app', build.dir] })
const browser = await launchBrowser()
const world: AppWorld = { appDir: build.dir, relay, browser }
const runs: Array<{ text: number; paint: number; thumbs: number; thumbKb: number }> = []
try {
  const a = await createPerson(browser, 'zh-Hans')
  a.page.setDefaultTimeout(120_000)
  await a.page.goto(relay.ready.http)
  await onboard(a, '阿猫', '')
  await go(a, '#/settings')
  await a.page.getByLabel(a.t('settings.relayAddress')).fill(relayAddress(world))
  await a.page.getByRole('button', { name: a.t('settings.relayAdd') }).click()
  await waitOnline(a)
  await a.page.getByRole('button', { name: a.t('settings.inviteCreate') }).click()
  const readers: Person[] = []
  for (let r = 0; r < RUNS; r++) readers.push(await joinAndPark(world, a, `读者 ${r}`))
  await go(a, '#/home')
  await postPhotos(a)

  for (const b of readers) {
    const cdp = await b.context.newCDPSession(b.page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW4G })
    const urls = new Map<string, string>()
    let thumbBytes = 0
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url))
    cdp.on('Network.loadingFinished', (e) => {
      if (/\/blob\/[0-9a-f]{64}$/.test(urls.get(e.requestId) ?? '')) thumbBytes += e.encodedDataLength
    })
    await b.page.goto(relay.ready.http, { waitUntil: 'commit' })
    const shown = await timeWhen(b.page, textShown)
    const painted = await timeWhen(b.page, placeholdersPainted)
    const thumbs = await timeWhen(b.page, thumbsShown)
    const connection = await b.page.evaluate(() => (navigator as Navigator & { connection?: { effectiveType?: string } }).connection?.effectiveType ?? 'n/a')
    await postLocator(b, text(0)).first().waitFor()
    runs.push({ text: shown, paint: painted - shown, thumbs: thumbs - shown, thumbKb: thumbBytes / 1024 })
    console.log(
      `run ${runs.length}: text ${shown.toFixed(0)} ms, placeholders +${(painted - shown).toFixed(0)} ms, thumbnails +${(thumbs - shown).toFixed(0)} ms, ` +
        `${(thumbBytes / 1024).toFixed(0)} KB of thumbnails; the page's effectiveType: ${connection}`,
    )
    await cdp.detach()
    await b.context.close()
  }
} finally {
  await browser.close()
  await cleanupRelays()
  build.cleanup()
}
const median = (pick: (r: (typeof runs)[number]) => number): number => percentile(runs.map(pick), 50)
const figures = {
  'media.timeline_text_ms.slow4g': median((r) => r.text),
  'media.timeline_paint_ms.slow4g': median((r) => r.paint),
  'media.timeline_thumbs_ms.slow4g': median((r) => r.thumbs),
  'media.timeline_thumbs_kb': median((r) => r.thumbKb),
}
printTable(figures)
recordResults(figures)
process.exit(0)
