// Signed releases end to end (protocol/releases.md): a real relay process serves release 100,
// the app installs it, then the relay serves what a hostile relay would — release 200 with one JS
// byte changed, with a broken signature, then release 100 again — and the installed app keeps
// its version and tells the person what was wrong; a correctly signed release 200 installs.
// Last, the limits: a build the relay signed with a key of its own, and a relay's own sw.js, are
// installed by the browser; the running page warns as they arrive.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { fingerprintDigits } from '../../src/core/release-manifest.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import { fromHex } from '../../src/core/bytes.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { DEVELOPMENT_RELEASE_SECRET_HEX } from '../../scripts/release/release-key.ts'
import { createPerson, go, launchBrowser, onboard, reopen, screenshot, type Person } from '../support/app-e2e.ts'
import {
  alteredCopy,
  breakSignature,
  buildRelease,
  changeOneByte,
  entryChunk,
  hostileWorker,
  installedReleases,
  waitForInstalledRelease,
  type Release,
} from '../support/app-release.ts'
import { cleanupRelays, makeTempDataDir, startRelayProcess, type RelayProcess } from '../support/relay-process.ts'

let browser: Browser
let p: Person
let relay: RelayProcess | undefined
let r100: Release
let r200: Release
let foreign: Release
const foreignKey = randomBytes(32).toString('hex')
const copies: Release[] = []
const dataDir = makeTempDataDir()

/** The relay, restarted on the same address and data, now serving `release`. */
async function serve(release: Release): Promise<void> {
  const ports = relay?.ports()
  await relay?.stop()
  relay = await startRelayProcess({ dataDir, ...(ports ?? {}), args: ['--app', release.dir] })
}

const warning = () => p.page.locator('[data-testid=release-warning]')
async function waitForWarning(code: string): Promise<string> {
  await p.page.locator(`[data-testid=release-warning][data-code=${code}]`).waitFor({ timeout: 30_000 })
  return warning().innerText()
}
async function shownVersion(): Promise<string> {
  await go(p, '#/settings')
  return p.page.locator('[data-testid=release-version]').innerText()
}
const fingerprintOf = (release: Release) => fingerprintDigits(readFileSync(join(release.dir, 'release.cbor')))

beforeAll(async () => {
  r100 = buildRelease(100)
  r200 = buildRelease(200)
  foreign = buildRelease(300, foreignKey)
  browser = await launchBrowser()
  p = await createPerson(browser, 'en', { serviceWorkers: 'allow' })
})

afterAll(async () => {
  await browser?.close()
  await cleanupRelays()
  for (const r of [r100, r200, foreign, ...copies]) r?.cleanup()
})

it('installs release 100 from the relay; Settings shows it verified, with fingerprints to read aloud', async () => {
  await serve(r100)
  await p.page.goto(relay!.ready.http)
  await onboard(p, 'Release tester')
  await waitForInstalledRelease(p.page, 100)
  expect(await shownVersion()).toBe(p.t('release.version', { version: '0.1.0', seq: 100 }))
  await expect.poll(() => p.page.locator('[data-testid=release-fingerprint]').innerText()).toBe(fingerprintOf(r100))
  const devKey = getPublicKey(fromHex(DEVELOPMENT_RELEASE_SECRET_HEX) as SecretKey)
  expect(await p.page.locator('[data-testid=release-key]').innerText()).toBe(fingerprintDigits(devKey))
  await p.page.locator('[data-testid=release-development]').waitFor()
  await screenshot(p, 'release-settings')
})

it('refuses release 200 with one JS byte changed: keeps release 100 and names the file', async () => {
  const tampered = alteredCopy(r200, (dir) => changeOneByte(dir, entryChunk(dir)))
  copies.push(tampered)
  await serve(tampered)
  await p.page.reload()
  const text = await waitForWarning('E_HASH_MISMATCH')
  expect(text).toContain(entryChunk(r200.dir))
  expect(text).toContain(p.t('release.warning'))
  expect(await installedReleases(p.page)).toEqual([100])
  await screenshot(p, 'release-tampered')
  // still release 100 after a reload, still warned (the refusal is kept for pages opened later)
  await p.page.reload()
  expect(await shownVersion()).toBe(p.t('release.version', { version: '0.1.0', seq: 100 }))
  await waitForWarning('E_HASH_MISMATCH')
})

it('refuses release 200 whose manifest signature is broken', async () => {
  const badSignature = alteredCopy(r200, breakSignature)
  copies.push(badSignature)
  await serve(badSignature)
  await p.page.reload()
  expect(await waitForWarning('E_BAD_SIGNATURE')).toContain(p.t('release.refusedSignature', { code: 'E_BAD_SIGNATURE' }))
  expect(await installedReleases(p.page)).toEqual([100])
  expect(await shownVersion()).toBe(p.t('release.version', { version: '0.1.0', seq: 100 }))
})

