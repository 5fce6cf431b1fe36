// The two-person scenario: two people in two browser profiles, one real local relay.
// 1 A onboards and creates an invite; 2 B opens it, onboards, follows A; 3 A posts in Chinese
// and B sees it within 5 s; 4 B replies, A sees it in the thread and as a notification;
// 5 B goes offline while A posts 3 times, back online B sees all 3; 6 both reload, all still
// there; 7 A deletes a post, it disappears on B; 8 B blocks A, A's posts are hidden on B.
import { beforeAll, expect, it } from 'vitest'
import {
  answerInvite,
  authorIdOf,
  compose,
  createPerson,
  go,
  onboard,
  postLocator,
  reopen,
  screenshot,
  useAppWorld,
  waitForPost,
  waitOnline,
  waitReady,
  type Person,
} from '../support/app-e2e.ts'

const world = useAppWorld()
let a: Person
let b: Person
let invite = ''

const FIRST = '野火烧不尽，春风吹又生。今天在#野草 上发第一条帖子'
const REPLY = 'Welcome to Wildgrass! 你好'
const OFFLINE = ['离线时的第一条', '离线时的第二条', '离线时的第三条']

beforeAll(async () => {
  a = await createPerson(world.browser, 'zh-Hans')
  b = await createPerson(world.browser, 'en')
})

it('1. A onboards, joins the relay and creates an invite', async () => {
  await a.page.goto(world.relay.ready.http)
  await onboard(a, '阿兰 Alan', '在野草上写字')
  await go(a, '#/settings')
  const address = world.relay.wsAddrs()[0]!
  await a.page.getByLabel(a.t('settings.relayAddress')).fill(address)
  await a.page.getByRole('button', { name: a.t('settings.relayAdd'), exact: true }).click()
  // the relay serving the app also lists itself in ./relay.json (ws and WebRTC-direct): that row may already be there
  await a.page
    .locator('.relays li', { hasText: address })
    .filter({ hasText: a.t('settings.relayConnected') })
    .waitFor({ timeout: 20_000 })
  await waitOnline(a)
  await a.page.getByLabel(a.t('settings.inviteCommunity')).fill('野草测试社区')
  await a.page.getByRole('button', { name: a.t('settings.inviteCreate'), exact: true }).click()
  invite = await a.page.locator('input.invite-link').inputValue()
  expect(invite).toContain('#invite=')
  expect(invite.startsWith(world.relay.ready.http)).toBe(true)
  await a.page.getByRole('img', { name: a.t('settings.inviteQr') }).waitFor()
  await a.page.getByRole('button', { name: a.t('settings.inviteCopy'), exact: true }).click()
  await a.page.getByRole('button', { name: a.t('settings.inviteCopied'), exact: true }).waitFor()
  expect(await a.page.evaluate(() => navigator.clipboard.readText())).toBe(invite)
  await screenshot(a, 'settings-invite')
})

it('2. B opens the invite, onboards, and follows A', async () => {
  await b.page.goto(invite)
  await b.page.getByText(b.t('onboard.invitedBy', { name: '阿兰 Alan' })).waitFor()
  await screenshot(b, 'onboarding-invited')
  await onboard(b, 'Bea', '', { screenshots: true, invite: 'accept' })
  // the fragment was consumed
  expect(b.page.url()).not.toContain('invite=')
  await waitOnline(b)
  await go(b, '#/settings')
  await b.page
    .locator('.relays li', { hasText: b.t('settings.relayConnected') })
    .first()
    .waitFor()
  // B follows A: A's profile, seen from B, offers "Unfollow"
  const aId = await authorIdOf(a)
  expect(aId).toMatch(/^did:key:z6Mk/)
  await go(b, `#/profile/${encodeURIComponent(aId!)}`)
  await b.page.getByRole('button', { name: b.t('profile.unfollow'), exact: true }).waitFor({ timeout: 10_000 })
  await b.page.locator('.profile-name', { hasText: '阿兰 Alan' }).waitFor({ timeout: 10_000 })
  await go(b, '#/home')
})

it('3. A posts in Chinese and B sees it within 5 s', async () => {
  await go(a, '#/home')
  await compose(a, FIRST)
  await waitForPost(a, '野火烧不尽')
  const ms = await waitForPost(b, '野火烧不尽', 5_000)
  console.log(`B saw A's post ${ms} ms after A's post was on A's screen`)
  expect(ms).toBeLessThan(5_000)
  await screenshot(a, 'home')
  await screenshot(b, 'home')
})

