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
import { loadPeerKey } from './net-session.ts'
import { askServingRelay } from './serving-relay.ts'

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
  // asked now, waited for by nobody at start-up: the origin may be gone (serving-relay.ts)
  const servingRelay = askServingRelay()
  await loadAutomerge(wasmUrl)

  const open = async (secret: SecretKey): Promise<AppBackend> => {
    // the device holds the only copy of the identity and of offline posts: ask the browser not
    // to evict this origin's storage under pressure (best effort; browsers may say no)
    void navigator.storage?.persist?.().catch(() => false)
    const storage = await openIdbStorage({ name: STORE_DB_NAME })
    const store = createStore({ storage, secret, automergeWasm: wasmUrl })
    await store.start()
    const me = encodeDidKey(getPublicKey(secret))
    const settings = await loadSettings(db)
    const backend = await createBackend({
      db, store, secret, me, settings, peerKey: await loadPeerKey(db),
      eraseStore: () => deleteIdbStorage(STORE_DB_NAME),
      eraseApp: async () => {
        db.close()
        await deleteDatabase(APP_DB_NAME)
        try { localStorage.clear() } catch { /* nothing kept there that matters */ }
      },
    })
    // a newcomer without an invite joins the relay that served the app, once it answers
    if (settings.relays.length === 0) {
      void servingRelay.then(async (relay) => { for (const a of relay.multiaddrs) await backend.addRelay(a).catch(() => undefined) })
    }
    return backend
  }

  const accept = async (backend: AppBackend, inv: Invite): Promise<void> => {
    for (const relay of inv.relays) await backend.addRelay(relay).catch(() => undefined)
    // a relay's own invite (what `npm start` prints) is signed by the relay's record key, which
    // is not a person and never posts: join its relays, follow nobody
    const fromServingRelay = inv.inviter === (await servingRelay).key
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
