// The session of a first visit, there from the first paint: the welcome, profile and phrase
// screens run on src/core alone (a fresh key, its backup phrase), loaded right after the
// welcome screen is painted. The engine (store, Automerge, libp2p) loads behind them; finishing
// onboarding waits for it only if it has not arrived yet (the screen shows its progress).
import { computed } from '@preact/signals'
import type { SecretKey } from '../../core/types.ts'
import { EngineUnavailableError, type Session } from '../state/session.ts'
import type { ProfileDraft } from '../state/view-types.ts'
import type { EngineLoader } from './engine-loader.ts'
import type { InviteInbox } from './invite-inbox.ts'

export interface OnboardingInit {
  readonly engine: EngineLoader
  /** names the inviter on the welcome screen; an invite the person accepted is acted on once the identity is open */
  readonly inbox: InviteInbox
}

export interface OnboardingSession extends Session {
  /** loads what the next screens need (key generation, the phrase word lists) */
  preload(): Promise<void>
}

// key and phrase, in a chunk of their own: the phrase word lists are not needed to paint the welcome screen
const loadIdentityTools = async () => {
  const [keys, phrase] = await Promise.all([import('../../core/keys.ts'), import('../../core/phrase.ts')])
  return { generateSecretKey: keys.generateSecretKey, secretKeyToPhrase: phrase.secretKeyToPhrase, phraseToSecretKey: phrase.phraseToSecretKey }
}

export function createOnboardingSession(init: OnboardingInit): OnboardingSession {
  const { engine, inbox } = init
  let tools: ReturnType<typeof loadIdentityTools> | undefined
  const identityTools = (): ReturnType<typeof loadIdentityTools> => {
    tools ??= loadIdentityTools().catch((error: unknown) => {
      tools = undefined // offline: the next try loads again
      throw new EngineUnavailableError(error)
    })
    return tools
  }
  const wiring = () =>
    engine.get().catch((error: unknown) => {
      throw new EngineUnavailableError(error)
    })
  // the key made for the profile step; kept if the person goes back and forth
  let pending: { secret: SecretKey; profile: ProfileDraft } | undefined

  return {
    inviterName: computed(() => inbox.pending.value?.name),
    loaded: engine.loaded,
    async preload() {
      await identityTools()
    },
    async prepareIdentity(profile, language) {
      const { generateSecretKey, secretKeyToPhrase } = await identityTools()
      const secret = pending?.secret ?? generateSecretKey()
      pending = { secret, profile }
      return secretKeyToPhrase(secret, language)
    },
    async finishOnboarding(lockPassphrase) {
      if (!pending) return
      await (await wiring()).adopt(pending.secret, pending.profile, lockPassphrase)
      pending = undefined
    },
    async restoreIdentity(phrase) {
      const { phraseToSecretKey } = await identityTools()
      const { secret } = phraseToSecretKey(phrase)
      await (await wiring()).adopt(secret)
    },
    async importData(bytes, passphrase) {
      await (await wiring()).adoptExport(bytes, passphrase)
    },
  }
}
