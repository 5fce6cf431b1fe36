// The AppBackend over the real store (IndexedDB + Automerge feed documents) and network
// (libp2p). The only place besides start-app.ts that knows about store and net. It only
// composes: reads, actions, settings, export and the network session each have their own unit.
import { secretKeyToPhrase } from '../../core/index.ts'
import type { AuthorId, SecretKey } from '../../core/types.ts'
import type { PeerKey } from '../../net/peer-key.ts'
import type { Store } from '../../store/types.ts'
import type { AppLockControl } from '../state/app-lock.ts'
import type { AppBackend, AppSettings } from '../state/backend.ts'
import type { AppDb } from './app-db.ts'
import { openBlobCache } from './blob-cache.ts'
import { createBlobTransport } from './blob-transport.ts'
import { createBackendActions, sendThrough } from './backend-actions.ts'
import { createBackendReads } from './backend-reads.ts'
import { createBackendSettings, createSettingsOwner } from './backend-settings.ts'
import { createBackendTransfer, type BackendTransfer } from './backend-transfer.ts'
import { startBackgroundFlush } from './background-flush.ts'
import { createCommunityIndex } from './community-index.ts'
import { createDmWiring } from './dm-wiring.ts'
import { createNetLifecycle, describeConnection } from './net-lifecycle.ts'
import { createOutbox } from './outbox.ts'
import { createMissingPosts } from './missing-posts.ts'
import { createPostViews, shortId, type PostViews } from './post-views.ts'
import { createPrivateWiring } from './private-backend.ts'
import { loadVettedRelays } from './vetted-relays.ts'

export interface BackendInit {
  readonly db: AppDb
  readonly store: Store
  readonly secret: SecretKey
  readonly me: AuthorId
  readonly settings: AppSettings
  readonly peerKey: PeerKey
  /** erases the store's database (after close) */
  readonly eraseStore: () => Promise<void>
  readonly eraseApp: () => Promise<void>
  /** unregisters the service worker and deletes its caches (a wipe that leaves no trace) */
  readonly eraseOfflineCopy: () => Promise<void>
  readonly appLock?: AppLockControl | undefined
}

/** The backend, plus the merge of an export file decoded already. */
export type Backend = AppBackend & Pick<BackendTransfer, 'mergeExport'>

/** a fresh relay connection exchanges subscriptions first; the queue is sent after this */
const FLUSH_AFTER_CONNECT_MS = 1000

export async function createBackend(init: BackendInit): Promise<Backend> {
  const { db, store, me, secret } = init
  const listeners = new Set<() => void>()
  const notify = (): void => {
    for (const l of listeners) l()
  }
  const owner = createSettingsOwner(db, init.settings)
  const community = await createCommunityIndex(db)
  const vetted = await loadVettedRelays(db)
  const dms = await store.directMessages()
  const dmWiring = await createDmWiring({ db, dms, secret, onChange: notify })
  const net = createNetLifecycle({
    db,
    store,
    me,
    peerKey: init.peerKey,
    vetted,
    dmWiring,
    onStatus() {
      notify()
      setTimeout(() => void outbox.flush(), FLUSH_AFTER_CONNECT_MS)
    },
  })
  const session = net.session
  const outbox = await createOutbox({
    db,
    // navigator.onLine false: the device says it is offline; keep everything queued
    publish: async (item) => {
      const s = session()
      return s && navigator.onLine ? s.publish(item.kind, item.bytes) : false
    },
    onChange: notify,
  })
  const send = sendThrough(outbox)
  // the lists I subscribe to mute words too; the authors they hide the store leaves out
  const views: PostViews = createPostViews(store, {
    me,
    mutedWords: () => [...owner.get().mutedWords, ...store.listMutedWords()],
    pendingIds: outbox.pendingIds,
    missing: createMissingPosts((ids) => session()?.network.fetchEvents(ids)),
  })
  // photos go to the relay that served the app, and come from the device's cache, that relay, or
  // the relays connected over libp2p (blob-transport.ts says why); no cache without IndexedDB
  const blobs = createBlobTransport({
    secret,
    origins: () => (/^https?:$/.test(location.protocol) ? [location.origin] : []),
    viaRelays: (sha256) => session()?.network.fetchBlob(sha256),
    cache: await openBlobCache().catch(() => undefined),
    postsOf: (sha256) => views.postsWithImage(sha256),
  })
  // reply and reaction counts come from the store now; drop the copy earlier versions kept
  db.delete('refCounts').catch(() => undefined)
  // and the store-and-forward cursors: the subscription's cursors replaced them (filtered delivery)
  db.delete('syncCursors').catch(() => undefined)
  const priv = await createPrivateWiring({ store, me, dms, wiring: dmWiring, author: (id) => views.author(id), send, onChange: notify })

  store.subscribe((change) => {
    if (change.type === 'events') community.add(change.events)
    if (change.type === 'purged') {
      community.remove(change.ids)
      blobs.forget(views.imagesOf(change.ids), change.ids)
    }
    if (change.type === 'changes') {
      views.forget(change.author)
      if (change.author === me && !change.local) void priv.keepFollowsPrivate()
    }
    notify()
  })

  // letters too: a deposit that failed (a relay went away mid-way) is tried again
  const stopFlushing = startBackgroundFlush({
    flush: () => {
      void outbox.flush()
      void dmWiring.flush()
    },
    notify,
  })
  await net.start(owner.get())

  // my display name, for invite links (which are made synchronously)
  let myName = (await views.profileOf(me)).name
  store.subscribe((change) => {
    if (change.type === 'changes' && change.author === me)
      void views.profileOf(me).then((p) => {
        myName = p.name
      })
  })

  async function shutDown(): Promise<void> {
    stopFlushing()
    await net.stop()
  }

  return {
    ...priv,
    me,
    appLock: init.appLock,
    revealPhrase: (language) => secretKeyToPhrase(secret, language),
    ...createBackendReads({ db, store, me, views, community, session, notify }),
    ...createBackendActions({ store, me, views, send, blobs }),
    ...createBackendSettings({ owner, secret, vetted, net, myName: () => myName || shortId(me), notify }),
    ...createBackendTransfer({ store, me, secret, owner, net, notify }),
    async wipe(options) {
      await shutDown().catch(() => undefined)
      await store.close().catch(() => undefined)
      await init.eraseStore()
      await init.eraseApp()
      if (options?.leaveNoTrace) await init.eraseOfflineCopy()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    connection: () => describeConnection(session(), owner.get(), outbox.size(), vetted.list()),
    async stop() {
      await shutDown()
      await store.close()
    },
  }
}