it('4. B replies; A sees the reply in the thread and as a notification', async () => {
  await postLocator(b, '野火烧不尽')
    .first()
    .getByRole('button', { name: b.t('post.reply'), exact: false })
    .first()
    .click()
  await b.page.locator('#compose-text').fill(REPLY)
  await b.page.locator('form.compose button[type=submit]').click()
  await waitForPost(b, REPLY)
  await go(a, '#/notifications')
  await a.page.locator('.notification-reply', { hasText: 'Bea' }).waitFor({ timeout: 10_000 })
  await a.page.locator('.notification-follow', { hasText: a.t('notif.follow', { name: 'Bea' }) }).waitFor({ timeout: 10_000 })
  await screenshot(a, 'notifications')
  await a.page.locator('.notification-reply button').first().click()
  await a.page.locator('.post-text', { hasText: REPLY }).waitFor({ timeout: 10_000 })
  // the reply is indented under the post it answers
  await a.page.locator('article.post.depth-1', { hasText: REPLY }).waitFor()
  await a.page.locator('article.post.depth-0', { hasText: '野火烧不尽' }).waitFor()
  await a.page.locator('.post-text', { hasText: '野火烧不尽' }).waitFor()
  await screenshot(a, 'thread')
  await go(b, '#/notifications')
  await screenshot(b, 'notifications')
})

it('(more) B reacts, reposts and quotes; A is notified of each (a quote as a quote); A sees B in the community timeline', async () => {
  await go(b, '#/home')
  const post = postLocator(b, '野火烧不尽').first()
  await post.getByRole('button', { name: b.t('post.react'), exact: true }).click()
  await post.getByRole('button', { name: `${b.t('post.react')} ❤️` }).click()
  await postLocator(b, '野火烧不尽').first().locator('.reaction.mine', { hasText: '❤️ 1' }).waitFor({ timeout: 10_000 })
  await post.getByRole('button', { name: b.t('post.repost'), exact: true }).click()
  await b.page.locator('.post-repost-note', { hasText: b.t('post.repostedBy', { name: 'Bea' }) }).waitFor({ timeout: 10_000 })
  await postLocator(b, '野火烧不尽')
    .first()
    .getByRole('button', { name: b.t('post.quote'), exact: true })
    .click()
  await b.page.locator('.compose-context', { hasText: b.t('compose.quoting') }).waitFor()
  await compose(b, 'Quoting this one 引用')
  await b.page.locator('article.post', { hasText: 'Quoting this one' }).locator('.post-quote', { hasText: '野火烧不尽' }).waitFor({ timeout: 10_000 })
  await go(a, '#/notifications')
  await a.page.locator('.notification-reaction', { hasText: '❤️' }).first().waitFor({ timeout: 10_000 })
  await a.page.locator('.notification-repost', { hasText: 'Bea' }).first().waitFor({ timeout: 10_000 })
  await a.page
    .locator('.notification-quote', { hasText: a.t('notif.quote', { name: 'Bea' }) })
    .first()
    .waitFor({ timeout: 10_000 })
  await screenshot(a, 'notifications')
  // counts under A's post, on A's side: B's reaction and B's reply
  await go(a, '#/home')
  const mine = postLocator(a, '野火烧不尽').first()
  await mine.locator('.reaction', { hasText: '❤️ 1' }).waitFor({ timeout: 10_000 })
  await mine.getByRole('button', { name: `${a.t('post.reply')} 1` }).waitFor()
  // A does not follow B: B's posts are in A's community timeline, not in A's home
  await go(a, '#/community')
  await waitForPost(a, 'Quoting this one', 10_000)
  await screenshot(a, 'community')
  await go(b, '#/community')
  // B joined A's community through the invite
  await b.page.getByRole('heading', { name: `${b.t('timeline.community')} · 野草测试社区` }).waitFor()
  await screenshot(b, 'community')
  await go(b, '#/search?q=' + encodeURIComponent('春风'))
  await waitForPost(b, '野火烧不尽')
  await screenshot(b, 'search')
  await go(a, '#/search?q=' + encodeURIComponent('#野草'))
  await waitForPost(a, '野火烧不尽')
  await screenshot(a, 'search')
  // people search, then B's profile lists whom B follows: A
  await go(a, '#/search?q=bea')
  await a.page.locator('ul.people button', { hasText: 'Bea' }).click()
  await a.page.locator('.profile-name', { hasText: 'Bea' }).waitFor()
  await a.page.locator('.profile-follows summary').click()
  await a.page.locator('.profile-follows li', { hasText: '阿兰 Alan' }).waitFor()
  await go(b, '#/home')
  await waitForPost(b, REPLY)
  await go(b, `#/thread/${await postLocator(b, REPLY).first().getAttribute('data-post-id')}`)
  await waitForPost(b, REPLY)
  await screenshot(b, 'thread')
})

