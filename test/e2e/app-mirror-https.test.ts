// The app from any secure origin: the built dist/ on a plain static HTTPS host at a sub-path,
// with no relay behind it (the app's own meta CSP is the only policy), and relays elsewhere.
// - A relay with TLS (another port, its own name in a real deployment): a person opens the
//   relay's invite on the mirror, onboards, connects to the relay by wss (the only transport
//   the mirror's page and the browser's production rules allow to it here) and posts; the post
//   reaches the relay's archive.
// - A relay without a certificate: an invite naming only its WebRTC-direct address. The mirror
//   is opened at https://127.0.0.1:PORT/ here, since the browser's production rules refuse a
//   loopback address from a public origin (a real relay has a public one); no WebSocket is
//   opened, and the post reaches that relay's archive.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { join } from 'node:path'
import { createInvite } from '../../src/core/invite.ts'
import { generateSecretKey } from '../../src/core/keys.ts'
import { serveStatic } from '../support/app-static-server.ts'
import { buildApp, compose, createPerson, launchBrowser, onboard, waitForPost, waitOnline, type Person } from '../support/app-e2e.ts'
import { cleanupRelays, readMetric, startRelayProcess, type RelayProcess } from '../support/relay-process.ts'
import { chromiumTlsArgs, makeTestCertificate, TEST_HOST, type TestCertificate } from '../support/tls.ts'

let build: ReturnType<typeof buildApp>
let cert: TestCertificate
let mirror: Awaited<ReturnType<typeof serveStatic>>
let relay: RelayProcess
let plainRelay: RelayProcess
let browser: Browser
let p: Person
const sockets: string[] = []

beforeAll(async () => {
  build = buildApp()
  cert = makeTestCertificate()
  mirror = await serveStatic(build.dir, '/mirror/野草/', { tls: { cert: cert.cert, key: cert.key, host: TEST_HOST } })
  // the relay serves no app of its own: the mirror is the only origin of the app
  relay = await startRelayProcess({ args: ['--tls-cert', cert.certPath, '--tls-key', cert.keyPath, '--app', join(build.dir, 'not-here')], ca: cert.cert })
  plainRelay = await startRelayProcess({ args: ['--app', join(build.dir, 'not-here')] })
  browser = await launchBrowser(chromiumTlsArgs([cert.spki]))
  p = await createPerson(browser, 'zh-Hans', { serviceWorkers: 'allow' })
  p.page.on('websocket', (ws) => sockets.push(ws.url()))
})

afterAll(async () => {
  await browser?.close()
  await mirror?.close()
  await cleanupRelays()
  build?.cleanup()
  cert?.cleanup()
})

it('onboards through an invite on a static https mirror at a sub-path and posts through a relay elsewhere', async () => {
  expect(mirror.url).toMatch(new RegExp(`^https://${TEST_HOST}:\\d+/mirror/`))
  expect(new URL(mirror.url).port).not.toBe(new URL(relay.ready.http).port)
  const fragment = relay.ready.invite.slice(relay.ready.invite.indexOf('#'))
  await p.page.goto(mirror.url + fragment)
  await onboard(p, '小草', '', { invite: 'accept' })
  await waitOnline(p)
  const context = await p.page.evaluate(async () => ({ secure: isSecureContext, scope: (await navigator.serviceWorker.ready).scope }))
  expect(context.secure).toBe(true)
  expect(decodeURI(context.scope)).toBe(mirror.url)
  const before = (await readMetric(relay, 'wg_archive_events')) ?? 0
  await compose(p, '从镜像发出的第一条 #野草')
  await waitForPost(p, '从镜像发出的第一条')
  await expect.poll(async () => (await readMetric(relay, 'wg_archive_events')) ?? 0, { timeout: 15_000 }).toBeGreaterThan(before)
  expect(sockets.length).toBeGreaterThan(0)
  expect(sockets.every((u) => u.startsWith(`wss://${TEST_HOST}:${/\/tcp\/(\d+)\//.exec(relay.wssAddrs()[0]!)![1]}`))).toBe(true)
  expect(p.problems).toEqual([])
})

it('onboards on the https mirror through an invite naming only a WebRTC-direct relay, and posts through it', async () => {
  const direct = plainRelay.ready.multiaddrs.filter((a) => a.includes('/webrtc-direct/'))
  expect(direct).toHaveLength(1)
  const origin = mirror.url.replace(`//${TEST_HOST}:`, '//127.0.0.1:')
  const invite = createInvite(generateSecretKey(), { relays: direct, name: 'Wei' }, origin)
  const q = await createPerson(browser, 'zh-Hans', { serviceWorkers: 'allow' })
  const qSockets: string[] = []
  q.page.on('websocket', (ws) => qSockets.push(ws.url()))
  await q.page.goto(invite)
  await onboard(q, '小苗', '', { invite: 'accept' })
  await waitOnline(q)
  expect(await q.page.evaluate(() => isSecureContext)).toBe(true)
  const before = (await readMetric(plainRelay, 'wg_archive_events')) ?? 0
  await compose(q, '没有证书的中继也能到 #野草')
  await waitForPost(q, '没有证书的中继')
  await expect.poll(async () => (await readMetric(plainRelay, 'wg_archive_events')) ?? 0, { timeout: 15_000 }).toBeGreaterThan(before)
  expect(qSockets).toEqual([])
  expect(q.problems).toEqual([])
  await q.context.close()
})
