// Settings → Photos through the real UI, two people on a real relay: B turns data-saver mode on
// (it outlives a reload); A requires alt text, and a photo without it is not posted (the draft
// and the photo stay) until it is described; A's photo then waits for B's tap: no blob is
// fetched before it.
import { beforeAll, expect, it } from 'vitest'
import { createPerson, go, inviteAndJoin, onboard, postLocator, screenshot, useAppWorld, waitForPost, type Person } from '../support/app-e2e.ts'
import { drawnInPage } from '../support/page-photo.ts'

const world = useAppWorld()
let a: Person
let b: Person
const TEXT = '雨後的陽台 balcony after the rain'
/** the blob requests B's page made (GET /blob/<sha256>) */
const fetchedByB: string[] = []

beforeAll(async () => {
  a = await createPerson(world.browser, 'zh-Hant')
  b = await createPerson(world.browser, 'en')
  await a.page.goto(world.relay.ready.http)
  await onboard(a, '小晴', '')
  await inviteAndJoin(world, a, b, 'Bea')
  b.page.on('request', (r) => {
    const m = /\/blob\/([0-9a-f]{64})$/.exec(r.url())
    if (m) fetchedByB.push(m[1]!)
  })
})

it('B turns data saver on in Settings; the choice outlives a reload', async () => {
  await go(b, '#/settings')
  await b.page.getByLabel(b.t('settings.dataSaver.on')).check()
  await b.page.getByText(b.t('settings.dataSaverNowOn')).waitFor()
  await screenshot(b, 'photo-settings', 'section[aria-labelledby=photos-title]')
  await b.page.reload()
  await go(b, '#/settings')
  await expect.poll(() => b.page.getByLabel(b.t('settings.dataSaver.on')).isChecked(), { timeout: 15_000 }).toBe(true)
})

it('with alt text required, a photo without it is refused and the draft stays; described, it posts', async () => {
  await go(a, '#/settings')
  const require = a.page.getByLabel(a.t('settings.requireAlt'))
  await require.check()
  await expect.poll(() => require.isChecked()).toBe(true)
  await go(a, '#/home')
  await a.page.locator('#compose-text').fill(TEXT)
  await a.page
    .getByLabel(a.t('compose.addPhotos'), { exact: true })
    .setInputFiles({ name: 'balcony.png', mimeType: 'image/png', buffer: Buffer.from(await drawnInPage(a, 'image/png', 900, 600)) })
  const alt = a.page.getByLabel(a.t('compose.photoAlt'))
  await alt.waitFor({ timeout: 15_000 })
  await a.page.locator('form.compose button[type=submit]').click()
  await a.page
    .getByRole('alert')
    .filter({ hasText: a.t('compose.altRequired') })
    .waitFor()
  expect(await alt.getAttribute('aria-invalid')).toBe('true')
  await screenshot(a, 'compose-alt-required')
  // nothing was posted, nothing was lost
  expect(await a.page.locator('#compose-text').inputValue()).toBe(TEXT)
  expect(await alt.count()).toBe(1)
  expect(await postLocator(a, TEXT).count()).toBe(0)
  await alt.fill('雨後陽台上的盆栽')
  await expect
    .poll(() =>
      a.page
        .getByRole('alert')
        .filter({ hasText: a.t('compose.altRequired') })
        .count(),
    )
    .toBe(0)
  await a.page.locator('form.compose button[type=submit]').click()
  await a.page.waitForFunction(() => (document.getElementById('compose-text') as HTMLTextAreaElement | null)?.value === '', undefined, { timeout: 20_000 })
  await waitForPost(a, TEXT)
})

it('with data saver on, B sees the placeholder of A’s photo and fetches it only when tapped', async () => {
  await go(b, '#/home')
  await waitForPost(b, TEXT)
  const card = postLocator(b, TEXT).first()
  await card.locator('.post-image-placeholder').waitFor()
  const tap = card.getByText(b.t('post.loadPhoto'))
  await tap.waitFor()
  // given time to fetch, it does not
  await new Promise((r) => setTimeout(r, 1500))
  expect(fetchedByB).toEqual([])
  expect(await card.locator('.post-image img').count()).toBe(0)
  await tap.click()
  await card.locator('.post-image img').waitFor({ timeout: 15_000 })
  expect(fetchedByB.length).toBeGreaterThan(0)
  // and off again: a photo loads by itself
  await go(b, '#/settings')
  await b.page.getByLabel(b.t('settings.dataSaver.off')).check()
  await b.page.getByText(b.t('settings.dataSaverNowOff')).waitFor()
})
