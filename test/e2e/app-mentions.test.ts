// @mentions through the real UI: A types `@` and letters,
// picks B from the suggestion list by keyboard, posts; the post names B in its signed
// `mentions`, shows `@Bea` as a link to B's profile, and B gets a mention notification.
import { beforeAll, expect, it } from 'vitest'
import { authorIdOf, createPerson, go, inviteAndJoin, onboard, postLocator, screenshot, useAppWorld, type Person } from '../support/app-e2e.ts'

const world = useAppWorld()
let a: Person
let b: Person
let bId = ''

beforeAll(async () => {
  a = await createPerson(world.browser, 'en')
  b = await createPerson(world.browser, 'zh-Hans')
})

it("B joins through A's invite; A learns of B as a new follower", async () => {
  await a.page.goto(world.relay.ready.http)
  await onboard(a, 'Alan')
  await inviteAndJoin(world, a, b, 'Bea')
  bId = await authorIdOf(b)
  expect(bId).toMatch(/^did:key:z6Mk/)
  await go(a, '#/notifications')
  await a.page.locator('.notification-follow', { hasText: a.t('notif.follow', { name: 'Bea' }) }).waitFor({ timeout: 15_000 })
})

it('A types @ and letters, the list offers B; Escape closes it; arrows + Enter insert @Bea', async () => {
  await go(a, '#/home')
  const box = a.page.locator('#compose-text')
  const list = a.page.getByRole('listbox', { name: a.t('compose.mentionList') })
  await box.click()
  await box.pressSequentially('Hello @b')
  await list.getByRole('option', { name: 'Bea' }).waitFor()
  expect(await box.getAttribute('aria-controls')).toBe(await list.getAttribute('id'))
  expect(await box.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'))
  expect(await list.getByRole('option', { name: 'Alan' }).count()).toBe(0) // never myself
  await screenshot(a, 'compose-mention')
  await box.press('Escape')
  await list.waitFor({ state: 'detached' })
  await box.pressSequentially('e')
  await list.getByRole('option', { name: 'Bea' }).waitFor()
  await box.press('ArrowDown')
  await box.press('ArrowUp')
  await box.press('Enter')
  await list.waitFor({ state: 'detached' })
  expect(await box.inputValue()).toBe('Hello @Bea ')
  await box.pressSequentially('看这里 #野草')
  await a.page.locator('form.compose button[type=submit]').click()
  await a.page.waitForFunction(() => (document.getElementById('compose-text') as HTMLTextAreaElement | null)?.value === '')
  const link = postLocator(a, '看这里').first().locator('a.mention', { hasText: '@Bea' })
  await link.waitFor({ timeout: 10_000 })
  expect(await link.getAttribute('href')).toBe(`#/profile/${encodeURIComponent(bId)}`)
  // the link is text in an <a>, no markup of the user's
  expect(await link.innerHTML()).toBe('@Bea')
})

it("B gets a mention notification; the mention links to B's profile", async () => {
  await go(b, '#/notifications')
  const notice = b.page.locator('.notification-mention', { hasText: b.t('notif.mention', { name: 'Alan' }) })
  await notice.waitFor({ timeout: 15_000 })
  await notice.locator('a.mention', { hasText: '@Bea' }).waitFor()
  await screenshot(b, 'notifications-mention')
  await go(b, '#/home')
  await postLocator(b, '看这里').first().locator('a.mention', { hasText: '@Bea' }).click()
  await b.page.waitForFunction((id) => location.hash === `#/profile/${encodeURIComponent(id)}`, bId)
  await b.page.locator('.profile-name', { hasText: 'Bea' }).waitFor()
  expect(a.problems).toEqual([])
  expect(b.problems).toEqual([])
})

it('keys typed right after choosing land after the mention, even when frames come late (busy device)', async () => {
  await go(a, '#/home')
  const box = a.page.locator('#compose-text')
  const list = a.page.getByRole('listbox', { name: a.t('compose.mentionList') })
  // a loaded machine paints seldom: frames 400 ms apart, keys 100 ms apart
  await a.page.evaluate(() => {
    window.requestAnimationFrame = (cb) => window.setTimeout(() => cb(performance.now()), 400)
  })
  await box.click()
  await box.pressSequentially('@be')
  await list.getByRole('option', { name: 'Bea' }).waitFor()
  await box.press('Enter')
  await box.pressSequentially('快来看看', { delay: 100 })
  await a.page.waitForTimeout(500) // any late frame has come
  expect(await box.inputValue()).toBe('@Bea 快来看看')
})
