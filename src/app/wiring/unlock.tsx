// The lock screen's side in the wiring: the passphrase opens the sealed seed (scrypt, loaded
// with the screen's first try, not before the paint), then the app database gets the at-rest
// key so that everything else it holds reads again. Resolves with the seed, or with undefined
// when the person chose to restore from the backup phrase instead.
import { render } from 'preact'
import type { SecretKey } from '../../core/types.ts'
import { createTranslator, type UiLanguage } from '../i18n/index.ts'
import { I18nContext } from '../ui/i18n-context.ts'
import { LockScreen } from '../ui/lock-screen.tsx'
import type { AppDb } from './app-db.ts'
import type { AtRestControl } from './at-rest.ts'

export function askToUnlock(db: AppDb & AtRestControl, sealed: Uint8Array, language: UiLanguage): Promise<SecretKey | undefined> {
  const root = document.getElementById('app')!
  return new Promise((resolve) => {
    const unlock = async (passphrase: string): Promise<void> => {
      const { createValueSealer, deriveAtRestKey, openSeed } = await import('../lib/app-lock-crypto.ts')
      const secret = await openSeed(sealed, passphrase)
      db.unlock(createValueSealer(deriveAtRestKey(secret)), true)
      resolve(secret)
    }
    render(
      <I18nContext.Provider value={{ language, t: createTranslator(language) }}>
        <LockScreen onUnlock={unlock} onRestore={() => resolve(undefined)} />
      </I18nContext.Provider>,
      root,
    )
  })
}
