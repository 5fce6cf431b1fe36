// Shared block lists through the real UI (protocol/lists.md): C publishes a list holding D;
// B subscribes to it from C's profile; D's posts vanish for B; C removes D and they return.
import { beforeAll, expect, it } from 'vitest'
import type { AuthorId } from '../../src/core/index.ts'
import {
  authorIdOf,
  compose,
  createPerson,
  go,
  onboard,
  postLocator,
  screenshot,
  useAppWorld,
  waitForPost,
  waitOnline,
  type Person,
} from '../support/app-e2e.ts'

const world = useAppWorld()
let b: Person
let c: Person
let d: Person
let dId: AuthorId
let cId: AuthorId
const D_POST = 'D 的帖子：在名单上时你看不到我'
const LIST = '骚扰名单'

beforeAll(async () => {
  b = await createPerson(world.browser, 'en')
  c = await createPerson(world.browser, 'zh-Hans')
  d = await createPerson(world.browser, 'zh-Hant')
  for (const [p, name] of [
    [b, 'Bea'],
    [c, '小陈'],
    [d, '阿德'],
  ] as const) {
    await p.page.goto(world.relay.ready.http)
    await onboard(p, name)
    await waitOnline(p)
  }
  dId = await authorIdOf(d)
  cId = await authorIdOf(c)
})

it("B follows D and sees D's post", async () => {
  await go(b, `#/profile/${encodeURIComponent(dId)}`)
  await b.page.getByRole('button', { name: b.t('profile.follow'), exact: true }).click()
  await b.page.getByRole('button', { name: b.t('profile.unfollow'), exact: true }).waitFor()
  await go(d, '#/home')
  await compose(d, D_POST)
  await go(b, '#/home')
  await waitForPost(b, D_POST, 15_000)
})

it("C publishes a list holding D; B subscribes from C's profile and D's posts vanish", async () => {
  await go(c, '#/settings')
  await c.page.getByLabel(c.t('lists.name')).fill(LIST)
  await c.page.getByLabel(c.t('lists.description')).fill('反复骚扰别人的账号')
  await c.page.getByRole('button', { name: c.t('lists.create'), exact: true }).click()
  const mine = c.page.locator('details.my-list', { hasText: LIST })
  await mine.waitFor()
  await mine.evaluate((el) => {
    ;(el as HTMLDetailsElement).open = true
  })
  await mine.getByLabel(c.t('lists.addKey')).fill(dId)
  await mine
    .getByRole('button', { name: c.t('lists.add'), exact: true })
    .first()
    .click()
  await mine.locator('summary', { hasText: c.t('lists.entries', { n: 1, w: 0 }) }).waitFor()
  await screenshot(c, 'lists-mine', 'section.lists')

  let t0 = Date.now()
  await go(b, `#/profile/${encodeURIComponent(cId)}`)
  const list = b.page.locator('.lists-of-person li', { hasText: LIST })
  await list.waitFor({ timeout: 20_000 })
  console.log(`C's list on B's screen after ${Date.now() - t0} ms`)
  t0 = Date.now()
  await list.getByRole('button', { name: b.t('lists.subscribeBlock'), exact: true }).click()
  await list.getByRole('button', { name: b.t('lists.unsubscribe'), exact: true }).waitFor()
  await go(b, '#/home')
  await expect.poll(() => postLocator(b, D_POST).count(), { timeout: 10_000 }).toBe(0)
  console.log(`D's post gone ${Date.now() - t0} ms after subscribing`)
  // the entry can be reviewed and overridden in Settings
  await go(b, '#/settings')
  const sub = b.page.locator('details.subscribed-list', { hasText: LIST })
  await sub.waitFor()
  await sub.evaluate((el) => {
    ;(el as HTMLDetailsElement).open = true
  })
  await sub.getByText('阿德').waitFor()
  await screenshot(b, 'lists-subscribed', 'section.lists')
})

it("C removes D from the list: D's posts come back for B", async () => {
  await go(c, '#/settings')
  const mine = c.page.locator('details.my-list', { hasText: LIST })
  await mine.evaluate((el) => {
    ;(el as HTMLDetailsElement).open = true
  })
  await mine
    .getByRole('button', { name: c.t('lists.remove'), exact: true })
    .first()
    .click()
  await mine.locator('summary', { hasText: c.t('lists.entries', { n: 0, w: 0 }) }).waitFor()
  await go(b, '#/home')
  await waitForPost(b, D_POST, 20_000)
  expect([...b.problems, ...c.problems, ...d.problems]).toEqual([])
})
