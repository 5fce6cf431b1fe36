// What trips a newcomer in the first hour, through the real UI, two people on a real relay:
// 1 an empty home says how to find people and suggests some; 2 a profile lists its followers;
// 3 a reaction and a repost can be taken back; 4 bookmarks have a screen; 5 a post that fails
// keeps what was typed (the post it answered was deleted meanwhile); 6 a post edited by its author
// reads "edited" with its earlier version, and deleting it deletes every version.
import { beforeAll, expect, it } from 'vitest'
import { compose, createPerson, go, inviteAndJoin, onboard, postLocator, screenshot, useAppWorld, waitForPost, type Person } from '../support/app-e2e.ts'

const world = useAppWorld()
let a: Person
let b: Person
const FIRST = '第一天在野草上：今天的猫 #猫'

beforeAll(async () => {
  a = await createPerson(world.browser, 'zh-Hans')
  b = await createPerson(world.browser, 'zh-Hant')
})

it('1. a newcomer without an invite sees what the home is for, how to find people, and (later) people to follow', async () => {
  await a.page.goto(world.relay.ready.http)
  await onboard(a, '阿兰 Alan', '')
  await go(a, '#/home')
  await a.page.getByRole('heading', { name: a.t('home.emptyTitle') }).waitFor()
  await a.page.getByText(a.t('home.emptyExplain')).waitFor()
  for (const [label, href] of [
    ['home.invite', '#/settings'],
    ['home.community', '#/community'],
    ['home.search', '#/search'],
  ] as const) {
    expect(
      await a.page
        .locator('.empty-home')
        .getByRole('link', { name: a.t(label) })
        .getAttribute('href'),
    ).toBe(href)
  }
  await a.page.getByText(a.t('home.suggestedNone')).waitFor()
  await screenshot(a, 'home-newcomer')

  // B joins through A's invite and posts: B is now someone active on A's relay
  await inviteAndJoin(world, a, b, 'Bea')
  await go(b, '#/home')
  await compose(b, 'Bea 的第一則貼文')
  await go(a, '#/community')
  await waitForPost(a, 'Bea 的第一則貼文')
  await go(a, '#/home')
  const suggestion = a.page.locator('.suggestions li', { hasText: 'Bea' })
  await suggestion.waitFor({ timeout: 15_000 })
  await suggestion.getByRole('button', { name: a.t('profile.follow'), exact: true }).click()
  // following fills the home: the explanation gives way to the timeline
  await waitForPost(a, 'Bea 的第一則貼文')
  expect(await a.page.getByRole('heading', { name: a.t('home.emptyTitle') }).count()).toBe(0)
})

it("2. a profile lists who follows the person: B, who followed A through the invite, is on A's", async () => {
  await go(a, '#/me')
  const followers = a.page.locator('section.profile .profile-followers')
  await followers.locator('summary', { hasText: a.t('profile.followers', { n: 1 }) }).click({ timeout: 15_000 })
  await followers.locator('li', { hasText: 'Bea' }).waitFor()
  await screenshot(a, 'profile-followers', 'section.profile')
})

it('3. B takes back a reaction and a repost; the counts and the repost go away on both sides', async () => {
  await go(a, '#/home')
  await compose(a, FIRST)
  await go(b, '#/home')
  await waitForPost(b, FIRST)
  const onB = () => postLocator(b, FIRST).first()
  await onB()
    .getByRole('button', { name: b.t('post.react'), exact: true })
    .click()
  await onB()
    .getByRole('button', { name: `${b.t('post.react')} ❤️`, exact: true })
    .click()
  const mine = onB().getByRole('button', { name: b.t('post.takeBack', { emoji: '❤️' }) })
  await mine.waitFor({ timeout: 10_000 })
  expect(await mine.getAttribute('aria-pressed')).toBe('true')
  await postLocator(a, FIRST).first().locator('.reaction', { hasText: '❤️ 1' }).waitFor({ timeout: 10_000 })
  await mine.click()
  await onB().locator('.reaction').waitFor({ state: 'detached', timeout: 10_000 })
  await postLocator(a, FIRST).first().locator('.reaction').waitFor({ state: 'detached', timeout: 15_000 })

  await onB()
    .getByRole('button', { name: b.t('post.repost'), exact: true })
    .click()
  const reposted = b.page.locator('.post-repost-note', { hasText: b.t('post.repostedBy', { name: 'Bea' }) })
  await reposted.waitFor({ timeout: 10_000 })
  await onB()
    .getByRole('button', { name: b.t('post.undoRepost'), exact: true })
    .click()
  await reposted.waitFor({ state: 'detached', timeout: 10_000 })
  await onB()
    .getByRole('button', { name: b.t('post.repost'), exact: true })
    .waitFor()
  // A was told of the repost; once it is taken back, so is the notification
  await go(a, '#/notifications')
  await a.page.locator('.notification-repost').waitFor({ state: 'detached', timeout: 15_000 })
})

