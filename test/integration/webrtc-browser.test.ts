// Two headless Chromium pages (fresh profiles) and a real relay process on loopback: the pages
// find each other through the relay, open a browser-to-browser WebRTC connection, and a post
// travels over it — proven by stopping the relay before posting (harness: browser-pages.ts).
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startMeshedPair, useBrowserPages, type PageApi } from '../support/browser-pages.ts'
import { waitFor } from '../support/net-harness.ts'
import { startRelayProcess } from '../support/relay-process.ts'

declare const wg: PageApi

describe('browser to browser over WebRTC', () => {
  const pages = useBrowserPages()
  let pageA: Page, pageB: Page

  beforeAll(async () => {
    pageA = await pages.openPage()
    pageB = await pages.openPage()
  })

  it('connects two pages over WebRTC and carries a post over it', async () => {
    // a WebRTC connection and a gossip mesh, then take the relay away
    const [idA] = await startMeshedPair(pages.relay, pageA, pageB)
    await pages.relay.stop()
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
      const page = await pages.openPage()
      await page.evaluate((r) => wg.start(r, 'relay-only'), [direct])
      await waitFor(async () => (await page.evaluate(() => wg.status()?.relays.length)) === 1, 15_000, 'WebRTC-direct to relay')
      expect(await page.evaluate(() => wg.webrtcPeers())).toEqual([])
    } finally {
      await r2.stop()
    }
  })
})
