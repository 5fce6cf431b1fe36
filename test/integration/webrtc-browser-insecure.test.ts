// The network on an insecure origin: pages on plain http under a name that is not this
// machine's (no crypto.subtle there) start a real libp2p node, reach a relay process over
// WebSockets and over WebRTC-direct, open browser-to-browser WebRTC and carry a post over it.
// Nothing on that path needs WebCrypto: libp2p's Ed25519 falls back to @noble, Noise is pure
// JS, gossip ids are @noble's SHA-256, WebRTC certificates come from RTCPeerConnection.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startMeshedPair, useBrowserPages, type PageApi } from '../support/browser-pages.ts'
import { waitFor } from '../support/net-harness.ts'

declare const wg: PageApi

describe('libp2p in a page that is not a secure context', () => {
  const pages = useBrowserPages({ hostname: 'wildgrass.test' })
  let pageA: Page, pageB: Page

  beforeAll(async () => {
    pageA = await pages.openPage()
    pageB = await pages.openPage()
  })

  it('has no WebCrypto there, and still connects through the relay, over WebRTC between the pages, and delivers a post', async () => {
    expect(await pageA.evaluate(() => ({ secure: isSecureContext, subtle: typeof crypto.subtle, host: location.hostname }))).toEqual({
      secure: false,
      subtle: 'undefined',
      host: 'wildgrass.test',
    })
    await startMeshedPair(pages.relay, pageA, pageB)
    await pageA.evaluate(() => wg.publish('不安全的地址上也能传帖子'))
    await waitFor(async () => (await pageB.evaluate(() => wg.received())).includes('不安全的地址上也能传帖子'), 10_000, 'post delivered')
  })

  it('reaches a relay over WebRTC-direct there (relay-only page)', async () => {
    const direct = pages.relay.ready.multiaddrs.find((a) => a.startsWith('/ip4/127.0.0.1/') && a.includes('/webrtc-direct/'))!
    const page = await pages.openPage()
    await page.evaluate((r) => wg.start(r, 'relay-only'), [direct])
    await waitFor(async () => (await page.evaluate(() => wg.status()?.relays.length)) === 1, 15_000, 'WebRTC-direct to relay')
  })
})
