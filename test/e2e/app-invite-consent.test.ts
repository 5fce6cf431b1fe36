// An invite asks before it acts (protocol/invites.md §6). A posts an invite link; C, already
// here, opens it: the offer names A (with A's key) and the relay, and nothing changes until C
// decides — declined, C follows no one; opened again and accepted, C follows A. D, a newcomer,
// declines it while onboarding and follows no one either.
import { beforeAll, expect, it } from 'vitest'
import {
  answerInvite,
  authorIdOf,
  createPerson,
  go,
  onboard,
  relayAddress,
  screenshot,
  useAppWorld,
  waitOnline,
  waitReady,
  ui,
  type Person,
} from '../support/app-e2e.ts'
import { shortKey } from '../../src/app/ui/invite-offer.tsx'

const world = useAppWorld()
let a: Person
let c: Person
let invite = ''

async function followingCount(p: Person): Promise<string | null> {
  await go(p, '#/me')
  const counts = p.page.locator('section.profile .profile-top p.muted')
  await counts.waitFor()
  return counts.textContent()
}
const following = (n: number) => ui('en', 'profile.following').replace('{n}', String(n))

beforeAll(async () => {
  a = await createPerson(world.browser, 'en')
  await a.page.goto(world.relay.ready.http)
  await onboard(a, 'Ana')
  await waitReady(a)
  await go(a, '#/settings')
  await a.page.getByLabel(a.t('settings.relayAddress')).fill(relayAddress(world))
  await a.page.getByRole('button', { name: a.t('settings.relayAdd'), exact: true }).click()
  await waitOnline(a)
  await a.page.getByRole('button', { name: a.t('settings.inviteCreate'), exact: true }).click()
  invite = await a.page.locator('input.invite-link').inputValue()
  c = await createPerson(world.browser, 'en')
  await c.page.goto(world.relay.ready.http)
  await onboard(c, 'Cai')
  await waitOnline(c)
})

it('an onboarded person sees what the invite would do, and declining changes nothing', async () => {
  const aId = await authorIdOf(a)
  await c.page.goto(invite)
  const offer = c.page.getByTestId('invite-offer')
  await offer.waitFor()
  const text = await offer.textContent()
  expect(text).toContain(c.t('invite.offerTitle', { name: 'Ana' }))
  expect(text).toContain(shortKey(aId))
  expect(text).toContain('127.0.0.1')
  await screenshot(c, 'invite-offer', '[data-testid=invite-offer]')
  // the offer waits: nothing was followed meanwhile
  await c.page.waitForTimeout(1_000)
  expect(await followingCount(c)).toContain(following(0))
  await answerInvite(c, 'decline')
  await offer.waitFor({ state: 'detached' })
  await c.page.reload()
  await waitReady(c)
  expect(await c.page.getByTestId('invite-offer').count()).toBe(0)
  expect(await followingCount(c)).toContain(following(0))
})

it('opened again and accepted, it follows the inviter', async () => {
  await c.page.goto(invite)
  await answerInvite(c, 'accept')
  await expect.poll(() => followingCount(c), { timeout: 10_000 }).toContain(following(1))
  expect(c.problems).toEqual([])
})

it('a newcomer who declines it while onboarding follows no one', async () => {
  const d = await createPerson(world.browser, 'en')
  await d.page.goto(invite)
  await onboard(d, 'Dai', '', { invite: 'decline' })
  await waitOnline(d)
  expect(await d.page.getByTestId('invite-offer').count()).toBe(0)
  expect(await followingCount(d)).toContain(following(0))
  expect(d.problems).toEqual([])
  await d.context.close()
})
