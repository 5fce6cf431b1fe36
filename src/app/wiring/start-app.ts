// Loaded after first paint (dynamic import from main.tsx): Automerge's wasm, the store over
// IndexedDB, the libp2p network. Decides between onboarding and the app, and accepts an
// invite link (#invite=…: follow the inviter, join its relays; protocol/invites.md).
import wasmUrl from '@automerge/automerge/automerge.wasm?url'
import { encodeDidKey, fail, generateSecretKey, getPublicKey, parseInvite, phraseToSecretKey, secretKeyToPhrase } from '../../core/index.ts'
import type { Invite } from '../../core/invite.ts'
import type { SecretKey } from '../../core/types.ts'
import { loadAutomerge } from '../../store/automerge.ts'
import { createStore } from '../../store/create-store.ts'
import { deleteIdbStorage, openIdbStorage } from '../../store/idb-storage.ts'
import type { AppBackend } from '../state/backend.ts'
import type { Controller } from '../state/controller.ts'
import type { Session } from '../state/session.ts'
import type { ProfileDraft } from '../state/view-types.ts'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { APP_DB_NAME, deleteDatabase, openAppDb, type AppDb } from './app-db.ts'
import { createBackend } from './create-backend.ts'
import { loadSettings, saveSettings } from './device-settings.ts'
import { decodeExport } from './export-file.ts'
import { loadSecret, saveSecret } from './identity-store.ts'
import { checkRelayAddress, loadPeerKey } from './net-session.ts'

export const STORE_DB_NAME = 'wildgrass-store'

export interface StartInit {
  readonly controller: Controller
  readonly db: AppDb | undefined
  readonly hasIdentity: boolean
  readonly setSession: (session: Session) => void
}

/** The invite in the fragment, if any; a bad one is reported and ignored. */
async function readInvite(onBad: (code: string) => void): Promise<Invite | undefined> {
  if (!location.hash.startsWith('#invite=')) return undefined
  const fragment = location.hash
  // the fragment is consumed: it should not stay in the address bar or in history
  history.replaceState(null, '', `${location.pathname}${location.search}#/home`)
  try {
    return await parseInvite(fragment)
  } catch (error) {
    onBad(codeOf(error))
    return undefined
  }
}

export async function startApp(init: StartInit): Promise<void> {
  const { controller } = init
  const db = init.db ?? (await openAppDb())
  const onBadInvite = (code: string): void => { controller.notice.value = describeError(controller.t(), code === 'E_MALFORMED' ? 'E_BAD_INVITE' : code) }
  let invite = await readInvite(onBadInvite)
  await loadAutomerge(wasmUrl)

  const open = async (secret: SecretKey): Promise<AppBackend> => {
    // the device holds the only copy of the identity and of offline posts: ask the browser not
    // to evict this origin's storage under pressure (best effort; browsers may say no)
    void navigator.storage?.persist?.().catch(() => false)
    const storage = await openIdbStorage({ name: STORE_DB_NAME })
    const store = createStore({ storage, secret, automergeWasm: wasmUrl })
    await store.start()
    const me = encodeDidKey(getPublicKey(secret))
    let settings = await loadSettings(db)
    if (settings.relays.length === 0) {
      settings = { ...settings, relays: (await fetchServingRelay()).multiaddrs }
      await saveSettings(db, settings)
    }
    return createBackend({
      db, store, secret, me, settings, peerKey: await loadPeerKey(db),
      eraseStore: () => deleteIdbStorage(STORE_DB_NAME),
      eraseApp: async () => {
        db.close()
        await deleteDatabase(APP_DB_NAME)
        try { localStorage.clear() } catch { /* nothing kept there that matters */ }
      },
    })
  }

  const accept = async (backend: AppBackend, inv: Invite): Promise<void> => {
    for (const relay of inv.relays) await backend.addRelay(relay).catch(() => undefined)
    // a relay's own invite (what `npm start` prints) is signed by the relay's record key, which
    // is not a person and never posts: join its relays, follow nobody
    const fromServingRelay = inv.inviter === (await fetchServingRelay()).key
    if (inv.inviter !== backend.me && !fromServingRelay) await backend.follow(inv.inviter).catch(() => undefined)
    if (inv.community) await backend.setCommunity(inv.community)
  }

  const attach = async (backend: AppBackend): Promise<void> => {
    controller.attach(backend)
    if (invite) {
      const inv = invite
      invite = undefined
      await accept(backend, inv)
      await controller.refresh()
    }
  }

  addEventListener('hashchange', () => {
    if (!location.hash.startsWith('#invite=') || !controller.backend) return
    void readInvite(onBadInvite).then((inv) => (inv && controller.backend ? accept(controller.backend, inv).then(controller.refresh) : undefined))
  })

  const existing = init.hasIdentity ? await loadSecret(db) : undefined
  if (existing) {
    await attach(await open(existing))
    return
  }

  let pending: { secret: SecretKey; profile: ProfileDraft } | undefined
  init.setSession({
    inviterName: invite?.name,
    async prepareIdentity(profile, language) {
      const secret = pending?.secret ?? generateSecretKey()
      pending = { secret, profile }
      return secretKeyToPhrase(secret, language)
    },
    async finishOnboarding() {
      if (!pending) return
      const { secret, profile } = pending
      await saveSecret(db, secret)
      const backend = await open(secret)
      await backend.editProfile(profile)
      pending = undefined
      await attach(backend)
    },
    async restoreIdentity(phrase) {
      const { secret } = phraseToSecretKey(phrase)
      await saveSecret(db, secret)
      await attach(await open(secret))
    },
    async importData(bytes, passphrase) {
      const data = await decodeExport(bytes, passphrase)
      if (!data.secret) fail('E_BAD_KEY', 'this export file holds no key: restore from the phrase, then import it in Settings')
      await saveSecret(db, data.secret)
      await saveSettings(db, data.settings)
      const backend = await open(data.secret)
      await backend.importData(bytes, passphrase)
      await attach(backend)
    },
  })
  controller.needOnboarding()
}

interface ServingRelay {
  readonly multiaddrs: string[]
  /** the did:key that signs the relay's records and its own invites */
  readonly key?: string
}

/**
 * A relay serving this app may say where its libp2p listeners are and which key signs its
 * invites (`./relay.json`: { multiaddrs: [...], key }): then a newcomer without an invite can
 * still connect. Optional; a static host has none. The origin that serves the app is trusted
 * with the app's code anyway, so its word on its own key needs no signature.
 */
async function fetchServingRelay(): Promise<ServingRelay> {
  try {
    const response = await fetch('./relay.json', { signal: AbortSignal.timeout(2000) })
    if (!response.ok) return { multiaddrs: [] }
    const body = (await response.json()) as { multiaddrs?: unknown; key?: unknown }
    // all of them: the relay pool groups addresses by peer id (one relay, however many
    // addresses name it) and falls back to the next address when one fails (src/net/relay-pool.ts)
    const multiaddrs = (Array.isArray(body.multiaddrs) ? body.multiaddrs : []).filter((a): a is string => typeof a === 'string').flatMap((a) => {
      try { return [checkRelayAddress(a)] } catch { return [] }
    }).slice(0, 8)
    return typeof body.key === 'string' ? { multiaddrs, key: body.key } : { multiaddrs }
  } catch {
    return { multiaddrs: [] }
  }
}
