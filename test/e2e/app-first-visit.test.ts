// A first visit needs nothing heavy before its first screen: the welcome screen is painted with
// every Automerge and libp2p file held back by the network, those files are asked for only
// after that paint, and then they load behind the onboarding screens.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Route } from 'playwright-core'
import { expect, it } from 'vitest'
import { createPerson, onboard, useAppWorld, waitReady } from '../support/app-e2e.ts'

const world = useAppWorld()

/** The built files of the engine: Automerge's wasm and the JavaScript of Automerge or libp2p (named by what they contain). */
function engineFiles(dir: string): Set<string> {
  const assets = join(dir, 'assets')
  return new Set(
    readdirSync(assets).filter((f) => {
      if (f.endsWith('.wasm')) return true
      if (!f.endsWith('.js')) return false
      const code = readFileSync(join(assets, f), 'utf8')
      // gossipsub's protocol id (libp2p), wasm-bindgen's glue (Automerge's JavaScript)
      return code.includes('/meshsub/') || code.includes('__wbindgen')
    }),
  )
}

it('paints the welcome screen while every Automerge and libp2p file is held back, and asks for them only after that paint', async () => {
  const heavy = engineFiles(world.appDir)
  expect([...heavy].some((f) => f.endsWith('.wasm'))).toBe(true)
  expect([...heavy].some((f) => f.startsWith('start-app-'))).toBe(true)
  expect([...heavy].some((f) => f.startsWith('index-'))).toBe(false)
  const p = await createPerson(world.browser, 'zh-Hans')
  const held: Route[] = []
  await p.page.route('**/assets/*', async (route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop() ?? ''
    if (heavy.has(file)) held.push(route)
    else await route.continue()
  })
  await p.page.goto(world.relay.ready.http)
  await p.page.getByRole('button', { name: p.t('onboard.create'), exact: true }).waitFor()
  await p.page.getByRole('button', { name: p.t('onboard.restore'), exact: true }).waitFor()
  // nothing heavy has arrived, and yet the person can start
  await p.page.getByRole('button', { name: p.t('onboard.create'), exact: true }).click()
  await p.page.getByLabel(p.t('onboard.name')).waitFor()
  await expect.poll(() => held.length).toBeGreaterThan(0)
  for (const route of held.splice(0)) await route.continue()
  await p.page.unroute('**/assets/*')
  // the browser's own clock: every engine file was requested after the welcome screen was painted
  await p.page.locator('html[data-engine=loaded]').waitFor({ state: 'attached', timeout: 30_000 })
  const order = await p.page.evaluate(() => ({
    paint: performance.getEntriesByName('wg:first-timeline-paint')[0]?.startTime ?? NaN,
    files: performance.getEntriesByType('resource').map((r) => ({ file: new URL(r.name).pathname.split('/').pop() ?? '', start: r.startTime })),
  }))
  const engineRequests = order.files.filter((r) => heavy.has(r.file))
  expect(new Set(engineRequests.map((r) => r.file))).toEqual(heavy)
  for (const r of engineRequests) expect(r.start).toBeGreaterThan(order.paint)
  // and before the paint, the only script fetched was the entry
  const early = order.files.filter((r) => r.start < order.paint && /\.(js|wasm)$/.test(r.file)).map((r) => r.file)
  expect(early).toHaveLength(1)
  expect(early[0]).toMatch(/^index-[\w-]+\.js$/)
  await p.context.close()
})

it('by the time the phrase is written down the engine has loaded, and finishing opens home at once', async () => {
  const p = await createPerson(world.browser, 'en')
  await p.page.goto(world.relay.ready.http)
  await onboard(p, 'Quick', '', { finish: false })
  await p.page.locator('html[data-engine=loaded]').waitFor({ state: 'attached', timeout: 30_000 })
  await p.page.getByRole('button', { name: p.t('onboard.finish'), exact: true }).click()
  await waitReady(p)
  await p.page.locator('#compose-text').waitFor()
  // no progress bar was needed
  expect(await p.page.locator('.engine-progress').count()).toBe(0)
  expect(p.problems).toEqual([])
  await p.context.close()
})

it('finishing before the engine has arrived shows its progress, moving while the (compressed) wasm arrives, then opens home', async () => {
  const p = await createPerson(world.browser, 'zh-Hant')
  // a bad 3G (0.4 Mbit/s, 400 ms): Automerge's wasm takes seconds even compressed
  const cdp = await p.context.newCDPSession(p.page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 0.4e6 / 8, uploadThroughput: 0.4e6 / 8 })
  const wasm = p.page.waitForResponse(/\.wasm$/)
  await p.page.goto(world.relay.ready.http)
  await onboard(p, '心急的人', '', { finish: false })
  await p.page.getByRole('button', { name: p.t('onboard.finish'), exact: true }).click()
  await p.page.locator('.engine-progress').getByText(p.t('onboard.preparing')).waitFor()
  // the bar's values, read in the page until it goes away
  const seen = await p.page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const values: number[] = []
        const read = (): void => {
          const bar = document.querySelector<HTMLProgressElement>('.engine-progress progress')
          if (bar === null) return resolve(values)
          values.push(bar.value)
          setTimeout(read, 50)
        }
        read()
      }),
  )
  expect((await (await wasm).headerValue('content-encoding')) ?? 'identity').toMatch(/^(br|gzip)$/)
  expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true)
  // past the JavaScript's share (0.2), short of done: the wasm's bytes moved it
  expect(seen.some((v) => v > 0.3 && v < 0.9)).toBe(true)
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
  await waitReady(p)
  await p.page.locator('#compose-text').waitFor()
  expect(await p.page.locator('.engine-progress').count()).toBe(0)
  await p.context.close()
})
