// The service worker's install and serving logic on Chromium's real Cache Storage, with the
// origin played by a fetch function (protocol/releases.md §3, §5): what installs, what is copied
// instead of fetched, what is refused and leaves the installed release untouched, bounded reads.
import { afterEach, describe, expect, it } from 'vitest'
import { utf8Encode } from '../../src/core/bytes.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import { createReleaseManifest, type ReleaseManifest } from '../../src/core/release-manifest.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { listInstalledReleases, pruneReleases } from '../../src/app/worker/release-caches.ts'
import { installRelease, ReleaseRefused, ReleaseUnavailable } from '../../src/app/worker/release-install.ts'
import { createReleaseServer, isServedFromRelease } from '../../src/app/worker/release-serve.ts'

const releaser = new Uint8Array(32).fill(21) as SecretKey
const stranger = new Uint8Array(32).fill(22) as SecretKey
const key = getPublicKey(releaser)
let scope = ''

type Files = Record<string, Uint8Array>
const filesOf = (seq: number, extra: Files = {}): Files => ({
  'index.html': utf8Encode(`<!doctype html><title>${seq}</title>`),
  'sw.js': utf8Encode(`/* worker ${seq} */`),
  'assets/index-AAAAAAAA.js': utf8Encode('console.log("shared")'),
  [`assets/page-${String(seq).padStart(8, 'B')}.js`]: utf8Encode(`console.log(${seq})`),
  ...extra,
})
const manifestOf = (seq: number, files: Files, secret = releaser): ReleaseManifest =>
  createReleaseManifest(secret, { version: `1.0.${seq}`, seq, files: Object.entries(files).map(([path, bytes]) => ({ path, bytes })) })

/** An origin: serves `files` and `release.cbor`; records what was asked, with which cache mode. */
function origin(files: Files, manifest: Uint8Array | undefined, overrides: Record<string, () => Response | Promise<Response>> = {}) {
  const asked: Array<{ path: string; cache: RequestCache | undefined }> = []
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const path = url.slice(scope.length)
    asked.push({ path, cache: init?.cache })
    const override = overrides[path]
    if (override) return override()
    const body = path === 'release.cbor' ? manifest : files[path]
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body as Uint8Array<ArrayBuffer>)
  }
  return { fetch, asked }
}

async function install(seq: number, served: ReturnType<typeof origin>) {
  return installRelease({ scope, key, seq, caches, fetch: served.fetch })
}
async function refusal(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => 'installed',
    (e: unknown) => (e instanceof ReleaseRefused ? e.refusal : e instanceof ReleaseUnavailable ? 'unavailable' : e),
  )
}
const installed = async () => (await listInstalledReleases(caches, scope, key)).map((r) => r.manifest.seq)

afterEach(async () => {
  for (const name of await caches.keys()) await caches.delete(name)
})

