// Two headless Chromium pages (fresh profiles) and a real relay process on loopback: the pages
// find each other through the relay, open a browser-to-browser WebRTC connection, and a post
// travels over it — proven by stopping the relay before posting. (Relay processes, not
// in-process relays: node-datachannel can abort the process at exit after serving a
// WebRTC-direct connection, which would take the test runner down with it.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumArgs, chromiumPath } from '../support/chromium.ts'
import { buildAndServeNetBundle } from '../support/net-browser-build.ts'
import type { BrowserBundle } from '../support/net-browser-build.ts'
import { waitFor } from '../support/net-harness.ts'
import { startRelayProcess } from '../support/relay-process.ts'
import type { RelayProcess } from '../support/relay-process.ts'

interface PageApi {
  start(relays: string[], privacy?: string): Promise<string>
  webrtcPeers(): string[]
  meshPeers(): number
  publish(text: string): Promise<void>
  received(): string[]
  stop(): Promise<void>
  status(): { relays: string[] } | undefined
  storePosts(texts: string[]): Promise<string>
  syncFrom(peer: string, author: string): Promise<number>
}
declare const wg: PageApi

describe('browser to browser over WebRTC', () => {
  let relay: RelayProcess
  let bundle: BrowserBundle
  const contexts: BrowserContext[] = []
  const dirs: string[] = []
  let pageA: Page, pageB: Page

  const openPage = async (): Promise<Page> => {
    const dir = await mkdtemp(join(tmpdir(), 'wg-chromium-'))
    dirs.push(dir)
    const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: chromiumArgs, headless: true })
    contexts.push(context)
    const page = context.pages()[0] ?? await context.newPage()
    await page.goto(bundle.url)
    await page.waitForFunction(() => typeof (globalThis as { wg?: unknown }).wg === 'object')
    return page
  }

  beforeAll(async () => {
    relay = await startRelayProcess()
    bundle = await buildAndServeNetBundle()
    pageA = await openPage()
    pageB = await openPage()
  })
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    for (const d of dirs) await rm(d, { recursive: true, force: true })
    await bundle?.close()
    await relay?.stop().catch(() => null)
  })

  it('connects two pages over WebRTC and carries a post over it', async () => {
    const relays = relay.ready.multiaddrs.filter((a) => a.startsWith('/ip4/127.0.0.1/') && a.includes('/ws/'))
    const idA = await pageA.evaluate((r) => wg.start(r), relays)
    const idB = await pageB.evaluate((r) => wg.start(r), relays)
    await waitFor(async () => (await pageA.evaluate(() => wg.webrtcPeers())).includes(idB) &&
      (await pageB.evaluate(() => wg.webrtcPeers())).includes(idA), 30_000, 'WebRTC connection between the pages')
    // gossip mesh over the WebRTC connection, then take the relay away
    await waitFor(async () => (await pageA.evaluate(() => wg.meshPeers())) >= 1 && (await pageB.evaluate(() => wg.meshPeers())) >= 1, 10_000, 'mesh')
    await relay.stop()
    await waitFor(async () => (await pageB.evaluate(() => wg.status()?.relays.length)) === 0, 10_000, 'relay gone')
    await waitFor(async () => (await pageB.evaluate(() => wg.meshPeers())) >= 1, 10_000, 'mesh over WebRTC only')
    await pageA.evaluate(() => wg.publish('over WebRTC 直连'))
    await waitFor(async () => (await pageB.evaluate(() => wg.received())).includes('over WebRTC 直连'), 10_000, 'post over WebRTC')
    expect(await pageB.evaluate(() => wg.webrtcPeers())).toEqual([idA])
    // and a browser serves catch-up sync to another browser over the same connection
    const author = await pageA.evaluate(() => wg.storePosts(['离线一', '离线二', 'offline three']))
    expect(await pageB.evaluate(([peer, a]) => wg.syncFrom(peer!, a!), [idA, author])).toBe(3)
  })

  it('reaches a relay over WebRTC-direct without a certificate (relay-only page)', async () => {
    const r2 = await startRelayProcess()
    try {
      const direct = r2.ready.multiaddrs.find((a) => a.startsWith('/ip4/127.0.0.1/') && a.includes('/webrtc-direct/'))!
      expect(direct).toBeDefined()
      const page = await openPage()
      await page.evaluate((r) => wg.start(r, 'relay-only'), [direct])
      await waitFor(async () => (await page.evaluate(() => wg.status()?.relays.length)) === 1, 15_000, 'WebRTC-direct to relay')
      expect(await page.evaluate(() => wg.webrtcPeers())).toEqual([])
    } finally {
      await r2.stop()
    }
  })
})
