// Private follows through the real UI (protocol/lists.md §1-2): P turns on "keep whom I follow
// private" and the public feed document, as another person's browser reads it, shows no
// follows; P's two devices (the second restored from the phrase) each follow or unfollow while
// both are offline, and once back online both show the same merged list — still not public.
import { beforeAll, expect, it } from 'vitest'
import { encodeDidKey, generateSecretKey, getPublicKey, type AuthorId } from '../../src/core/index.ts'
import { authorIdOf, createPerson, go, onboard, restoreDevice, screenshot, useAppWorld, waitOnline, type Person } from '../support/app-e2e.ts'

const world = useAppWorld()
let p1: Person
let p2: Person
let o: Person
let pId: AuthorId
let pWords: string[]
const someone = (): AuthorId => encodeDidKey(getPublicKey(generateSecretKey()))
const [x, y, z] = [someone(), someone(), someone()]

async function setFollow(p: Person, who: AuthorId, on: boolean): Promise<void> {
  await go(p, `#/profile/${encodeURIComponent(who)}`)
  await p.page.getByRole('button', { name: p.t(on ? 'profile.follow' : 'profile.unfollow'), exact: true }).click()
  await p.page.getByRole('button', { name: p.t(on ? 'profile.unfollow' : 'profile.follow'), exact: true }).waitFor()
}

/** waits until `viewer`'s screen shows P's profile following exactly `expected` */
async function expectFollowsShown(viewer: Person, expected: readonly AuthorId[]): Promise<void> {
  await go(viewer, `#/profile/${encodeURIComponent(pId)}`)
  const shown = async (): Promise<string> => {
    // "Following N · Followers M": whether this store knows O's follow of P does not matter here
    const count = ((await viewer.page.locator('section.profile p.muted').first().textContent()) ?? '').split(' · ')[0]
    const hrefs = await viewer.page.locator('details.profile-follows li a').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''))
    return `${count} ${hrefs
      .map((h) => decodeURIComponent(h.replace('#/profile/', '')))
      .sort()
      .join(' ')}`.trim()
  }
  const want = `${viewer.t('profile.following', { n: expected.length })} ${[...expected].sort().join(' ')}`.trim()
  await expect.poll(shown, { timeout: 20_000 }).toBe(want)
}

beforeAll(async () => {
  p1 = await createPerson(world.browser, 'zh-Hant')
  o = await createPerson(world.browser, 'en')
  await p1.page.goto(world.relay.ready.http)
  pWords = await onboard(p1, '小葉')
  await waitOnline(p1)
  pId = await authorIdOf(p1)
  await o.page.goto(world.relay.ready.http)
  await onboard(o, 'Olive')
  await waitOnline(o)
  // O follows P: O keeps P's feed document up to date
  await setFollow(o, pId, true)
})

it('turned on, the follows leave the public feed document: another person sees none', async () => {
  await setFollow(p1, x, true)
  await expectFollowsShown(o, [x])
  await go(p1, '#/settings')
  await p1.page.getByLabel(p1.t('settings.privateFollows')).check()
  await expectFollowsShown(o, [])
  // P's own devices still see them
  await expectFollowsShown(p1, [x])
})

it('two devices edit offline; online again, both show the same merged list, and it stays private', async () => {
  p2 = await restoreDevice(world, 'zh-Hans', pWords)
  // the second device reads the sealed follows and the setting from the feed document
  await expectFollowsShown(p2, [x])
  await go(p2, '#/settings')
  await expect.poll(() => p2.page.getByLabel(p2.t('settings.privateFollows')).isChecked(), { timeout: 20_000 }).toBe(true)

  await p1.context.setOffline(true)
  await p2.context.setOffline(true)
  await setFollow(p1, y, true)
  await setFollow(p2, z, true)
  await setFollow(p2, x, false)
  // each device has only its own edits while they cannot reach anyone
  await expectFollowsShown(p1, [x, y].sort())
  await expectFollowsShown(p2, [z])

  await p1.context.setOffline(false)
  await p2.context.setOffline(false)
  const merged = [y, z].sort()
  await expectFollowsShown(p1, merged)
  await expectFollowsShown(p2, merged)
  await screenshot(p2, 'private-follows')

  // a public edit made after the merge: once O shows it, O holds everything it depends on
  await go(p1, '#/edit-profile')
  await p1.page.getByLabel(p1.t('onboard.name')).fill('小葉（私密關注）')
  await p1.page.getByRole('button', { name: p1.t('profile.save'), exact: true }).click()
  await go(o, `#/profile/${encodeURIComponent(pId)}`)
  await o.page.locator('.profile-name', { hasText: '小葉（私密關注）' }).waitFor({ timeout: 20_000 })
  await expectFollowsShown(o, [])
  expect([...p1.problems, ...p2.problems, ...o.problems]).toEqual([])
})
