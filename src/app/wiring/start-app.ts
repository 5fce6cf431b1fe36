// The app's engine, loaded in the background once the first screen is on it (main.tsx):
// Automerge's wasm, the store over IndexedDB, the libp2p network. Opens an identity's store and
// network and attaches them to the controller, and acts on invites the person accepted (follow
// the inviter, join its relays; protocol/invites.md) whenever the inbox has one.
import wasmUrl from '@automerge/automerge/automerge.wasm?url'
import { effect } from '@preact/signals'
import { encodeDidKey, fail, getPublicKey } from '../../core/index.ts'
import type { Invite } from '../../core/invite.ts'
import type { SecretKey } from '../../core/types.ts'
import { loadAutomerge } from '../../store/automerge.ts'
import { createStore, prepareStore } from '../../store/create-store.ts'
import { deleteIdbStorage, openIdbStorage } from '../../store/idb-storage.ts'
import type { Controller } from '../state/controller.ts'
import type { ProfileDraft } from '../state/view-types.ts'
import { APP_DB_NAME, deleteDatabase, type AppDb } from './app-db.ts'
import { createBackend, type Backend } from './create-backend.ts'
import { loadSettings, saveSettings } from './device-settings.ts'
import { decodeExport } from './export-file.ts'
import { loadIdentity, saveSealedSecret, saveSecret } from './identity-store.ts'
import { createValueSealer, deriveAtRestKey, sealSeed } from '../lib/app-lock-crypto.ts'
import { DEFAULT_IDLE_MINUTES } from '../state/app-lock.ts'
import { createAppLock } from './app-lock.ts'
import { sealStorage, type AtRestControl } from './at-rest.ts'
import { startIdleLock } from './idle-lock.ts'
import type { InviteInbox } from './invite-inbox.ts'
import { loadPeerKey } from './net-session.ts'
import { askServingRelay } from './serving-relay.ts'
import { removeAppWorker } from './app-worker.ts'
import { announceWipe } from './wipe-signal.ts'

export const STORE_DB_NAME = 'wildgrass-store'

export interface WiringInit {
  readonly controller: Controller
  /** the app database, sealing what it holds while the app lock is on (at-rest.ts) */
  readonly db: AppDb & AtRestControl
  /** invites the person accepted, acted on once an identity is open (and any accepted later) */
  readonly inbox: InviteInbox
  /** no identity is saved on this device: the store is prepared ahead (prepareStore); a returning visit's store has its documents already */
  readonly newcomer: boolean
  /** Automerge's wasm, if asked for already (default: fetched now) */
  readonly wasm?: Promise<Response>
  /** how much of Automerge's wasm has arrived, 0 to 1 */
  readonly onWasmProgress?: (fraction: number) => void
}

export interface AppWiring {
  /** opens an identity saved on this device and attaches its store and network */
  open(secret: SecretKey): Promise<void>
  /** saves a new or restored identity on this device, then opens it; a new one's profile is published first */
  adopt(secret: SecretKey, profile?: ProfileDraft, lockPassphrase?: string): Promise<void>
  /** a sealed export file with its identity (E_BAD_KEY without one): saved, opened, its data merged */
  adoptExport(bytes: Uint8Array, passphrase?: string): Promise<void>
}

