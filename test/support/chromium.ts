// Debian's chromium (apt-get install chromium), driven by playwright-core; Playwright's own
// browser download cannot work on these machines (docs/architecture.md "Platform facts the code relies on").
import { existsSync } from 'node:fs'

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const path of candidates) if (path && existsSync(path)) return path
  throw new Error('chromium not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH')
}

/** Flags that let WebRTC connect on loopback in headless Chromium (docs/architecture.md "Platform facts the code relies on"). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--allow-loopback-in-peer-connection',
]
