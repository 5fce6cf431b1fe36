// Export files out and in: everything of mine the store holds (and the secret, if asked),
// sealed with a passphrase (export-file.ts); an import merges, never replaces.
import { equalBytes, fail } from '../../core/index.ts'
import type { AuthorId, SecretKey } from '../../core/types.ts'
import type { Store } from '../../store/types.ts'
import type { AppBackend } from '../state/backend.ts'
import type { SettingsOwner } from './backend-settings.ts'
import { decodeExport, encodeExport, type ExportData } from './export-file.ts'
import type { NetLifecycle } from './net-lifecycle.ts'

export type BackendTransfer = Pick<AppBackend, 'exportData' | 'importData'> & {
  /** merges an export file decoded already (onboarding decodes it once: scrypt is slow on phones) */
  mergeExport(data: ExportData): Promise<void>
}

export function createBackendTransfer(init: {
  store: Store
  me: AuthorId
  secret: SecretKey
  owner: SettingsOwner
  net: NetLifecycle
  notify(): void
}): BackendTransfer {
  const { store, me, owner } = init
  async function mergeExport(data: ExportData): Promise<void> {
    if (data.author !== me || (data.secret && !equalBytes(data.secret, init.secret))) fail('E_WRONG_AUTHOR', 'this export file belongs to another identity')
    await store.ingestChanges(data.changes)
    await store.ingestEvents(data.events)
    for (const a of data.muted) await store.mute(a)
    for (const a of data.blocked) await store.block(a)
    const settings = owner.get()
    const relays = [...new Set([...settings.relays, ...data.settings.relays])]
    await owner.update({ ...settings, relays, mutedWords: [...new Set([...settings.mutedWords, ...data.settings.mutedWords])] })
    if (relays.length !== settings.relays.length) await init.net.restart(owner.get())
    init.notify()
  }
  return {
    async exportData(passphrase) {
      const changes = await store.getChangesSince(me, [])
      const events = await store.getEvents(await store.indexedEventIds(me))
      const data = {
        author: me,
        secret: init.secret,
        settings: owner.get(),
        muted: await store.listMuted(),
        blocked: await store.listBlocked(),
        changes,
        events,
      }
      return encodeExport(data, passphrase)
    },
    async importData(bytes, passphrase) {
      await mergeExport(await decodeExport(bytes, passphrase))
    },
    mergeExport,
  }
}
