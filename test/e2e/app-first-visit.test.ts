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
  return new Set(readdirSync(assets).filter((f) => {
    if (f.endsWith('.wasm')) return true
    if (!f.endsWith('.js')) return false
    const code = readFileSync(join(assets, f), 'utf8')
    // gossipsub's protocol id (libp2p), wasm-bindgen's glue (Automerge's JavaScript)
    return code.includes('/meshsub/') || code.includes('__wbindgen')
  }))
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
  await p.page.getByRole('button', { name: p.t('onboard.create') }).waitFor()
  await p.page.getByRole('button', { name: p.t('onboard.restore') }).waitFor()
  // nothing heavy has arrived, and yet the person can start
  await p.page.getByRole('button', { name: p.t('onboard.create') }).click()
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
  // and before the paint, only the entry's own files were fetched
  expect(order.files.filter((r) => r.start < order.paint).map((r) => r.file).filter((f) => /\.(js|wasm)$/.test(f)).every((f) => /^(index-|registerSW)/.test(f))).toBe(true)
  await p.context.close()
})

it('by the time the phrase is written down the engine has loaded, and finishing opens home at once', async () => {
  const p = await createPerson(world.browser, 'en')
  await p.page.goto(world.relay.ready.http)
  await onboard(p, 'Quick', '', { finish: false })
  await p.page.locator('html[data-engine=loaded]').waitFor({ state: 'attached', timeout: 30_000 })
  await p.page.getByRole('button', { name: p.t('onboard.finish') }).click()
  await waitReady(p)
  await p.page.locator('#compose-text').waitFor()
  // no progress bar was needed
  expect(await p.page.locator('.engine-progress').count()).toBe(0)
  expect(p.problems).toEqual([])
  await p.context.close()
})

it('finishing before the engine has arrived shows its progress, then opens home', async () => {
  const p = await createPerson(world.browser, 'zh-Hant')
  let release: () => void = () => undefined
  const gate = new Promise<void>((resolve) => { release = resolve })
  await p.page.route(/\.wasm$/, async (route) => { await gate; await route.continue() })
  await p.page.goto(world.relay.ready.http)
  await onboard(p, '心急的人', '', { finish: false })
  await p.page.getByRole('button', { name: p.t('onboard.finish') }).click()
  const progress = p.page.locator('.engine-progress')
  await progress.getByText(p.t('onboard.preparing')).waitFor()
  const value = Number(await progress.locator('progress').getAttribute('value'))
  expect(value).toBeGreaterThan(0) // the JavaScript is in
  expect(value).toBeLessThan(1)
  release()
  await waitReady(p)
  await p.page.locator('#compose-text').waitFor()
  expect(await progress.count()).toBe(0)
  await p.context.close()
})
