// The installed app outlives its origin (protocol/releases.md §8): Alice installs the app from
// relay A, her device reaches relay B (learnt from A's backbone through signed relay records);
// Bob uses the app from relay B. Then A is stopped and its address answers nothing at all (a
// socket that accepts and never replies, as a blocked or blackholed host looks); Alice reopens
// the app, it comes from its service worker, connects through B, and her post reaches Bob.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServer, type Server, type Socket } from 'node:net'
import type { Browser } from 'playwright-core'
import { compose, createPerson, go, launchBrowser, onboard, reopen, waitForPost, waitReady, type Person } from '../support/app-e2e.ts'
import { buildRelease, waitForInstalledRelease, type Release } from '../support/app-release.ts'
import { cleanupRelays, readMetric, startRelayProcess, type RelayProcess } from '../support/relay-process.ts'

let release: Release
let browser: Browser
let a: RelayProcess
let b: RelayProcess
let alice: Person
let bob: Person
let blackhole: { server: Server; sockets: Set<Socket> } | undefined

const peerId = (relay: RelayProcess) => relay.wsAddrs()[0]!.split('/p2p/')[1]!
const relaysShown = (p: Person) => p.page.locator('[data-testid=connection]').innerText()
/** The relays part of the connection badge ("2 个中继"), whatever the peers part says. */
const onlineWith = (p: Person, relays: number) => p.t('status.online', { relays, peers: 0 }).split('·')[0]!.trim()

/** What the app keeps of relays it reached (src/app/wiring/vetted-relays.ts), read from its database. */
async function vettedRelays(p: Person): Promise<string[]> {
  return p.page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('wildgrass-app')
        open.onerror = () => reject(open.error ?? new Error('open failed'))
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get('vettedRelays')
          get.onsuccess = () => {
            resolve((get.result as string[] | undefined) ?? [])
            open.result.close()
          }
          get.onerror = () => reject(get.error ?? new Error('get failed'))
        }
      }),
  )
}

/** A listener on `port` that accepts every connection and never answers. */
async function listenAndNeverAnswer(port: number): Promise<{ server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return { server, sockets }
}

beforeAll(async () => {
  release = buildRelease(100)
  const fast = ['--app', release.dir, '--announce-interval-ms', '1000']
  a = await startRelayProcess({ args: fast })
  b = await startRelayProcess({ peers: [a.wsAddrs()[0]!], args: fast })
  browser = await launchBrowser()
  alice = await createPerson(browser, 'zh-Hans', { serviceWorkers: 'allow' })
  bob = await createPerson(browser, 'en')
})

afterAll(async () => {
  await browser?.close()
  for (const s of blackhole?.sockets ?? []) s.destroy()
  await new Promise<void>((resolve) => (blackhole ? blackhole.server.close(() => resolve()) : resolve()))
  await cleanupRelays()
  release?.cleanup()
})

it('Alice installs the app from relay A and her device reaches relay B too', async () => {
  await expect.poll(async () => (await readMetric(a, 'wg_connected_peers')) ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(1)
  await alice.page.goto(a.ready.http)
  await onboard(alice, '阿兰')
  await waitForInstalledRelease(alice.page, 100)
  // A's backbone carries B's signed relay record; the app keeps two relays and remembers both
  await expect
    .poll(() => vettedRelays(alice), { timeout: 30_000 })
    .toEqual(expect.arrayContaining([expect.stringContaining(peerId(a)), expect.stringContaining(peerId(b))]))
  await expect.poll(() => relaysShown(alice), { timeout: 15_000 }).toContain(onlineWith(alice, 2))
})

it('Bob, on relay B, follows Alice through her invite', async () => {
  await go(alice, '#/settings')
  await alice.page.getByRole('button', { name: alice.t('settings.inviteCreate'), exact: true }).click()
  const invite = await alice.page.locator('input.invite-link').inputValue()
  // Bob uses the app from B's address: the invite's fragment works on any copy of the app
  await bob.page.goto(`${b.ready.http}#${invite.split('#')[1]}`)
  await onboard(bob, 'Bob', '', { invite: 'accept' })
  await go(bob, '#/me')
  await expect.poll(async () => bob.page.locator('section.profile').getAttribute('data-author'), { timeout: 5_000 }).toMatch(/^did:key:/)
})

it("A is gone and its address answers nothing: Alice's app opens from its service worker, connects through B, and her post reaches Bob", async () => {
  const port = a.ports().port
  await a.stop()
  blackhole = await listenAndNeverAnswer(port)
  const page = alice.context.waitForEvent('response', {
    predicate: (r) => r.request().isNavigationRequest() && r.url().startsWith(a.ready.http),
    timeout: 20_000,
  })
  await reopen(alice, `${a.ready.http}#/home`)
  // the page came from the worker: the origin's socket holds every request and answers none
  expect((await page).fromServiceWorker()).toBe(true)
  await waitReady(alice)
  expect(blackhole.sockets.size).toBeGreaterThan(0) // the browser did try the origin (its update check)
  await expect.poll(() => relaysShown(alice), { timeout: 30_000 }).toContain(onlineWith(alice, 1))
  await compose(alice, '源站没了，野草还在')
  await go(bob, '#/home')
  await waitForPost(bob, '源站没了，野草还在', 30_000)
})
