// The page's side of the service worker (protocol/releases.md §5). `registerAppWorker` is called
// once, when the first screen is usable (on a first visit, once the engine has loaded too):
// registering starts the worker's precache, which must not compete with what the person waits
// for. It asks the worker which releases it holds verified, shows what it refused, and when a
// new worker starts installing it checks that worker's script against the newest signed
// manifest itself — the one check that still stands if the new worker is hostile and would not
// check anything.
import type { Signal } from '@preact/signals'
import { BUILD_RELEASE } from '../release-build.ts'
import type { ReleaseView } from '../state/release-view.ts'
import { isWorkerMessage, RELEASE_MESSAGE, type Refusal, type StatusRequest, type WorkerMessage } from '../worker/release-messages.ts'

export interface AppWorkerTarget {
  readonly release: Signal<ReleaseView | undefined>
}

export function registerAppWorker(target: AppWorkerTarget): void {
  const build = BUILD_RELEASE
  target.release.value = { version: build.version, seq: build.seq, keyFingerprint: build.keyFingerprint, development: build.development }
  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker
  // no worker in `vite` dev mode (there is no sw.js), nor where the browser has none (insecure origins)
  if (container === undefined || import.meta.env.WG_SERVICE_WORKER !== 'true' || build.key === '') return
  const update = (change: Partial<ReleaseView>): void => {
    const current = target.release.value
    if (current) target.release.value = { ...current, ...change }
  }
  let newestSeq = build.seq
  let registration: ServiceWorkerRegistration | undefined
  // what the worker refused (cleared when a release installs after it) and what this page found
  // itself about a new worker: no message from a worker clears the latter, since that worker is
  // the one in question
  let workerRefusal: Refusal | undefined
  let pageRefusal: Refusal | undefined
  const showRefusal = (): void => update({ refusal: pageRefusal ?? workerRefusal })
  const refuse = (refusal: Refusal): void => {
    pageRefusal = refusal
    showRefusal()
  }
  container.addEventListener('message', (event: MessageEvent) => {
    if (isWorkerMessage(event.data)) apply(event.data)
  })

  function apply(message: WorkerMessage): void {
    if (message.event === 'refused') {
      workerRefusal = message.refusal
      return showRefusal()
    }
    const all = message.event === 'status' ? message.releases : [message.release]
    // a worker built with another key installs that key's releases: that is a replaced worker, not an update
    const releases = all.filter((r) => r.key === build.key)
    if (releases.length < all.length) pageRefusal = { code: 'E_WRONG_AUTHOR', path: 'sw.js', installed: newestSeq }
    const own = releases.find((r) => r.seq === build.seq)
    const newer = releases.filter((r) => r.seq > build.seq).sort((a, b) => b.seq - a.seq)[0]
    newestSeq = Math.max(newestSeq, ...releases.map((r) => r.seq))
    // a release installed after a refusal: what was refused is no longer offered
    if (message.event === 'status') workerRefusal = message.refusal
    else if (newer) workerRefusal = undefined
    // a newer release is offered once its worker runs: the release's files may be cached while
    // its worker still activates, and a reload then would get the running one again
    const runs = message.event === 'installed' || (registration !== undefined && registration.installing === null && registration.waiting === null)
    update({
      ...(own ? { fingerprint: own.fingerprint } : {}),
      ...(newer && runs ? { ready: { seq: newer.seq, version: newer.version } } : {}),
    })
    showRefusal()
  }

  function checkInstalling(worker: ServiceWorker | null): void {
    // the very first install has nothing verified to compare with (trust on first use)
    if (worker === null || container!.controller === null) return
    // asked for at once, while the verified worker still answers this page's requests: a new
    // worker that skips waiting would answer them itself as soon as it is active
    const manifest = fetchPastCaches(new URL('release.cbor', worker.scriptURL).href)
    const script = fetchPastCaches(worker.scriptURL)
    void import('./check-new-worker.ts')
      .then((m) => m.checkNewWorker({ manifest, script, key: build.key, installedSeq: newestSeq }))
      .then(
        (refusal) => {
          if (refusal) refuse(refusal)
        },
        () => undefined,
      )
  }

  container
    .register('./sw.js', { updateViaCache: 'none' })
    .then(async (registered) => {
      registration = registered
      registered.addEventListener('updatefound', () => checkInstalling(registered.installing))
      checkInstalling(registered.installing ?? registered.waiting)
      askStatus(registered.active)
      container.addEventListener('controllerchange', () => askStatus(container.controller))
      // a returning visit looks for a newer release now (the first visit has just installed one)
      if (registered.active) await registered.update()
    })
    .catch(() => undefined) // the origin is gone or blocked: the installed release keeps running

  function fetchPastCaches(url: string): Promise<Response | undefined> {
    // no-store: past the HTTP cache, and past the running worker (it serves no such request)
    return fetch(url, { cache: 'no-store' }).catch(() => undefined)
  }

  function askStatus(worker: ServiceWorker | null): void {
    if (worker === null) return
    const channel = new MessageChannel()
    channel.port1.onmessage = (event: MessageEvent) => {
      if (isWorkerMessage(event.data)) apply(event.data)
      channel.port1.close()
    }
    worker.postMessage({ type: RELEASE_MESSAGE, event: 'status?' } satisfies StatusRequest, [channel.port2])
  }
}

/** Unregisters every service worker of this origin and deletes every cache it kept: afterwards
 * the browser holds no installed copy of the app (its history is the person's to clear). */
export async function removeAppWorker(): Promise<void> {
  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker
  if (container !== undefined) for (const registration of await container.getRegistrations()) await registration.unregister()
  if (typeof caches !== 'undefined') for (const name of await caches.keys()) await caches.delete(name)
}
