// The two-person path over https and wss: the app from a relay with a TLS certificate at
// https://wildgrass.test:PORT/ (Chromium trusts the test certificate by its SPKI and maps the
// name to loopback), so the page is a secure context that is not localhost and the browser
// build's connection gater applies its production rules: no ws://, no private addresses. A
// onboards, adds the relay by its wss address and invites B; B joins through the invite; A
// posts, B sees it; B replies, A is notified.
import { beforeAll, expect, it } from 'vitest'
import {
  compose,
  createPerson,
  go,
  inviteAndJoin,
  onboard,
  postLocator,
  relayAddress,
  useAppWorld,
  waitForPost,
  waitReady,
  type Person,
} from '../support/app-e2e.ts'
import { fetchLoopback, TEST_HOST } from '../support/tls.ts'

const world = useAppWorld({ tls: true })
let a: Person
let b: Person
const wsRequests: string[] = []

beforeAll(async () => {
  a = await createPerson(world.browser, 'zh-Hant', { serviceWorkers: 'allow' })
  b = await createPerson(world.browser, 'en')
  for (const p of [a, b]) p.page.on('websocket', (ws) => wsRequests.push(ws.url()))
})

it('serves the app over https as a secure context where the service worker registers', async () => {
  expect(world.relay.ready.http).toMatch(new RegExp(`^https://${TEST_HOST.replace('.', '\\.')}:\\d+/$`))
  await a.page.goto(world.relay.ready.http)
  await a.page.getByRole('button', { name: a.t('onboard.create'), exact: true }).waitFor()
  const page = await a.page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready
    return { secure: isSecureContext, subtle: typeof crypto.subtle?.sign, origin: location.origin, scope: reg.scope, active: reg.active !== null }
  })
  expect(page).toEqual({ secure: true, subtle: 'function', origin: world.relay.ready.http.slice(0, -1), scope: world.relay.ready.http, active: true })
  const csp = String((await fetchLoopback(world.relay.ready.http, { ca: world.tls!.cert })).headers['content-security-policy'])
  expect(csp).toContain("connect-src 'self' wss:;")
  expect(csp).not.toMatch(/\sws:/)
})

it('onboards A and B through an invite carrying the wss address, over wss only', async () => {
  await onboard(a, '阿蘭', '在野草上寫字')
  await waitReady(a)
  await inviteAndJoin(world, a, b, 'Bea')
  const invite = await a.page.locator('input.invite-link').inputValue()
  expect(invite.startsWith(world.relay.ready.http)).toBe(true)
  const address = relayAddress(world)
  expect(address).toMatch(new RegExp(`^/dns4/${TEST_HOST}/tcp/\\d+/tls/ws/p2p/`))
  await go(b, '#/settings')
  await b.page
    .locator('.relays li', { hasText: address })
    .filter({ hasText: b.t('settings.relayConnected') })
    .waitFor({ timeout: 20_000 })
  expect(wsRequests.length).toBeGreaterThan(0)
  expect(wsRequests.every((u) => u.startsWith(`wss://${TEST_HOST}:`))).toBe(true)
})

it('A posts and B sees it; B replies and A is notified', async () => {
  await go(b, '#/home')
  await go(a, '#/home')
  await compose(a, '野火燒不盡，春風吹又生 — over https')
  await waitForPost(a, '野火燒不盡')
  await waitForPost(b, '野火燒不盡', 15_000)
  await postLocator(b, '野火燒不盡')
    .first()
    .getByRole('button', { name: b.t('post.reply'), exact: false })
    .first()
    .click()
  await b.page.locator('#compose-text').fill('Reply over wss 你好')
  await b.page.locator('form.compose button[type=submit]').click()
  await waitForPost(b, 'Reply over wss')
  await go(a, '#/notifications')
  await a.page.locator('.notification-reply', { hasText: 'Bea' }).waitFor({ timeout: 15_000 })
  expect(a.problems).toEqual([])
  expect(b.problems).toEqual([])
})
