// The app on plain http under a name that is not this machine's (wildgrass.test, mapped to the
// relay on 127.0.0.1): not a secure context, so no crypto.subtle, service worker, locks,
// storage manager or clipboard. The first screen says so in the person's language and links
// the https address; onboarding, posting and a sealed export still work, and nothing throws.
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { decodeExport } from '../../src/app/wiring/export-file.ts'
import { authorIdOf, compose, createPerson, go, onboard, screenshot, useAppWorld, waitForPost, waitReady, type Person } from '../support/app-e2e.ts'

const world = useAppWorld({ browserArgs: ['--host-resolver-rules=MAP wildgrass.test 127.0.0.1'] })
let p: Person
let url = ''
const PASS = '野火烧不尽 春风吹又生'
const POST = '在不安全的地址上也能发帖'

it('says on the first screen, in the browser language, what does not work here and where to go instead', async () => {
  url = world.relay.ready.http.replace('127.0.0.1', 'wildgrass.test')
  p = await createPerson(world.browser, 'zh-Hans')
  await p.page.goto(url)
  expect(
    await p.page.evaluate(() => ({
      secure: isSecureContext,
      subtle: typeof crypto.subtle,
      worker: 'serviceWorker' in navigator,
      locks: 'locks' in navigator,
      storage: 'storage' in navigator,
      clipboard: 'clipboard' in navigator,
    })),
  ).toEqual({ secure: false, subtle: 'undefined', worker: false, locks: false, storage: false, clipboard: false })
  const notice = p.page.getByTestId('insecure-origin')
  await notice.getByRole('heading', { name: p.t('insecure.title') }).waitFor()
  const text = await notice.textContent()
  for (const key of ['insecure.noOffline', 'insecure.eviction', 'insecure.noWebCrypto', 'insecure.stillWorks', 'insecure.whatToDo'] as const) {
    expect(text).toContain(p.t(key))
  }
  expect(await notice.getByRole('link').getAttribute('href')).toBe(url.replace(/^http:/, 'https:'))
  await p.page.getByRole('button', { name: p.t('onboard.create'), exact: true }).waitFor()
  await screenshot(p, 'insecure-origin')
})

it('onboards and posts there (signed with @noble; the post waits in the outbox for a relay)', async () => {
  await onboard(p, '李雷')
  await waitReady(p)
  await compose(p, POST)
  await waitForPost(p, POST)
  // the relay's addresses here are loopback ones, which the browser build never dials outside
  // `npm start` and tests on localhost: the post is kept for later
  await p.page.locator('[data-testid=connection] .queued').waitFor()
  // the app shell keeps a short form of the explanation
  await p.page.getByTestId('insecure-origin').getByText(p.t('insecure.title')).waitFor()
})

it('exports a sealed file there, which opens with its passphrase and holds the identity and the post', async () => {
  await go(p, '#/settings')
  await p.page.locator('input[name=export-passphrase]').fill(PASS)
  await p.page.locator('input[name=export-passphrase-again]').fill(PASS)
  const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.getByRole('button', { name: p.t('export.sealed'), exact: true }).click()])
  await p.page
    .getByRole('status')
    .filter({ hasText: p.t('export.done') })
    .waitFor()
  const data = await decodeExport(readFileSync(await download.path()), PASS)
  expect(data.author).toBe(await authorIdOf(p))
  expect(data.secret).toHaveLength(32)
  expect(data.events.length).toBeGreaterThanOrEqual(1)
})

it('makes an invite there and copies it without navigator.clipboard; nothing threw on the way', async () => {
  await go(p, '#/settings')
  await p.page.getByRole('button', { name: p.t('settings.inviteCreate'), exact: true }).click()
  expect(await p.page.locator('input.invite-link').inputValue()).toContain('#invite=')
  await p.page.getByRole('button', { name: p.t('settings.inviteCopy'), exact: true }).click()
  await p.page.getByRole('button', { name: p.t('settings.inviteCopied'), exact: true }).waitFor()
  expect(p.problems).toEqual([])
})

it('an invite opened there is carried to the https address the notice links', async () => {
  const q = await createPerson(world.browser, 'en')
  const invite = world.relay.ready.invite.replace('127.0.0.1', 'wildgrass.test')
  const fragment = invite.slice(invite.indexOf('#'))
  await q.page.goto(invite)
  const link = q.page.getByTestId('insecure-origin').getByRole('link')
  expect(await link.getAttribute('href')).toBe(`${url.replace(/^http:/, 'https:')}${fragment}`)
  expect(q.page.url()).not.toContain('invite=')
  await q.context.close()
})