describe('installing a release', () => {
  it('stores every file but sw.js, the manifest last; then copies unchanged files instead of fetching them', async () => {
    scope = `https://app${Math.random()}.example/mirror/`
    const f1 = filesOf(1)
    const o1 = origin(f1, manifestOf(1, f1).bytes)
    await install(1, o1)
    expect(await installed()).toEqual([1])
    expect(o1.asked.map((a) => a.path)).not.toContain('sw.js')
    expect(o1.asked[0]).toEqual({ path: 'release.cbor', cache: 'no-store' })
    // content-hashed files first from the HTTP cache, the others revalidated
    expect(o1.asked.find((a) => a.path === 'assets/index-AAAAAAAA.js')?.cache).toBe('force-cache')
    expect(o1.asked.find((a) => a.path === 'index.html')?.cache).toBe('no-cache')
    const stored = await caches.match(`${scope}assets/index-AAAAAAAA.js`)
    expect(stored?.headers.get('content-type')).toBe('text/javascript; charset=utf-8')

    const f2 = filesOf(2)
    const o2 = origin(f2, manifestOf(2, f2).bytes)
    await install(2, o2)
    expect(await installed()).toEqual([2, 1])
    expect(o2.asked.map((a) => a.path)).not.toContain('assets/index-AAAAAAAA.js')
    expect(o2.asked.map((a) => a.path)).toContain('assets/page-BBBBBBB2.js')
  })

  it('refuses a file that does not match, keeps the installed release, leaves no partial cache', async () => {
    scope = `https://app${Math.random()}.example/`
    const f1 = filesOf(1)
    await install(1, origin(f1, manifestOf(1, f1).bytes))
    const f2 = filesOf(2)
    const tampered = { ...f2, 'assets/page-BBBBBBB2.js': utf8Encode('console.log(666)') }
    expect(await refusal(install(2, origin(tampered, manifestOf(2, f2).bytes)))).toEqual({
      code: 'E_HASH_MISMATCH',
      path: 'assets/page-BBBBBBB2.js',
      installed: 1,
    })
    expect(await installed()).toEqual([1])
    expect((await caches.keys()).filter((k) => k.startsWith('wildgrass-release 2 '))).toEqual([])
    // missing from the origin: what it served is not the file
    const { ['index.html']: _gone, ...noIndex } = f2
    void _gone
    expect(await refusal(install(2, origin(noIndex, manifestOf(2, f2).bytes)))).toMatchObject({ code: 'E_HASH_MISMATCH', path: 'index.html' })
  })

  it('a wrong copy in the HTTP cache is fetched again past it', async () => {
    scope = `https://app${Math.random()}.example/`
    const f1 = filesOf(1)
    let calls = 0
    const o = origin(f1, manifestOf(1, f1).bytes, {
      'assets/index-AAAAAAAA.js': () => new Response(++calls === 1 ? 'stale or tampered' : (f1['assets/index-AAAAAAAA.js'] as Uint8Array<ArrayBuffer>)),
    })
    await install(1, o)
    expect(o.asked.filter((a) => a.path === 'assets/index-AAAAAAAA.js').map((a) => a.cache)).toEqual(['force-cache', 'reload'])
  })

  it("reads no more than a file's size plus one byte of an endless body", async () => {
    scope = `https://app${Math.random()}.example/`
    const f1 = filesOf(1)
    let pulled = 0
    const endless = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled++
            controller.enqueue(new Uint8Array(64 * 1024))
          },
        }),
      )
    expect(await refusal(install(1, origin(f1, manifestOf(1, f1).bytes, { 'index.html': endless })))).toMatchObject({
      code: 'E_HASH_MISMATCH',
      path: 'index.html',
    })
    expect(pulled).toBeLessThan(4)
    const endlessManifest = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            controller.enqueue(new Uint8Array(64 * 1024).fill(0xa1))
          },
        }),
      )
    expect(await refusal(install(1, origin(f1, undefined, { 'release.cbor': endlessManifest })))).toEqual({ code: 'E_OVERSIZE' })
  })

  it("refuses another key, an older release, a manifest of another release than the worker's own", async () => {
    scope = `https://app${Math.random()}.example/`
    const f = filesOf(5)
    expect(await refusal(install(5, origin(f, manifestOf(5, f, stranger).bytes)))).toEqual({ code: 'E_WRONG_AUTHOR' })
    await install(5, origin(f, manifestOf(5, f).bytes))
    expect(await refusal(install(4, origin(filesOf(4), manifestOf(4, filesOf(4)).bytes)))).toEqual({ code: 'E_DOWNGRADE', offered: 4, installed: 5 })
    expect(await refusal(install(5, origin(f, manifestOf(5, { ...f, 'icon.svg': new Uint8Array(1) }).bytes)))).toEqual({
      code: 'E_DOWNGRADE',
      offered: 5,
      installed: 5,
    })
    expect(await refusal(install(7, origin(filesOf(6), manifestOf(6, filesOf(6)).bytes)))).toEqual({ code: 'E_HASH_MISMATCH', path: 'sw.js', installed: 5 })
    // the same release again is nothing to do
    expect(await refusal(install(5, origin(f, manifestOf(5, f).bytes)))).toBe('installed')
    expect(await installed()).toEqual([5])
  })

  it('an origin that cannot be reached is not a refusal', async () => {
    scope = `https://app${Math.random()}.example/`
    const f = filesOf(1)
    const down = { fetch: () => Promise.reject(new TypeError('Failed to fetch')) }
    expect(await refusal(installRelease({ scope, key, seq: 1, caches, fetch: down.fetch }))).toBe('unavailable')
    expect(await refusal(install(1, origin(f, undefined)))).toBe('unavailable') // release.cbor 404
    const broken = origin(f, manifestOf(1, f).bytes, { 'index.html': () => Promise.reject(new TypeError('Failed to fetch')) })
    expect(await refusal(install(1, broken))).toBe('unavailable')
    // an overloaded or failing server is not a modified app
    for (const status of [503, 429]) {
      const busy = origin(f, manifestOf(1, f).bytes, { 'index.html': () => new Response('busy', { status }) })
      expect(await refusal(install(1, busy))).toBe('unavailable')
    }
    expect(await caches.keys()).toEqual([])
  })

  it("a release of another key in the caches (a worker built with that key wrote it) is not this worker's", async () => {
    scope = `https://app${Math.random()}.example/`
    const f9 = filesOf(9)
    await installRelease({ scope, key: getPublicKey(stranger), seq: 9, caches, fetch: origin(f9, manifestOf(9, f9, stranger).bytes).fetch })
    expect(await installed()).toEqual([])
    // the next release of the pinned key installs (no downgrade against 9) and is what is served
    const f2 = filesOf(2)
    await install(2, origin(f2, manifestOf(2, f2).bytes))
    expect(await installed()).toEqual([2])
    const server = createReleaseServer({ scope, seq: 2, key, caches, fetch: async () => new Response('from the origin') })
    expect(await (await server.respond(new Request(`${scope}assets/page-BBBBBBB9.js`))).text()).toBe('from the origin')
    expect(await (await server.respond(new Request(`${scope}assets/page-BBBBBBB2.js`))).text()).toBe('console.log(2)')
  })
})

