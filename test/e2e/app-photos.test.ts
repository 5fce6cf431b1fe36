// Photos through the real UI, two people on a real relay: A posts a camera JPEG (GPS, camera and
// time in its EXIF) and a PNG, with alt text; B sees the placeholders, then the photos, and opens
// one full screen with its alt text; neither the bytes B received nor what the relay stores carry
// any EXIF; B keeps them in its IndexedDB photo cache; C, whose app origin answers 404 for every
// photo, gets them from the relay over libp2p (/wildgrass/blob/1.0.0); A deletes the post and its
// photos are gone from the relay (HTTP and libp2p) and from B's cache; A edits the post first,
// and B sees "edited" and the earlier version with the photos; a file that is not an
// image is refused in the composer, and the draft stays.
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { isWildgrassError } from '../../src/core/errors.ts'
import { fetchBlob } from '../../src/net/blob-client.ts'
import { createNode, type WildgrassNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
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
/** a Node peer connected to the relay, to ask it for blobs over libp2p */
let peer: WildgrassNode | undefined
/** photo requests C's app made to its own origin (all answered 404) */
let refusedForC = 0

/** The blobs held in a page's photo cache (src/app/wiring/blob-cache.ts), read from its IndexedDB. */
function cachedBlobs(p: Person): Promise<string[]> {
  return p.page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('wildgrass-app')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const req = db.transaction('blobBytes').objectStore('blobBytes').getAllKeys()
          req.onsuccess = () => {
            db.close()
            resolve(req.result.map(String))
          }
          req.onerror = () => reject(req.error)
        }
      }),
  )
}

/** What the relay answers for a blob over libp2p: 'found' with bytes of its hash, else the error code. */
async function overLibp2p(sha: string): Promise<string> {
  if (peer === undefined) {
    peer = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
    await peer.dial(multiaddr(world.relay.wsAddrs()[0]!))
  }
  try {
    await fetchBlob(peer, peerIdFromString(world.relay.wsAddrs()[0]!.split('/p2p/')[1]!), sha)
    return 'found'
  } catch (err) {
    return isWildgrassError(err) ? err.code : String(err)
  }
}

beforeAll(async () => {
  a = await createPerson(world.browser, 'zh-Hans')
  b = await createPerson(world.browser, 'en')
  await a.page.goto(world.relay.ready.http)
  await onboard(a, '阿兰 Alan', '')
  await inviteAndJoin(world, a, b, 'Bea')
  c = await createPerson(world.browser, 'zh-Hant')
  await inviteAndJoin(world, a, c, '小晴')
  // C's app comes from an origin that holds no photos: each must come over libp2p from the relay
  await c.context.route(/\/blob\/[0-9a-f]{64}$/, (route) => {
    if (route.request().method() !== 'GET') return route.continue()
    refusedForC++
    return route.fulfill({ status: 404, body: 'no such blob' })
  })
})

afterAll(async () => {
  await peer?.stop()
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
  expect(refusedForC, "C's photo requests to its own origin").toBeGreaterThan(0)
  // B keeps what it was shown on the device
  await expect
    .poll(
      async () => {
        const kept = await cachedBlobs(b)
        return posted.filter((sha) => !kept.includes(sha))
      },
      { timeout: 10_000 },
    )
    .toEqual([])
  for (const sha of posted) {
    expect(await overLibp2p(sha), sha).toBe('found')
    const response = await fetch(`${world.relay.ready.http.replace(/\/$/, '')}/blob/${sha}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    const bytes = new Uint8Array(await response.arrayBuffer())
    const tags = exifOf(bytes)
    for (const tag of ['GPSLatitude', 'GPSLongitude', 'Make', 'Model', 'DateTimeOriginal']) expect(tags[tag], `${tag} in ${sha}`).toBeUndefined()
  }
})

it('A edits the photo post: B sees the new text, "edited" and the earlier version, with the photos still attached', async () => {
  // the viewer B opened is a modal dialog: Escape closes it
  await b.page.keyboard.press('Escape')
  await b.page.locator('dialog.photo-viewer').waitFor({ state: 'detached' })
  const edited = '周末的猫和画，猫睡着了'
  await go(a, '#/home')
  await postLocator(a, '周末的猫和画')
    .first()
    .getByRole('button', { name: a.t('post.edit'), exact: true })
    .click()
  await a.page.locator('#compose-text').fill(edited)
  await a.page.getByRole('button', { name: a.t('compose.saveEdit'), exact: true }).click()
  await waitForPost(a, edited)
  await go(b, '#/home')
  await waitForPost(b, edited, 20_000)
  const card = postLocator(b, edited).first()
  await card.getByRole('button', { name: b.t('post.edited', { n: 1 }) }).click()
  await card.locator('.post-versions li', { hasText: TEXT }).waitFor()
  await expect.poll(() => card.locator('.post-image img').count(), { timeout: 15_000 }).toBe(2)
})

it("A deletes the post: every version goes from B's timeline and B's photo cache, and the relay deletes its photos (HTTP and libp2p)", async () => {
  await go(a, '#/home')
  await postLocator(a, '周末的猫和画')
    .first()
    .getByRole('button', { name: a.t('post.delete'), exact: true })
    .click()
  await go(b, '#/home')
  await postLocator(b, '周末的猫和画').first().waitFor({ state: 'detached', timeout: 15_000 })
  const base = world.relay.ready.http.replace(/\/$/, '')
  await expect
    .poll(async () => (await Promise.all(posted.map(async (sha) => (await fetch(`${base}/blob/${sha}`)).status))).join(), { timeout: 15_000 })
    .toBe(posted.map(() => '404').join())
  for (const sha of posted) expect(await overLibp2p(sha), sha).toBe('E_UNAVAILABLE')
  // what B held of them is dropped with the post: no element shows those bytes any more, and the device keeps none
  expect(await b.page.locator('img[data-sha256]').count()).toBe(0)
  await expect.poll(async () => (await cachedBlobs(b)).filter((sha) => posted.includes(sha)), { timeout: 10_000 }).toEqual([])
})
