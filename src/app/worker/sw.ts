// The service worker (protocol/releases.md §5), built on its own as one classic script (`sw.js`).
// Install: the release this worker was built for, verified against the pinned release key, or
// nothing (a failed install leaves the running worker and its release in place, and every page
// is told why). Activate: take over, keep the release before for pages still running it.
// Fetch: cache first from verified releases.
import { fromHex } from '../../core/bytes.ts'
import { BUILD_RELEASE } from '../release-build.ts'
import { listInstalledReleases, loadRefusal, pruneReleases, saveRefusal, summarize } from './release-caches.ts'
import { installRelease, ReleaseRefused } from './release-install.ts'
import { RELEASE_MESSAGE, type WorkerMessage } from './release-messages.ts'
import { createReleaseServer, isServedFromRelease } from './release-serve.ts'
import type { ServiceWorkerScope } from './sw-types.ts'

const worker = self as unknown as ServiceWorkerScope
const scope = worker.registration.scope
const caches = worker.caches
const seq = BUILD_RELEASE.seq
const server = createReleaseServer({ scope, seq, caches, fetch: (request) => worker.fetch(request) })

async function tellPages(message: WorkerMessage): Promise<void> {
  // uncontrolled pages too: on a first visit nothing is controlled yet
  for (const client of await worker.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage(message)
}

async function install(): Promise<void> {
  try {
    await installRelease({ scope, seq, caches, key: fromHex(BUILD_RELEASE.key), fetch: (url, init) => worker.fetch(url, init) })
    await saveRefusal(caches, scope, undefined)
    // verified: no reason to wait for every page to close (this worker still serves the
    // release before to pages that run it)
    await worker.skipWaiting()
  } catch (error) {
    if (error instanceof ReleaseRefused) {
      await saveRefusal(caches, scope, error.refusal)
      await tellPages({ type: RELEASE_MESSAGE, event: 'refused', refusal: error.refusal })
    }
    throw error
  }
}

async function activate(): Promise<void> {
  await pruneReleases(caches, scope, seq)
  server.forget()
  await worker.clients.claim()
  const own = (await listInstalledReleases(caches, scope)).find((r) => r.manifest.seq === seq)
  if (own) await tellPages({ type: RELEASE_MESSAGE, event: 'installed', release: summarize(own.manifest) })
}

async function answerStatus(port: MessagePort): Promise<void> {
  const releases = (await listInstalledReleases(caches, scope)).map((r) => summarize(r.manifest))
  const refusal = await loadRefusal(caches, scope)
  port.postMessage({ type: RELEASE_MESSAGE, event: 'status', releases, ...(refusal ? { refusal } : {}) } satisfies WorkerMessage)
}

worker.addEventListener('install', (event) => event.waitUntil(install()))
worker.addEventListener('activate', (event) => event.waitUntil(activate()))
worker.addEventListener('fetch', (event) => {
  if (isServedFromRelease(event.request, scope)) event.respondWith(server.respond(event.request))
})
worker.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown; event?: unknown } | null
  const port = event.ports[0]
  if (data?.type === RELEASE_MESSAGE && data.event === 'status?' && port) event.waitUntil(answerStatus(port))
})