it('installs the correctly signed release 200: the page is told, a reload runs it', async () => {
  await serve(r200)
  await p.page.reload()
  await p.page.locator('[data-testid=release-ready]').waitFor({ timeout: 30_000 })
  // the release before stays, for pages still running it
  expect(await installedReleases(p.page)).toEqual([100, 200])
  await p.page.getByRole('button', { name: p.t('release.reload'), exact: true }).click()
  await expect.poll(shownVersion, { timeout: 20_000 }).toBe(p.t('release.version', { version: '0.1.0', seq: 200 }))
  await expect.poll(() => p.page.locator('[data-testid=release-fingerprint]').innerText()).toBe(fingerprintOf(r200))
  expect(await warning().count()).toBe(0)
})

it('refuses to go back to release 100 (a replayed old release is a downgrade)', async () => {
  await serve(r100)
  await p.page.reload()
  const text = await waitForWarning('E_DOWNGRADE')
  expect(text).toContain(p.t('release.refusedDowngrade', { offered: 100, installed: 200 }))
  expect(await installedReleases(p.page)).toEqual([100, 200])
  expect(await shownVersion()).toBe(p.t('release.version', { version: '0.1.0', seq: 200 }))
})

it('a build the relay signed with a key of its own: the page warns as its worker arrives and never offers it as an update', async () => {
  await serve(foreign)
  // its sw.js pins the relay's key, so it verifies its own release and the browser installs it:
  // only the running page, which pins ours, can tell (releases.md §7)
  await p.page.evaluate(() => {
    ;(window as unknown as { wgBefore: unknown }).wgBefore = navigator.serviceWorker.controller
    return navigator.serviceWorker
      .getRegistration()
      .then((r) => r?.update())
      .catch(() => undefined)
  })
  const text = await waitForWarning('E_WRONG_AUTHOR')
  expect(text).toContain(p.t('release.warningWorker'))
  expect(text).toContain(p.t('release.refusedSignature', { code: 'E_WRONG_AUTHOR' }))
  expect(text).toContain(p.t('release.refusedWorker'))
  // once that worker controls the page and has reported its release 300, the warning stays and
  // no "new version" is offered
  await p.page.waitForFunction(
    () => {
      const c = navigator.serviceWorker.controller
      return c !== null && c !== (window as unknown as { wgBefore: unknown }).wgBefore && c.state === 'activated'
    },
    undefined,
    { timeout: 30_000 },
  )
  // a round trip to it: what it posted while activating (its installed release) has reached the page
  await p.page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => resolve()
        navigator.serviceWorker.controller!.postMessage({ type: 'wildgrass-release', event: 'status?' }, [channel.port2])
      }),
  )
  expect(await installedReleases(p.page)).toContain(300)
  expect(await p.page.locator('[data-testid=release-warning][data-code=E_WRONG_AUTHOR]').count()).toBe(1)
  expect(await p.page.locator('[data-testid=release-ready]').count()).toBe(0)
  // what remains: a page opened now runs the relay's build; its key fingerprint is not ours
  const other = await p.context.newPage()
  try {
    await other.goto(relay!.ready.http)
    await other.evaluate(() => {
      location.hash = '#/settings'
    })
    const shown = await other.locator('[data-testid=release-key]').innerText({ timeout: 20_000 })
    expect(shown).toBe(fingerprintDigits(getPublicKey(fromHex(foreignKey) as SecretKey)))
    expect(shown).not.toBe(fingerprintDigits(getPublicKey(fromHex(DEVELOPMENT_RELEASE_SECRET_HEX) as SecretKey)))
  } finally {
    await other.close()
  }
})

it("the limit: a relay's own sw.js is installed by the browser; a running page says so as it arrives", async () => {
  const hostile = alteredCopy(r200, hostileWorker)
  copies.push(hostile)
  await serve(hostile)
  // the page is running when the browser looks for an update (as the app asks when it starts);
  // on a navigation the new worker can win the race and the page never runs (releases.md §7)
  await p.page.evaluate(() =>
    navigator.serviceWorker
      .getRegistration()
      .then((r) => r?.update())
      .catch(() => undefined),
  )
  const text = await waitForWarning('E_HASH_MISMATCH')
  expect(text).toContain(p.t('release.warningWorker'))
  expect(text).toContain(p.t('release.refusedWorker'))
  await screenshot(p, 'release-hostile-worker')
  // what remains: once such a worker runs, it serves whatever it likes
  await reopen(p, relay!.ready.http)
  await p.page.getByText('not wildgrass').waitFor({ timeout: 20_000 })
})