describe('serving from releases', () => {
  it("navigations get the own release's page; a file of the release before is still served; the rest goes to the network", async () => {
    scope = `https://app${Math.random()}.example/`
    const f1 = filesOf(1)
    const f2 = filesOf(2)
    await install(1, origin(f1, manifestOf(1, f1).bytes))
    await install(2, origin(f2, manifestOf(2, f2).bytes))
    await install(3, origin(filesOf(3), manifestOf(3, filesOf(3)).bytes))
    await pruneReleases(caches, scope, key, 3)
    expect(await installed()).toEqual([3, 2])
    const network: string[] = []
    const server = createReleaseServer({
      scope,
      seq: 3,
      key,
      caches,
      fetch: async (r) => {
        network.push(r.url)
        return new Response('from the origin')
      },
    })
    const get = async (path: string, init?: RequestInit) => (await server.respond(new Request(scope + path, init))).text()
    // a Request made here cannot be a navigation; the worker maps a navigation to index.html
    const navigation = { url: `${scope}?utm=x`, mode: 'navigate', method: 'GET', cache: 'default' } as unknown as Request
    expect(await (await server.respond(navigation)).text()).toBe('<!doctype html><title>3</title>')
    expect(await get('assets/page-BBBBBBB2.js')).toBe('console.log(2)')
    expect(await get('assets/page-BBBBBBB3.js')).toBe('console.log(3)')
    expect(await get('assets/page-BBBBBBB1.js')).toBe('from the origin') // pruned
    expect(await get('relay.json')).toBe('from the origin')
    expect(network).toEqual([`${scope}assets/page-BBBBBBB1.js`, `${scope}relay.json`])
    expect(isServedFromRelease(new Request(`${scope}sw.js`, { cache: 'no-store' }), scope)).toBe(false)
    expect(isServedFromRelease(new Request(`${scope}index.html`, { method: 'POST' }), scope)).toBe(false)
    expect(isServedFromRelease(new Request('https://elsewhere.example/x.js'), scope)).toBe(false)
    expect(isServedFromRelease(new Request(`${scope}x.js`), scope)).toBe(true)
  })
})
