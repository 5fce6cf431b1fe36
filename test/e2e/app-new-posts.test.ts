// "N new posts" on the home timeline: while B reads further down, posts A makes are held back
// behind a button and the list does not move; the button shows them on top. At the top of
// the page new posts still appear by themselves.
import { beforeAll, expect, it } from 'vitest'
import { join } from 'node:path'
import { ARTIFACTS, compose, createPerson, go, inviteAndJoin, onboard, postLocator, useAppWorld, waitForPost, type Person } from '../support/app-e2e.ts'

const world = useAppWorld()
let a: Person
let b: Person

beforeAll(async () => {
  a = await createPerson(world.browser, 'en')
  b = await createPerson(world.browser, 'zh-Hant')
})

it("B follows A through an invite; at the top of the page A's posts appear by themselves", async () => {
  await a.page.goto(world.relay.ready.http)
  await onboard(a, 'Alan')
  await inviteAndJoin(world, a, b, '小美')
  await go(a, '#/home')
  for (let i = 1; i <= 12; i++) await compose(a, `第 ${i} 則：野火燒不盡，春風吹又生。`)
  await waitForPost(b, '第 12 則', 15_000)
  await waitForPost(b, '第 1 則', 15_000)
})

it('scrolled down, B keeps its place: new posts wait behind "2 new posts"; the button shows them on top', async () => {
  await b.page.evaluate(() => window.scrollTo({ top: 700 }))
  await b.page.waitForFunction(() => window.scrollY >= 650)
  // where a post in the middle of the screen is, and which post is first in the list
  const place = () =>
    b.page.evaluate(() => ({
      y: window.scrollY,
      first: document.querySelector('article.post .post-text')?.textContent,
      sixth: [...document.querySelectorAll('article.post')].find((e) => e.textContent?.includes('第 6 則'))?.getBoundingClientRect().top,
    }))
  const before = await place()
  const cards = await b.page.locator('article.post').count()
  await compose(a, '新的一則 A')
  await compose(a, '新的一則 B')
  const button = b.page.getByRole('button', { name: b.t('timeline.newPosts', { n: 2 }) })
  await button.waitFor({ timeout: 15_000 })
  // nothing moved, nothing was inserted
  const after = await place()
  expect(after).toEqual(before)
  expect(await b.page.locator('article.post').count()).toBe(cards)
  expect(await postLocator(b, '新的一則').count()).toBe(0)
  // the visible part of the page, as the reader sees it (screenshot() would resize the viewport)
  await b.page.screenshot({ path: join(ARTIFACTS, 'home-new-posts.zh-Hant.png') })
  await button.click()
  await waitForPost(b, '新的一則 B')
  await b.page.waitForFunction(() => window.scrollY === 0)
  expect(await b.page.locator('article.post .post-text').first().textContent()).toContain('新的一則 B')
  await button.waitFor({ state: 'detached' })
  expect(b.problems).toEqual([])
})

it('one held-back post is named in the singular', async () => {
  await b.page.evaluate(() => window.scrollTo({ top: 700 }))
  await b.page.waitForFunction(() => window.scrollY >= 650)
  await compose(a, '再一則 C')
  const button = b.page.getByRole('button', { name: b.t('timeline.newPost'), exact: true })
  await button.waitFor({ timeout: 15_000 })
  expect(await postLocator(b, '再一則 C').count()).toBe(0)
  await button.click()
  await waitForPost(b, '再一則 C')
})