it('5. B goes offline while A posts 3 times; back online, B sees all 3', async () => {
  await go(b, '#/home')
  await b.context.setOffline(true)
  // closing the page ends every connection (WebSocket and WebRTC alike): B is gone
  await b.page.close()
  await go(a, '#/home')
  for (const text of OFFLINE) {
    await compose(a, text)
    await waitForPost(a, text)
  }
  await b.context.setOffline(false)
  await reopen(b, world.relay.ready.http)
  for (const text of OFFLINE) await waitForPost(b, text, 20_000)
})

it('6. both reload and everything is still there', async () => {
  await a.page.reload()
  await b.page.reload()
  for (const p of [a, b]) {
    await waitReady(p)
    // read from the store, not from the first-paint snapshot: A's profile page, and a search
    await go(p, '#/me')
    await go(p, '#/home')
    for (const text of ['野火烧不尽', ...OFFLINE]) await waitForPost(p, text, 10_000)
    await go(p, '#/search?q=' + encodeURIComponent('离线时'))
    for (const text of OFFLINE) await waitForPost(p, text, 10_000)
    await go(p, '#/search?q=' + encodeURIComponent('Wildgrass'))
    await waitForPost(p, REPLY, 10_000)
  }
  // nothing is left waiting to be sent
  for (const p of [a, b]) await p.page.locator('[data-testid=connection] .queued').waitFor({ state: 'detached', timeout: 15_000 })
  await go(a, '#/me')
  await a.page.locator('.profile-name', { hasText: '阿兰 Alan' }).waitFor()
  await screenshot(a, 'profile')
  await go(b, '#/settings')
  await screenshot(b, 'settings')
})

it('7. A deletes a post and it disappears on B', async () => {
  await go(a, '#/home')
  await go(b, '#/home')
  await waitForPost(b, OFFLINE[0]!)
  await postLocator(a, OFFLINE[0]!)
    .getByRole('button', { name: a.t('post.delete'), exact: true })
    .click()
  await postLocator(a, OFFLINE[0]!).waitFor({ state: 'detached', timeout: 10_000 })
  // the honest note: deletion is best effort
  await a.page.locator('.notice', { hasText: a.t('post.deleted') }).waitFor()
  await postLocator(b, OFFLINE[0]!).waitFor({ state: 'detached', timeout: 15_000 })
})

it("8. B blocks A and A's posts are hidden on B", async () => {
  await postLocator(b, OFFLINE[1]!).locator('button.author').click()
  await b.page.locator('.profile-name', { hasText: '阿兰 Alan' }).waitFor()
  await screenshot(b, 'profile-other')
  await b.page.getByRole('button', { name: b.t('profile.block'), exact: true }).click()
  await b.page.getByRole('button', { name: b.t('profile.unblock'), exact: true }).waitFor()
  await go(b, '#/home')
  await b.page.waitForTimeout(500)
  expect(await postLocator(b, OFFLINE[1]!).count()).toBe(0)
  expect(await postLocator(b, '野火烧不尽').count()).toBe(0)
})

