// Photos through the real UI, two people on a real relay: A posts a camera JPEG (GPS, camera and
// time in its EXIF) and a PNG, with alt text; B sees the placeholders, then the photos, and opens
// one full screen with its alt text; neither the bytes B received nor what the relay stores carry
// any EXIF; A deletes the post and its photos are gone from the relay; a file that is not an
// image is refused in the composer, and the draft stays.
import { beforeAll, expect, it } from 'vitest'
import { exifOf, withExif } from '../support/exif-fixture.ts'
import { drawnInPage as drawn } from '../support/page-photo.ts'
import { createPerson, go, inviteAndJoin, onboard, postLocator, screenshot, useAppWorld, waitForPost, type Person } from '../support/app-e2e.ts'

const world = useAppWorld()
let a: Person
let b: Person
/** a third person, reading in 繁體 */
let c: Person
/** the blobs of the posted photos (photos and thumbnails), as the relay served them */
let posted: string[] = []
const TEXT = '周末的猫和画 #猫'

beforeAll(async () => {
  a = await createPerson(world.browser, 'zh-Hans')
  b = await createPerson(world.browser, 'en')
  await a.page.goto(world.relay.ready.http)
  await onboard(a, '阿兰 Alan', '')
  await inviteAndJoin(world, a, b, 'Bea')
  c = await createPerson(world.browser, 'zh-Hant')
  await inviteAndJoin(world, a, c, '小晴')
})

it('a file that is not an image is refused with its reason; the text typed stays', async () => {
  await go(a, '#/home')
  await a.page.locator('#compose-text').fill(TEXT)
  await a.page
    .getByLabel(a.t('compose.addPhotos'), { exact: true })
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo at all') })
  await a.page
    .getByRole('alert')
    .filter({ hasText: a.t('compose.photo.not-an-image') })
    .waitFor()
  expect(await a.page.locator('#compose-text').inputValue()).toBe(TEXT)
})

it('A posts a camera JPEG and a PNG with alt text; B sees placeholders, then the photos, and the alt text full screen', async () => {
  const camera = withExif(await drawn(a, 'image/jpeg', 1600, 1200), 1)
  expect(exifOf(camera).GPSLatitude).toBeDefined()
  expect(exifOf(camera).Make).toBeDefined()
  const drawing = await drawn(a, 'image/png', 800, 800)
  await a.page.getByLabel(a.t('compose.addPhotos'), { exact: true }).setInputFiles([
    { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(camera) },
    { name: 'drawing.png', mimeType: 'image/png', buffer: Buffer.from(drawing) },
  ])
  const alts = a.page.getByLabel(a.t('compose.photoAlt'))
  await expect.poll(() => alts.count(), { timeout: 15_000 }).toBe(2)
  await alts.nth(0).fill('窗台上晒太阳的橘猫')
  await alts.nth(1).fill('一幅橙色和蓝色的画')
  await screenshot(a, 'compose-photos')
  await a.page.locator('form.compose button[type=submit]').click()
  await a.page.waitForFunction(() => (document.getElementById('compose-text') as HTMLTextAreaElement | null)?.value === '', undefined, { timeout: 20_000 })
  await waitForPost(a, '周末的猫和画')

  await go(b, '#/home')
  await waitForPost(b, '周末的猫和画')
  const card = postLocator(b, '周末的猫和画').first()
  await expect.poll(() => card.locator('.post-image-placeholder').count()).toBe(2)
  await expect.poll(() => card.locator('.post-image img').count(), { timeout: 15_000 }).toBe(2)
  await screenshot(b, 'post-photos')
  await card.getByRole('button', { name: `${b.t('post.photo')}: 窗台上晒太阳的橘猫` }).click()
  const viewer = b.page.locator('dialog.photo-viewer')
  await viewer.locator('img').waitFor({ timeout: 15_000 })
  await viewer.getByText('窗台上晒太阳的橘猫').waitFor()
  await screenshot(b, 'photo-viewer')

  // what B was given, and what the relay keeps: the bytes of each hash, without any EXIF
  const hashes = await card.locator('.post-image img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('data-sha256')!))
  const full = await viewer.locator('img').getAttribute('data-sha256')
  // and in 繁體, for the third person
  await go(c, '#/home')
  await waitForPost(c, '周末的猫和画')
  const onC = postLocator(c, '周末的猫和画').first()
  await expect.poll(() => onC.locator('.post-image img').count(), { timeout: 15_000 }).toBe(2)
  await screenshot(c, 'post-photos')
  await onC.getByRole('button', { name: `${c.t('post.photo')}: 一幅橙色和蓝色的画` }).click()
  await c.page.locator('dialog.photo-viewer img').waitFor({ timeout: 15_000 })
  await screenshot(c, 'photo-viewer')
  posted = [...hashes, full!]
  for (const sha of posted) {
    const response = await fetch(`${world.relay.ready.http.replace(/\/$/, '')}/blob/${sha}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    const bytes = new Uint8Array(await response.arrayBuffer())
    const tags = exifOf(bytes)
    for (const tag of ['GPSLatitude', 'GPSLongitude', 'Make', 'Model', 'DateTimeOriginal']) expect(tags[tag], `${tag} in ${sha}`).toBeUndefined()
  }
})

it("A deletes the post: it goes from B's timeline, and the relay deletes its photos", async () => {
  await b.page.keyboard.press('Escape')
  await go(a, '#/home')
  await postLocator(a, '周末的猫和画')
    .first()
    .getByRole('button', { name: a.t('post.delete') })
    .click()
  await go(b, '#/home')
  await postLocator(b, '周末的猫和画').first().waitFor({ state: 'detached', timeout: 15_000 })
  const base = world.relay.ready.http.replace(/\/$/, '')
  await expect
    .poll(async () => (await Promise.all(posted.map(async (sha) => (await fetch(`${base}/blob/${sha}`)).status))).join(), { timeout: 15_000 })
    .toBe(posted.map(() => '404').join())
  // what B held of them is dropped with the post: no element shows those bytes any more
  expect(await b.page.locator('img[data-sha256]').count()).toBe(0)
})