/** Resolves once Automerge's wasm is compiled (and, for a newcomer, the store prepared): from then on, opening an identity needs no download. */
export async function loadWiring(init: WiringInit): Promise<AppWiring> {
  const { controller, db, inbox } = init
  // asked now, waited for by nobody at start-up: the origin may be gone (serving-relay.ts)
  const servingRelay = askServingRelay()
  const wasm = countBody(await (init.wasm ?? fetch(wasmUrl)), init.onWasmProgress)
  await (init.newcomer ? prepareStore(wasm) : loadAutomerge(wasm))

  const open = async (secret: SecretKey): Promise<Backend> => {
    // the device holds the only copy of the identity and of offline posts: ask the browser not
    // to evict this origin's storage under pressure (best effort; browsers may say no, and
    // insecure origins have no navigator.storage)
    void navigator.storage?.persist?.().catch(() => false)
    // sealed values are opened whether the lock is on or not; new ones are sealed while it is on
    const sealer = createValueSealer(deriveAtRestKey(secret))
    const identity = await loadIdentity(db)
    const locked = identity?.locked === true
    db.unlock(sealer, locked)
    const storage = sealStorage(await openIdbStorage({ name: STORE_DB_NAME }))
    storage.unlock(sealer, locked)
    const idle = startIdleLock({ minutes: identity?.locked ? identity.idleMinutes : 0, lock: () => location.reload() })
    const appLock = createAppLock({ db, secret, sealed: [db, storage], idle, lock: () => location.reload() })
    const store = createStore({ storage, secret, automergeWasm: wasmUrl })
    await store.start()
    const me = encodeDidKey(getPublicKey(secret))
    const settings = await loadSettings(db)
    const backend = await createBackend({
      db,
      store,
      secret,
      me,
      settings,
      peerKey: await loadPeerKey(db),
      appLock,
      eraseStore: () => {
        announceWipe()
        return deleteIdbStorage(STORE_DB_NAME)
      },
      eraseOfflineCopy: removeAppWorker,
      eraseApp: async () => {
        db.close()
        await deleteDatabase(APP_DB_NAME)
        try {
          localStorage.clear()
        } catch {
          /* nothing kept there that matters */
        }
      },
    })
    // a newcomer without an invite joins the relay that served the app, once it answers
    if (settings.relays.length === 0) {
      void servingRelay.then(async (relay) => {
        for (const a of relay.multiaddrs) await backend.addRelay(a).catch(() => undefined)
      })
    }
    return backend
  }

  const accept = async (backend: Backend, invite: Invite): Promise<void> => {
    for (const relay of invite.relays) await backend.addRelay(relay).catch(() => undefined)
    // a relay's own invite (what `npm start` prints) is signed by the relay's record key, which
    // is not a person and never posts: join its relays, follow nobody
    const fromServingRelay = invite.inviter === (await servingRelay).key
    if (invite.inviter !== backend.me && !fromServingRelay) await backend.follow(invite.inviter).catch(() => undefined)
    if (invite.community) await backend.setCommunity(invite.community)
    await controller.refresh()
  }

  const attach = (backend: Backend): void => {
    controller.attach(backend)
    // the invite this page was opened with, and any opened later in this tab, once accepted
    effect(() => {
      if (inbox.pending.value === undefined || !inbox.approved.value) return
      const invite = inbox.take()
      if (invite) void accept(backend, invite)
    })
  }

  return {
    async open(secret) {
      attach(await open(secret))
    },
    async adopt(secret, profile, lockPassphrase) {
      // with the lock chosen, the seed is sealed before its first write: never in clear on disk
      if (lockPassphrase === undefined) await saveSecret(db, secret)
      else await saveSealedSecret(db, await sealSeed(secret, lockPassphrase), DEFAULT_IDLE_MINUTES)
      const backend = await open(secret)
      if (profile) await backend.editProfile(profile)
      attach(backend)
    },
    async adoptExport(bytes, passphrase) {
      const data = await decodeExport(bytes, passphrase)
      if (!data.secret) fail('E_BAD_KEY', 'this export file holds no key: restore from the phrase, then import it in Settings')
      await saveSecret(db, data.secret)
      await saveSettings(db, data.settings)
      const backend = await open(data.secret)
      await backend.mergeExport(data)
      attach(backend)
    },
  }
}

/**
 * The wasm response, its body counted as it arrives. A body is read decoded, so its bytes are
 * counted against the wasm's own size (known at build time), whatever encoding the relay chose;
 * Content-Length, the size on the wire, would only fit an uncompressed response.
 */
function countBody(response: Response, onProgress: ((fraction: number) => void) | undefined): Response {
  const length = Number(import.meta.env.WG_AUTOMERGE_WASM_BYTES ?? 0)
  if (!onProgress || !response.body || !(length > 0)) return response
  let seen = 0
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        seen += chunk.byteLength
        onProgress(Math.min(1, seen / length))
        out.enqueue(chunk)
      },
    }),
  )
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers })
}