it('(offline posting) A posts while offline: it is kept, marked unsent, and sent when back online', async () => {
  // B unblocks A first (Settings → blocked people → Remove)
  await go(b, '#/settings')
  await b.page.locator('section[aria-labelledby=blocked-title] li button').first().click()
  await go(b, '#/home')
  await waitForPost(b, OFFLINE[1]!, 10_000)
  await go(a, '#/home')
  await a.context.setOffline(true)
  await a.page.locator('[data-testid=connection].connection-offline').waitFor()
  const text = '断网时写的帖子，联网后发出'
  await compose(a, text)
  await postLocator(a, text).locator('.post-pending-note').waitFor()
  await a.page.locator('[data-testid=connection] .queued').waitFor()
  await screenshot(a, 'offline-queued')
  await b.page.waitForTimeout(1500)
  expect(await postLocator(b, text).count()).toBe(0)
  await a.context.setOffline(false)
  await waitForPost(b, text, 20_000)
  await postLocator(a, text).locator('.post-pending-note').waitFor({ state: 'detached', timeout: 10_000 })
})

it('(direct) A and B find each other through the relay and connect browser to browser', async () => {
  // peers are announced on the discovery topic every 10 s; the count is in the header
  await a.page
    .locator('[data-testid=connection]', { hasText: a.t('status.online', { relays: 1, peers: 1 }) })
    .waitFor({ timeout: 40_000 })
    .catch(async (error: unknown) => {
      throw new Error(
        `A shows "${await a.page.locator('[data-testid=connection]').textContent()}", B "${await b.page.locator('[data-testid=connection]').textContent()}"`,
        { cause: error },
      )
    })
  await b.page.locator('[data-testid=connection]', { hasText: b.t('status.online', { relays: 1, peers: 1 }) }).waitFor({ timeout: 10_000 })
})

it('(privacy) B switches to "relay only" and still receives A\'s posts', async () => {
  await go(b, '#/settings')
  await b.page.getByLabel(b.t('settings.relayOnly')).check()
  await b.page.getByText(b.t('settings.relayOnlyExplain')).waitFor()
  await waitOnline(b)
  // no browser-to-browser connection any more: only the relay
  await b.page.locator('[data-testid=connection]', { hasText: b.t('status.online', { relays: 1, peers: 0 }) }).waitFor({ timeout: 10_000 })
  await go(b, '#/home')
  await go(a, '#/home')
  await compose(a, '只通过中继也能收到')
  await waitForPost(b, '只通过中继也能收到', 20_000)
  expect(await b.page.locator('[data-testid=connection]').textContent()).toContain(b.t('status.online', { relays: 1, peers: 0 }))
})

it('(invite, already onboarded) A opens an invite made by B and accepts it: A now follows B', async () => {
  await go(b, '#/settings')
  await b.page.getByRole('button', { name: b.t('settings.inviteCreate'), exact: true }).click()
  const link = await b.page.locator('input.invite-link').inputValue()
  const bId = await authorIdOf(b)
  await a.page.goto(link)
  await waitReady(a)
  expect(a.page.url()).not.toContain('invite=')
  await answerInvite(a, 'accept')
  await go(a, `#/profile/${encodeURIComponent(bId!)}`)
  await a.page.getByRole('button', { name: a.t('profile.unfollow'), exact: true }).waitFor({ timeout: 10_000 })
  await go(b, '#/home')
  await go(a, '#/home')
})

it("(mute, unfollow) B mutes A, then unmutes; B unfollows A: A leaves B's home but stays on A's profile", async () => {
  await postLocator(b, '只通过中继也能收到').locator('button.author').click()
  await b.page.getByRole('button', { name: b.t('profile.mute'), exact: true }).click()
  await b.page.getByRole('button', { name: b.t('profile.unmute'), exact: true }).waitFor()
  await go(b, '#/home')
  await b.page.waitForTimeout(500)
  expect(await postLocator(b, '只通过中继也能收到').count()).toBe(0)
  await go(b, '#/settings')
  await b.page.locator('section[aria-labelledby=blocked-title] li', { hasText: '阿兰 Alan' }).getByRole('button').click()
  await go(b, '#/home')
  await waitForPost(b, '只通过中继也能收到')
  await postLocator(b, '只通过中继也能收到').locator('button.author').click()
  await b.page.getByRole('button', { name: b.t('profile.unfollow'), exact: true }).click()
  await b.page.getByRole('button', { name: b.t('profile.follow'), exact: true }).waitFor()
  await waitForPost(b, '只通过中继也能收到') // A's own profile page still lists A's posts
  await go(b, '#/home')
  await b.page.waitForTimeout(500)
  expect(await postLocator(b, '只通过中继也能收到').count()).toBe(0)
  expect(a.problems).toEqual([])
  expect(b.problems).toEqual([])
})
