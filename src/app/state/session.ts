// What onboarding and data import need before (or besides) a backend exists. Provided by the
// wiring once it has loaded (after first paint).
import type { PhraseLanguage } from './phrase-language.ts'
import type { ProfileDraft } from './view-types.ts'

export interface Session {
  /** name of whoever invited us, when the page was opened from an invite link */
  readonly inviterName?: string | undefined
  /** makes a new key and returns its backup phrase; nothing is published until finish */
  prepareIdentity(profile: ProfileDraft, language: PhraseLanguage): Promise<string>
  finishOnboarding(): Promise<void>
  restoreIdentity(phrase: string): Promise<void>
  /** a sealed export file with its passphrase (E_BAD_PHRASE); a file without the secret is refused (E_BAD_KEY) */
  importData(bytes: Uint8Array, passphrase?: string): Promise<void>
}
