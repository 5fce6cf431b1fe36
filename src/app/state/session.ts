// What onboarding and data import need before an identity (and so a backend) exists. It is
// there from the first paint of a first visit: key and phrase come from src/core alone, while
// the app's engine (store, Automerge, libp2p) loads in the background (wiring/onboarding-session.ts).
import type { ReadonlySignal } from '@preact/signals'
import type { PhraseLanguage } from './phrase-language.ts'
import type { ProfileDraft } from './view-types.ts'

export interface Session {
  /** name of whoever invited us, once the invite in the address has been verified */
  readonly inviterName: ReadonlySignal<string | undefined>
  /** how much of the app's engine has loaded in the background, 0 to 1 */
  readonly loaded: ReadonlySignal<number>
  /** makes a new key and returns its backup phrase; nothing is published until finish */
  prepareIdentity(profile: ProfileDraft, language: PhraseLanguage): Promise<string>
  /** with a passphrase, the key is saved sealed by the app lock (never in clear) */
  finishOnboarding(lockPassphrase?: string): Promise<void>
  restoreIdentity(phrase: string): Promise<void>
  /** a sealed export file with its passphrase (E_BAD_PHRASE); a file without the secret is refused (E_BAD_KEY) */
  importData(bytes: Uint8Array, passphrase?: string): Promise<void>
}

/** The engine could not be downloaded (offline on a first visit): nothing was saved, trying again may work. */
export class EngineUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the app could not be downloaded completely', { cause })
    this.name = 'EngineUnavailableError'
  }
}
