// Headless Chromium pages running the network bundle (net-browser-entry.ts, driven through
// window.wg) next to a real relay process on loopback, for the browser-to-browser tests. Each
// page has a fresh persistent profile. (Relay processes, not in-process relays: node-datachannel
// can abort the process at exit after serving a WebRTC-direct connection, which would take the
// test runner down with it.)
import { afterAll, beforeAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumArgs, chromiumPath } from './chromium.ts'
import type { PageApi } from './net-browser-entry.ts'
import { waitFor } from './net-harness.ts'
import { buildAndServeNetBundle } from './net-browser-build.ts'
import type { BrowserBundle } from './net-browser-build.ts'
import { startRelayProcess } from './relay-process.ts'
import type { RelayProcess } from './relay-process.ts'

export type { PageApi } from './net-browser-entry.ts'

export interface BrowserPages {
  /** the relay process (set once beforeAll ran) */
  readonly relay: RelayProcess
  /** a new page in a fresh profile, with window.wg loaded */
  openPage(): Promise<Page>
}

/**
 * Registers beforeAll (relay process, bundle served) and afterAll (pages, profiles, bundle, relay gone).
 * `hostname`: open the pages under this name, mapped to 127.0.0.1 (plain http there is not a secure context).
 */
export function useBrowserPages(options: { hostname?: string } = {}): BrowserPages {
  const args = options.hostname ? [...chromiumArgs, `--host-resolver-rules=MAP ${options.hostname} 127.0.0.1`] : chromiumArgs
  let relay: RelayProcess | undefined
  let bundle: BrowserBundle | undefined
  const contexts: BrowserContext[] = []
  const dirs: string[] = []
  beforeAll(async () => {
    relay = await startRelayProcess()
    bundle = await buildAndServeNetBundle()
  })
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    for (const d of dirs) await rm(d, { recursive: true, force: true })
    await bundle?.close()
    await relay?.stop().catch(() => null)
  })
  return {
    get relay() {
      return relay!
    },
    async openPage() {
      const dir = await mkdtemp(join(tmpdir(), 'wg-chromium-'))
      dirs.push(dir)
      const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args, headless: true })
      contexts.push(context)
      const page = context.pages()[0] ?? (await context.newPage())
      await page.goto(options.hostname ? bundle!.url.replace('127.0.0.1', options.hostname) : bundle!.url)
      await page.waitForFunction(() => typeof (globalThis as { wg?: unknown }).wg === 'object')
      return page
    },
  }
}

declare const wg: PageApi

/**
 * Starts the network in two pages on the relay's loopback WebSocket addresses and waits until
 * they share a browser-to-browser WebRTC connection and a gossip mesh. Returns their peer ids.
 */
export async function startMeshedPair(relay: RelayProcess, pageA: Page, pageB: Page): Promise<[string, string]> {
  const relays = relay.ready.multiaddrs.filter((a) => a.startsWith('/ip4/127.0.0.1/') && a.includes('/ws/'))
  const idA = await pageA.evaluate((r) => wg.start(r), relays)
  const idB = await pageB.evaluate((r) => wg.start(r), relays)
  await waitFor(
    async () => (await pageA.evaluate(() => wg.webrtcPeers())).includes(idB) && (await pageB.evaluate(() => wg.webrtcPeers())).includes(idA),
    30_000,
    'WebRTC connection between the pages',
  )
  await waitFor(async () => (await pageA.evaluate(() => wg.meshPeers())) >= 1 && (await pageB.evaluate(() => wg.meshPeers())) >= 1, 10_000, 'mesh')
  return [idA, idB]
}
