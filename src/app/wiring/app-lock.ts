// The app lock of an open identity (src/app/README.md "App lock"): turning it on seals the seed
// with the passphrase and rewrites the private state sealed; off, or a new passphrase, only
// after the current passphrase opens the sealed seed. The identity record is replaced in one put,
// so the clear seed and the sealed one are never both the record.
import { equalBytes, fail } from '../../core/index.ts'
import type { SecretKey } from '../../core/types.ts'
import { IDLE_CHOICES, type AppLockControl } from '../state/app-lock.ts'
import { openSeed, sealSeed } from '../lib/app-lock-crypto.ts'
import type { AppDb } from './app-db.ts'
import type { AtRestControl } from './at-rest.ts'
import { loadIdentity, saveSealedSecret, saveSecret } from './identity-store.ts'
import type { IdleLock } from './idle-lock.ts'

export interface AppLockInit {
  readonly db: AppDb
  readonly secret: SecretKey
  /** the app database and the store's storage, sealed while the lock is on */
  readonly sealed: readonly AtRestControl[]
  readonly idle: IdleLock
  /** drops the seed from memory and asks for the passphrase (a reload) */
  readonly lock: () => void
}

export function createAppLock(init: AppLockInit): AppLockControl {
  const { db, secret } = init
  const checkIdle = (minutes: number): void => {
    if (!IDLE_CHOICES.includes(minutes)) fail('E_BAD_TEXT', 'app lock: idle time')
  }
  /** the sealed record, after checking that `passphrase` opens it to this identity's seed */
  const sealedRecord = async (passphrase: string): Promise<{ sealed: Uint8Array; idleMinutes: number }> => {
    const saved = await loadIdentity(db)
    if (!saved?.locked) return fail('E_BAD_KEY', 'the app lock is off')
    if (!equalBytes(await openSeed(saved.sealed, passphrase), secret)) fail('E_BAD_KEY', 'the sealed seed belongs to another identity')
    return saved
  }
  const reseal = async (on: boolean): Promise<void> => {
    for (const s of init.sealed) await s.reseal(on)
  }

  return {
    async status() {
      const saved = await loadIdentity(db)
      return { on: saved?.locked === true, idleMinutes: saved?.locked ? saved.idleMinutes : 15 }
    },
    async enable(passphrase, idleMinutes) {
      checkIdle(idleMinutes)
      const sealed = await sealSeed(secret, passphrase)
      // the seed first: if the page dies in between, the state is still readable with the key
      await saveSealedSecret(db, sealed, idleMinutes)
      await reseal(true)
      init.idle.setMinutes(idleMinutes)
    },
    async changePassphrase(current, next) {
      const { idleMinutes } = await sealedRecord(current)
      await saveSealedSecret(db, await sealSeed(secret, next), idleMinutes)
    },
    async disable(current) {
      await sealedRecord(current)
      await reseal(false)
      await saveSecret(db, secret)
      init.idle.setMinutes(0)
    },
    async setIdleMinutes(minutes) {
      checkIdle(minutes)
      const saved = await loadIdentity(db)
      if (!saved?.locked) fail('E_BAD_KEY', 'the app lock is off')
      await saveSealedSecret(db, saved.sealed, minutes)
      init.idle.setMinutes(minutes)
    },
    lockNow: () => init.lock(),
  }
}
