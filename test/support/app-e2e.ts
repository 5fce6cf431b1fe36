// End-to-end harness for the PWA: build the app once into a temp dir, serve it from a real
// relay process (test/support/relay-process.ts), and drive Debian's chromium through
// playwright-core with one browser context per person (separate IndexedDB, separate peer).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { AuthorId } from '../../src/core/types.ts'
import { en } from '../../src/app/i18n/en.ts'
import type { StringKey, Strings } from '../../src/app/i18n/en.ts'
import { zhHans } from '../../src/app/i18n/zh-hans.ts'
import { zhHant } from '../../src/app/i18n/zh-hant.ts'
import { chromiumArgs, chromiumPath } from './chromium.ts'
import { cleanupRelays, startRelayProcess, type RelayProcess } from './relay-process.ts'
import { chromiumTlsArgs, makeTestCertificate, type TestCertificate } from './tls.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const ARTIFACTS = join(ROOT, 'test-artifacts')

export type Lang = 'en' | 'zh-Hans' | 'zh-Hant'
const tables: Record<Lang, Strings> = { en, 'zh-Hans': zhHans, 'zh-Hant': zhHant }
const locales: Record<Lang, string> = { en: 'en-US', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' }

/** The UI string for a key in a language (tests find controls by what people see). */
export function ui(lang: Lang, key: StringKey, params: Record<string, string | number> = {}): string {
  return tables[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/**
 * `vite build` into a fresh temp dir (never the shared dist/ that `npm start` uses), as
 * `npm run build` makes it (NODE_ENV production, not vitest's "test"). `env` adds e.g.
 * WILDGRASS_RELEASE_SEQ (scripts/release/release-key.ts).
 */
export function buildApp(env: Record<string, string> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wg-app-'))
  const vite = join(ROOT, 'node_modules/.bin/vite')
  const run = spawnSync(process.execPath, [vite, 'build', '--outDir', dir, '--emptyOutDir'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', ...env },
  })
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`)
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** `extraArgs`: Chromium flags besides the usual ones (a --host-resolver-rules name, a trusted test certificate) */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs, ...extraArgs] })
}

/** What an end-to-end file shares: the app built once, a relay process serving it, one Chromium. */
export interface AppWorld {
  readonly appDir: string
  /** replaced by a test that restarts the relay */
  relay: RelayProcess
  readonly browser: Browser
  /** with `tls`: the relay's certificate (for wildgrass.test), which Chromium trusts by its SPKI */
  readonly tls?: TestCertificate
}

/**
 * Registers the file's beforeAll (build, relay serving the app, Chromium) and afterAll (all
 * three gone); the returned world's fields are set once beforeAll ran. With `tls`, the relay
 * serves https and wss with a test certificate for wildgrass.test, which Chromium resolves to
 * loopback and trusts: the app runs at https://wildgrass.test:PORT/, a secure context that is
 * not localhost, where the browser build applies its production connection rules.
 * `browserArgs`: more Chromium flags (e.g. a --host-resolver-rules name on plain http).
 */
export function useAppWorld(options: { tls?: boolean; browserArgs?: readonly string[] } = {}): AppWorld {
  const world = {} as { appDir: string; relay: RelayProcess; browser: Browser | undefined; tls?: TestCertificate }
  let build: ReturnType<typeof buildApp> | undefined
  beforeAll(async () => {
    build = buildApp()
    world.appDir = build.dir
    const tls = options.tls === true ? makeTestCertificate() : undefined
    if (tls !== undefined) world.tls = tls
    const tlsArgs = tls === undefined ? [] : ['--tls-cert', tls.certPath, '--tls-key', tls.keyPath]
    world.relay = await startRelayProcess({ args: ['--app', build.dir, ...tlsArgs], ...(tls === undefined ? {} : { ca: tls.cert }) })
    world.browser = await launchBrowser([...(tls === undefined ? [] : chromiumTlsArgs([tls.spki])), ...(options.browserArgs ?? [])])
  })
  afterAll(async () => {
    await world.browser?.close()
    await cleanupRelays()
    build?.cleanup()
    world.tls?.cleanup()
  })
  return world as AppWorld
}

/** The address people add in Settings: the relay's secure WebSocket one when it has TLS. */
export function relayAddress(world: AppWorld): string {
  return world.relay.wssAddrs()[0] ?? world.relay.wsAddrs()[0]!
}

export interface Person {
  readonly lang: Lang
  readonly context: BrowserContext
  page: Page
  /** console errors, page errors and CSP violations seen so far */
  readonly problems: string[]
  t(key: StringKey, params?: Record<string, string | number>): string
}

export async function createPerson(browser: Browser, lang: Lang, options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<Person> {
  const context = await browser.newContext({
    locale: locales[lang],
    viewport: { width: 420, height: 860 },
    serviceWorkers: options.serviceWorkers ?? 'block',
    permissions: ['clipboard-read', 'clipboard-write'],
  })
  const problems: string[] = []
  const person: Person = {
    lang,
    context,
    problems,
    page: await context.newPage(),
    t: (key, params) => ui(lang, key, params),
  }
  watch(person, person.page)
  return person
}

function watch(person: Person, page: Page): void {
  page.on('pageerror', (e) => person.problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    // failed loads are reported below with their URL; a relay dialled while a test holds the
    // device offline is reported by Chromium itself, and the app tries again once online
    const expected = m.text().startsWith('Failed to load resource') || m.text().includes('net::ERR_INTERNET_DISCONNECTED')
    if (m.type() === 'error' && !expected) person.problems.push(`console: ${m.text()}`)
  })
  page.on('response', (r) => {
    // relay.json is optional (start-app.ts discoverServingRelay)
    if (r.status() >= 400 && !r.url().endsWith('/relay.json')) person.problems.push(`http ${r.status()}: ${r.url()}`)
  })
  page.on('dialog', (d) => void d.accept())
}

/** Opens a new page in the person's context (the old one closed), e.g. after going offline. */
export async function reopen(person: Person, url: string): Promise<void> {
  await person.page.close().catch(() => undefined)
  person.page = await person.context.newPage()
  watch(person, person.page)
  await person.page.goto(url)
}

/**
 * Onboards through the real UI: name, phrase shown, 3 words checked. Returns the phrase.
 * `finish: false` stops with the words filled in, before pressing "finish". `invite`: the page
 * was opened with an invite; its offer is waited for on the last step, then accepted or declined.
 */
export async function onboard(
  p: Person,
  name: string,
  bio = '',
  options: { screenshots?: boolean; finish?: boolean; invite?: 'accept' | 'decline' } = {},
): Promise<string[]> {
  const { page, t } = p
  await page.getByRole('button', { name: t('onboard.create') }).click()
  await page.getByLabel(t('onboard.name')).fill(name)
  if (bio) await page.getByLabel(t('onboard.bio')).fill(bio)
  await page.getByRole('button', { name: t('onboard.continue') }).click()
  // the phrase is shown once the key and word-list code has arrived (loaded after the first paint)
  await page.locator('[data-testid=phrase] li').first().waitFor()
  const words = await page.locator('[data-testid=phrase] li').allTextContents()
  if (options.screenshots) await screenshot(p, 'onboarding-phrase')
  await page.getByRole('button', { name: t('onboard.phraseWritten') }).click()
  if (options.screenshots) await screenshot(p, 'onboarding-check')
  for (const input of await page.locator('input.check-word').all()) {
    const position = Number(await input.getAttribute('data-position'))
    await input.fill(words[position] ?? '')
  }
  if (options.invite) await answerInvite(p, options.invite)
  if (options.finish === false) return words
  await page.getByRole('button', { name: t('onboard.finish') }).click()
  await page.locator('nav.nav').waitFor()
  return words
}

/** Waits for the invite offer (protocol/invites.md §6) and accepts or declines it. */
export async function answerInvite(p: Person, answer: 'accept' | 'decline'): Promise<void> {
  const offer = p.page.getByTestId('invite-offer')
  await offer.waitFor()
  await offer.getByRole('button', { name: p.t(answer === 'accept' ? 'invite.accept' : 'invite.decline') }).click()
}

/** The connection indicator says online (at least one relay connected). */
export async function waitOnline(p: Person, timeout = 20_000): Promise<void> {
  await p.page.locator('[data-testid=connection].connection-online').waitFor({ timeout })
}

/**
 * A, already onboarded, adds the relay in Settings, goes online and makes an invite; B opens it,
 * onboards as `bName` and goes online too. Returns B's backup phrase.
 */
export async function inviteAndJoin(world: AppWorld, a: Person, b: Person, bName: string): Promise<string[]> {
  await go(a, '#/settings')
  await a.page.getByLabel(a.t('settings.relayAddress')).fill(relayAddress(world))
  await a.page.getByRole('button', { name: a.t('settings.relayAdd'), exact: true }).click()
  await waitOnline(a)
  await a.page.getByRole('button', { name: a.t('settings.inviteCreate'), exact: true }).click()
  await b.page.goto(await a.page.locator('input.invite-link').inputValue())
  const words = await onboard(b, bName, '', { invite: 'accept' })
  await waitOnline(b)
  return words
}

/** Another device of the same person: a fresh browser profile restored from the phrase at the relay's app, online. */
export async function restoreDevice(world: AppWorld, lang: Lang, words: readonly string[]): Promise<Person> {
  const p = await createPerson(world.browser, lang)
  await p.page.goto(world.relay.ready.http)
  await p.page.getByRole('button', { name: p.t('onboard.restore'), exact: true }).click()
  await p.page.getByLabel(p.t('onboard.restorePrompt')).fill(words.join(' '))
  await p.page.getByRole('button', { name: p.t('onboard.restoreButton'), exact: true }).click()
  await waitReady(p)
  await waitOnline(p)
  return p
}

/** The person's own key, read from their profile, the one with the Edit button (leaves them on #/me). */
export async function authorIdOf(p: Person): Promise<AuthorId> {
  await go(p, '#/me')
  const mine = p.page.locator('section.profile', { has: p.page.getByRole('button', { name: p.t('profile.edit'), exact: true }) })
  return (await mine.getAttribute('data-author')) as AuthorId
}

export async function compose(p: Person, text: string): Promise<void> {
  await p.page.locator('#compose-text').fill(text)
  await p.page.locator('form.compose button[type=submit]').click()
  await p.page.waitForFunction(() => (document.getElementById('compose-text') as HTMLTextAreaElement | null)?.value === '')
}

/** Waits until everything behind the first screen has loaded: the engine (store, Automerge, libp2p) and the screens kept out of the first paint. */
export async function waitEngineLoaded(p: Person): Promise<void> {
  await p.page.locator('html[data-engine=loaded]').waitFor({ state: 'attached', timeout: 20_000 })
}

/** Waits until the store and network are attached (after first paint). */
export async function waitReady(p: Person): Promise<void> {
  await p.page.locator('html[data-backend=ready]').waitFor({ state: 'attached', timeout: 20_000 })
}

/** Opens a route, as a tapped link does; returns once the app has taken the new address. */
export async function go(p: Person, hash: string): Promise<void> {
  await p.page.evaluate(
    (h) =>
      new Promise<void>((resolve) => {
        const before = location.hash
        location.hash = h
        if (location.hash === before) return resolve() // already there: no hashchange comes
        // dispatched later, to the app's listener first: its screen for the address is then set
        addEventListener('hashchange', () => resolve(), { once: true })
      }),
    hash,
  )
}

export function postLocator(p: Person, text: string) {
  return p.page.locator('article.post', { has: p.page.locator('.post-text', { hasText: text }) })
}

/** Waits until a post with this text is shown; returns how long it took (ms). */
export async function waitForPost(p: Person, text: string, timeoutMs = 15_000): Promise<number> {
  const start = Date.now()
  try {
    await postLocator(p, text).first().waitFor({ timeout: timeoutMs })
  } catch (error) {
    throw new Error(`"${text}" not shown in ${timeoutMs} ms; the page: ${await describePage(p)}`, { cause: error })
  }
  return Date.now() - start
}

/** What a CI log needs when a wait failed: where the page is, what it says, what it shows. */
export async function describePage(p: Person): Promise<string> {
  const seen = await p.page
    .evaluate(() => {
      const posts = [...document.querySelectorAll('article.post .post-text')].map((n) => n.textContent?.slice(0, 40))
      return {
        hash: location.hash,
        backend: document.documentElement.dataset['backend'],
        notices: [...document.querySelectorAll('.notice')].map((n) => n.textContent),
        compose: (document.getElementById('compose-text') as HTMLTextAreaElement | null)?.value,
        connection: document.querySelector('[data-testid=connection]')?.className,
        postCount: posts.length,
        firstPosts: posts.slice(0, 6),
        lastPosts: posts.slice(6).slice(-3),
      }
    })
    .catch((error: unknown) => ({ unreadable: String(error) }))
  return JSON.stringify({ ...seen, problems: p.problems.slice(-8) })
}

/** The whole page (up to 3000 px), or only the element `selector` names (a section further down). */
export async function screenshot(p: Person, name: string, selector?: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  if (selector !== undefined) {
    await p.page
      .locator(selector)
      .first()
      .screenshot({ path: join(ARTIFACTS, `${name}.${p.lang}.png`) })
    return
  }
  // a viewport as tall as the page, so the fixed bottom navigation sits at the bottom
  const size = p.page.viewportSize() ?? { width: 420, height: 860 }
  const height = await p.page.evaluate(() => document.documentElement.scrollHeight)
  await p.page.setViewportSize({ width: size.width, height: Math.min(3000, Math.max(size.height, height)) })
  await p.page.screenshot({ path: join(ARTIFACTS, `${name}.${p.lang}.png`) })
  await p.page.setViewportSize(size)
}

/** Chooses an export file in the real UI (onboarding or Settings); a sealed one then gets its passphrase. */
export async function importFile(p: Person, bytes: Uint8Array, passphrase?: string): Promise<void> {
  await p.page.locator('input[name=import]').setInputFiles({ name: 'data.wildgrass', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })
  if (passphrase === undefined) return
  await p.page.locator('input[name=import-passphrase]').fill(passphrase)
  await p.page.getByRole('button', { name: p.t('import.button'), exact: true }).click()
}
