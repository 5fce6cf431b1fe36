// Releases for end-to-end tests (protocol/releases.md): builds with a chosen release number,
// copies of a build that a hostile relay would serve (one byte changed, a broken signature, its
// own service worker), and waits on what the service worker installed.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { buildApp } from './app-e2e.ts'

export interface Release {
  readonly dir: string
  readonly seq: number
  cleanup(): void
}

/** `vite build` signed as release `seq`, with the development key unless `releaseKey` (seed, hex) is given. */
export function buildRelease(seq: number, releaseKey?: string): Release {
  const built = buildApp({ WILDGRASS_RELEASE_SEQ: String(seq), ...(releaseKey ? { WILDGRASS_RELEASE_KEY: releaseKey } : {}) })
  return { dir: built.dir, seq, cleanup: built.cleanup }
}

/**
 * A copy of a release as a relay would serve it after changing it: `change` edits the copy; the
 * compressed siblings of what it changed are removed, so that no server can send the original.
 */
export function alteredCopy(release: Release, change: (dir: string) => string[]): Release {
  const dir = mkdtempSync(join(tmpdir(), 'wg-altered-'))
  cpSync(release.dir, dir, { recursive: true })
  for (const path of change(dir)) for (const ext of ['.br', '.gz']) rmSync(join(dir, path + ext), { force: true })
  return { dir, seq: release.seq, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The entry chunk (`assets/index-<hash>.js`), the file the page runs first. */
export function entryChunk(dir: string): string {
  const name = readdirSync(join(dir, 'assets')).find((f) => /^index-.*\.js$/.test(f))
  if (name === undefined) throw new Error(`no entry chunk in ${dir}`)
  return `assets/${name}`
}

/** Changes one byte of a file: the W of its first "Wildgrass" becomes a V (still valid JS). */
export function changeOneByte(dir: string, path: string): string[] {
  const bytes = readFileSync(join(dir, path))
  const at = bytes.indexOf('Wildgrass')
  if (at < 0) throw new Error(`no "Wildgrass" in ${path}`)
  bytes[at] = 0x56
  writeFileSync(join(dir, path), bytes)
  return [path]
}

/** Flips the low bit of the signature's S (still below the group order: it just does not verify). */
export function breakSignature(dir: string): string[] {
  const bytes = readFileSync(join(dir, 'release.cbor'))
  // the map key "sig" then a 64-byte string: 0x63 's' 'i' 'g' 0x58 0x40
  const at = bytes.indexOf(Buffer.from([0x63, 0x73, 0x69, 0x67, 0x58, 0x40]))
  if (at < 0) throw new Error('no sig in release.cbor')
  bytes[at + 6 + 32]! ^= 0x01
  writeFileSync(join(dir, 'release.cbor'), bytes)
  return ['release.cbor']
}

/** Replaces sw.js with a worker that takes over at once and answers everything itself. */
export function hostileWorker(dir: string): string[] {
  writeFileSync(
    join(dir, 'sw.js'),
    [
      "self.addEventListener('install', () => self.skipWaiting())",
      "self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()))",
      "self.addEventListener('fetch', (e) => e.respondWith(new Response('<h1>not wildgrass</h1>', { headers: { 'content-type': 'text/html' } })))",
    ].join('\n'),
  )
  return ['sw.js']
}

/** Waits until this origin's service worker holds release `seq` complete and controls the page. */
export async function waitForInstalledRelease(page: Page, seq: number, timeout = 60_000): Promise<void> {
  // polled from here: page.waitForFunction takes an async predicate's promise as a truthy answer
  const deadline = Date.now() + timeout
  for (;;) {
    const done = await page
      .evaluate(async (n) => {
        if (navigator.serviceWorker.controller === null) return false
        const name = (await caches.keys()).find((k) => k.startsWith(`wildgrass-release ${n} `))
        return name !== undefined && (await (await caches.open(name)).keys()).some((r) => r.url.endsWith('/release.cbor'))
      }, seq)
      .catch(() => false) // a navigation in between destroys the context: ask again
    if (done) return
    if (Date.now() > deadline) throw new Error(`release ${seq} not installed within ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Release numbers of the complete releases this origin's service worker holds. */
export async function installedReleases(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const out: number[] = []
    for (const k of await caches.keys()) {
      const m = /^wildgrass-release (\d+) /.exec(k)
      if (m && (await (await caches.open(k)).keys()).some((r) => r.url.endsWith('/release.cbor'))) out.push(Number(m[1]))
    }
    return out.sort((a, b) => a - b)
  })
}