it("4. B bookmarks the post, finds it under the bookmarks of B's profile, and removes it", async () => {
  await go(b, '#/home')
  await postLocator(b, FIRST)
    .first()
    .getByRole('button', { name: b.t('post.bookmark'), exact: true })
    .click()
  await postLocator(b, FIRST)
    .first()
    .getByRole('button', { name: b.t('post.unbookmark'), exact: true })
    .waitFor()
  await go(b, '#/me')
  await b.page.getByRole('link', { name: b.t('profile.bookmarks'), exact: true }).click()
  await b.page.getByRole('heading', { name: b.t('bookmarks.title') }).waitFor()
  await waitForPost(b, FIRST)
  await screenshot(b, 'bookmarks')
  await postLocator(b, FIRST)
    .first()
    .getByRole('button', { name: b.t('post.unbookmark'), exact: true })
    .click()
  await b.page.getByText(b.t('bookmarks.empty')).waitFor({ timeout: 10_000 })
})

it('5. a reply whose post was deleted meanwhile fails with a clear message, and what B typed stays', async () => {
  await go(b, '#/home')
  await postLocator(b, FIRST)
    .first()
    .getByRole('button', { name: b.t('post.reply'), exact: true })
    .click()
  const draft = '我寫了很久的回覆，不能丟掉'
  await b.page.locator('#compose-text').fill(draft)
  // A deletes the post while B writes; B's device drops it
  await go(a, '#/home')
  await postLocator(a, FIRST)
    .first()
    .getByRole('button', { name: a.t('post.delete'), exact: true })
    .click()
  await postLocator(b, FIRST).first().waitFor({ state: 'detached', timeout: 15_000 })
  await b.page.locator('form.compose button[type=submit]').click()
  await b.page.locator('.notice', { hasText: 'E_BAD_REFERENCE' }).waitFor({ timeout: 10_000 })
  expect(await b.page.locator('#compose-text').inputValue()).toBe(draft)
  await screenshot(b, 'reply-failed-draft-kept')
})

it('6. A edits a post: B sees the new text, "edited" and the earlier version; A deletes it and both versions are gone on B', async () => {
  const before = '周末去爬山，天气很好'
  const after = '周末去爬山，天气很好，还看到了松鼠 🐿️'
  await go(a, '#/home')
  await compose(a, before)
  await go(b, '#/home')
  await waitForPost(b, before)
  await postLocator(a, before)
    .first()
    .getByRole('button', { name: a.t('post.edit'), exact: true })
    .click()
  await a.page.locator('.compose-context', { hasText: a.t('compose.editing') }).waitFor()
  await expect.poll(() => a.page.locator('#compose-text').inputValue()).toBe(before)
  await a.page.locator('#compose-text').fill(after)
  await a.page.getByRole('button', { name: a.t('compose.saveEdit'), exact: true }).click()
  await waitForPost(a, after)
  // B: the newest text, with "edited" and the earlier version behind it
  await waitForPost(b, after)
  const card = postLocator(b, after).first()
  await card.getByRole('button', { name: b.t('post.edited', { n: 1 }) }).click()
  await card.locator('.post-versions li', { hasText: before }).waitFor()
  await screenshot(b, 'post-edited')
  // replies and reactions stay with the post: B reacts to the edited post and A sees it
  await card.getByRole('button', { name: b.t('post.react'), exact: true }).click()
  await card.getByRole('button', { name: `${b.t('post.react')} 🌱`, exact: true }).click()
  await postLocator(a, after).first().locator('.reaction', { hasText: '🌱 1' }).waitFor({ timeout: 10_000 })
  await postLocator(a, after)
    .first()
    .getByRole('button', { name: a.t('post.delete'), exact: true })
    .click()
  await postLocator(b, after).first().waitFor({ state: 'detached', timeout: 15_000 })
  await go(b, '#/search?q=' + encodeURIComponent('松鼠'))
  await b.page.getByText(b.t('search.none')).first().waitFor({ timeout: 10_000 })
  expect(await postLocator(b, before).count()).toBe(0)
})
