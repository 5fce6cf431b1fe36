// What a phone receives (protocol/subscribe.md), through the real UI on a real relay: the app
// subscribes to its own world, not the firehose. Strangers are Node peers on the same relay.
// A thread A opens brings its replies from the relay, also those from before A subscribed; a
// stranger's new post reaches A's community timeline (the community stream, on while the app is
// on screen); a stranger who follows A shows up as a new follower.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { SignedEvent } from '../../src/core/types.ts'
import { readMetric } from '../support/relay-process.ts'
import { authorIdOf, createPerson, go, onboard, postLocator, useAppWorld, waitEngineLoaded, waitForPost, waitOnline, type Person } from '../support/app-e2e.ts'
import { startTestPeer, stopTestPeers, waitForRelays, type TestPeer } from '../support/relay-peers.ts'

const world = useAppWorld()
let a: Person
let s1: TestPeer
let s2: TestPeer

let root: SignedEvent
let quoted: SignedEvent

beforeAll(async () => {
  s1 = await startTestPeer({ name: 'stranger 1', relays: world.relay.wsAddrs() })
  s2 = await startTestPeer({ name: 'stranger 2', relays: world.relay.wsAddrs() })
  await Promise.all([waitForRelays(s1, 1), waitForRelays(s2, 1)])
  for (const p of [s1, s2])
    for (const env of (await p.store.editProfile({ name: p === s1 ? 'Stranger One' : 'Stranger Two' })).envelopes) await p.network.publishChange(env)
  // a thread between strangers, all of it before A exists
  root = await s1.post('a stranger’s morning walk')
  await s2.store.ingestEvents([root.bytes])
  const reply = await s2.store.reply(root.id, { text: 'a reply between strangers' })
  for (const env of reply.envelopes) await s2.network.publishChange(env)
  await s2.network.publishEvent(reply.event!.bytes)
  // and a post a stranger will quote later (the community stream, live only, never sends it to A)
  quoted = await s2.post('a post only its quote names')
  for (let t0 = Date.now(); ((await readMetric(world.relay, 'wg_archive_events')) ?? 0) < 3;) {
    if (Date.now() - t0 > 10_000) throw new Error('the relay did not archive the thread')
    await new Promise((r) => setTimeout(r, 100))
  }
  a = await createPerson(world.browser, 'en')
  await a.page.goto(world.relay.ready.http)
  await onboard(a, 'Ann', '')
})

afterAll(stopTestPeers)

it('a thread A opens brings its replies from the relay, from before A was there', async () => {
  // A opens the stranger's profile (their document and posts come by sync), then the thread
  await go(a, `#/profile/${encodeURIComponent(s1.me)}`)
  await waitForPost(a, 'a stranger’s morning walk', 20_000)
  await go(a, `#/thread/${encodeURIComponent(root.id)}`)
  await a.page.getByRole('heading', { name: a.t('thread.title') }).waitFor()
  // neither a follow's post nor about A: only the thread's own fetch brings it
  await waitForPost(a, 'a reply between strangers', 20_000)
})

it('a stranger’s new post reaches the community timeline live (the community stream, while A has the app on screen)', async () => {
  await go(a, '#/community')
  await waitOnline(a)
  // live only: a post made before A's subscription has its new filter is not sent, so the
  // stranger posts again until one arrives
  let seen = false
  for (let i = 0; i < 10 && !seen; i++) {
    await s1.post(`a stranger’s evening walk ${i}`)
    seen = (await waitForPost(a, `a stranger’s evening walk ${i}`, 3000).catch(() => undefined)) !== undefined
  }
  expect(seen).toBe(true)
})

it('a stranger who follows A is a new follower in A’s notifications', async () => {
  const me = await authorIdOf(a)
  for (const env of (await s2.store.follow(me)).envelopes) await s2.network.publishChange(env)
  await go(a, '#/notifications')
  await a.page.getByText(a.t('notif.follow', { name: 'Stranger Two' })).waitFor({ timeout: 20_000 })
})

it('A follows a stranger who quotes another stranger: the quoted post, never sent to A, is fetched and shown', async () => {
  await go(a, `#/profile/${encodeURIComponent(s1.me)}`)
  await a.page.getByRole('button', { name: a.t('profile.follow'), exact: true }).click()
  await s1.store.ingestEvents([quoted.bytes])
  const quote = await s1.store.post({ text: 'stranger one quotes stranger two', quote: quoted.id })
  for (const env of quote.envelopes) await s1.network.publishChange(env)
  await s1.network.publishEvent(quote.event!.bytes)
  await go(a, '#/home')
  await waitForPost(a, 'stranger one quotes stranger two', 20_000)
  await postLocator(a, 'stranger one quotes stranger two').locator('.post-quote', { hasText: 'a post only its quote names' }).waitFor({ timeout: 20_000 })
})

it('a stranger’s profile and a thread opened before any relay answers fill in once the app is online', async () => {
  const d = await createPerson(world.browser, 'en')
  await d.page.goto(world.relay.ready.http)
  // offline once the app has loaded behind the welcome screen (without a service worker the
  // lazy chunks need the network): onboarding works, no relay can be reached
  await waitEngineLoaded(d)
  await d.context.setOffline(true)
  await onboard(d, 'Dee', '')
  await go(d, `#/profile/${encodeURIComponent(s1.me)}`)
  await d.page.locator('section.profile').waitFor()
  await new Promise((r) => setTimeout(r, 1000))
  expect(await postLocator(d, 'a stranger’s morning walk').count()).toBe(0)
  await d.context.setOffline(false)
  await waitForPost(d, 'a stranger’s morning walk', 30_000)
  await d.context.setOffline(true)
  await go(d, `#/thread/${encodeURIComponent(root.id)}`)
  await d.page.getByRole('heading', { name: d.t('thread.title') }).waitFor()
  await new Promise((r) => setTimeout(r, 1000))
  await d.context.setOffline(false)
  await waitForPost(d, 'a reply between strangers', 30_000)
  await d.context.close()
})
