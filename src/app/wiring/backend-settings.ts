// The one owner of the device's settings while the backend runs: read by everyone through
// `get()`, changed only through `update()`, which saves them. Beside it, the settings screen's
// half of the backend.
import { createInvite, fail, MAX_INVITE_RELAYS } from '../../core/index.ts'
import type { SecretKey } from '../../core/types.ts'
import type { AppBackend, AppSettings } from '../state/backend.ts'
import type { AppDb } from './app-db.ts'
import { saveSettings } from './device-settings.ts'
import type { NetLifecycle } from './net-lifecycle.ts'
import { checkRelayAddress } from './net-session.ts'
import type { VettedRelays } from './vetted-relays.ts'

export interface SettingsOwner {
  get(): AppSettings
  update(next: AppSettings): Promise<void>
}

export function createSettingsOwner(db: AppDb, initial: AppSettings): SettingsOwner {
  let settings = initial
  return {
    get: () => settings,
    async update(next) {
      settings = next
      await saveSettings(db, next)
    },
  }
}

export type BackendSettings = Pick<
  AppBackend,
  'settings' | 'setMutedWords' | 'setPhotoSettings' | 'addRelay' | 'removeRelay' | 'setPrivacy' | 'setCommunity' | 'createInviteLink'
>

/** The settings screen's half of the backend: a change that fixes the transports restarts the network. */
export function createBackendSettings(init: {
  owner: SettingsOwner
  secret: SecretKey
  vetted: VettedRelays
  net: NetLifecycle
  /** my display name now, for invite links (which are made synchronously) */
  myName(): string
  notify(): void
}): BackendSettings {
  const { owner, net } = init
  const restart = async (): Promise<void> => {
    await net.restart(owner.get())
    init.notify()
  }
  return {
    settings: () => owner.get(),
    async setMutedWords(words) {
      await owner.update({ ...owner.get(), mutedWords: [...words] })
      init.notify()
    },
    async setPhotoSettings(photos) {
      await owner.update({ ...owner.get(), photos: { ...photos } })
      init.notify()
    },
    async addRelay(address) {
      const clean = checkRelayAddress(address)
      const settings = owner.get()
      if (settings.relays.includes(clean)) return
      await owner.update({ ...settings, relays: [...settings.relays, clean] })
      if (!net.session()?.network.addRelay(clean)) await restart()
      init.notify()
    },
    async removeRelay(address) {
      init.vetted.forget(address)
      const settings = owner.get()
      await owner.update({ ...settings, relays: settings.relays.filter((r) => r !== address) })
      await restart()
    },
    async setPrivacy(mode) {
      const settings = owner.get()
      if (mode === settings.privacy) return
      await owner.update({ ...settings, privacy: mode })
      await restart()
    },
    async setCommunity(name) {
      await owner.update({ ...owner.get(), community: name })
      init.notify()
    },
    createInviteLink(appUrl, communityName) {
      const settings = owner.get()
      if (settings.relays.length === 0) fail('E_BAD_INVITE', 'no relays to invite to')
      const community = communityName?.trim() || settings.community
      return createInvite(
        init.secret,
        {
          relays: settings.relays.slice(0, MAX_INVITE_RELAYS),
          name: init.myName(),
          ...(community ? { community } : {}),
        },
        appUrl,
      )
    },
  }
}
