// Onboarding: create an identity (name, optional bio and avatar), show the backup phrase in
// the UI language's word list, check 3 of its words, or restore from a phrase. No phone,
// e-mail or real name is asked for: nothing identifies a person beyond their key. The app's
// engine loads while these screens are shown; an action that needs it before it has arrived
// shows its progress.
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { checkPhraseWords, pickCheckPositions, splitPhrase } from '../lib/phrase-check.ts'
import { EngineUnavailableError } from '../state/session.ts'
import type { ProfileDraft } from '../state/view-types.ts'
import { checkLockChoice, NO_LOCK, OnboardingLock, type LockChoice } from './onboarding-lock.tsx'
import { MIN_PASSPHRASE_LENGTH } from '../lib/passphrase.ts'
import { useI18n } from './i18n-context.ts'
import { ImportFileForm } from './import-file-form.tsx'
import { LanguageSwitch } from './language-switch.tsx'
import { ProfileFields, profileFieldsValid } from './profile-fields.tsx'
import type { UiLanguage } from '../i18n/index.ts'

type Step = 'welcome' | 'create' | 'phrase' | 'check' | 'restore'

export function Onboarding(props: {
  inviterName?: string | undefined
  /** what the app has to say (a bad invite...) */
  notice?: string | undefined
  /** what the invite this page was opened with would do, and the choice to accept it */
  invite?: ComponentChildren
  /** how much of the engine has loaded, 0 to 1 */
  loaded: number
  /** what to say first (an insecure origin) */
  insecure?: ComponentChildren
  onPrepare: (profile: ProfileDraft) => Promise<string>
  /** with a passphrase: the key is saved sealed by the app lock from the start */
  onFinish: (lockPassphrase?: string) => Promise<void>
  onRestore: (phrase: string) => Promise<void>
  onImportFile: (bytes: Uint8Array, passphrase?: string) => Promise<void>
  onLanguage: (language: UiLanguage) => void
}) {
  const { t } = useI18n()
  const [step, setStep] = useState<Step>('welcome')
  const [name, setName] = useState('')
  const [bio, setBio] = useState('')
  const [avatar, setAvatar] = useState<string | undefined>(undefined)
  const [phrase, setPhrase] = useState('')
  const [positions, setPositions] = useState<number[]>([])
  const [answers, setAnswers] = useState<Map<number, string>>(new Map())
  const [error, setError] = useState('')
  const [restoreText, setRestoreText] = useState('')
  const [busy, setBusy] = useState(false)
  const [lock, setLock] = useState<LockChoice>(NO_LOCK)
  // an action is waiting for the engine (or for anything else it does)
  const [waiting, setWaiting] = useState(false)

  const run = async (work: () => Promise<void>, message: string): Promise<void> => {
    setBusy(true)
    setError('')
    try {
      await work()
    } catch (cause) {
      setError(cause instanceof EngineUnavailableError ? t('status.loadFailed') : message)
    } finally {
      setBusy(false)
    }
  }
  const waitingFor =
    <A extends unknown[]>(work: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      setWaiting(true)
      try {
        await work(...args)
      } finally {
        setWaiting(false)
      }
    }
  const finish = waitingFor(props.onFinish)
  const restore = waitingFor(props.onRestore)
  const importFile = waitingFor(async (bytes: Uint8Array, passphrase?: string) => {
    try {
      await props.onImportFile(bytes, passphrase)
    } catch (cause) {
      // the file form explains file errors; a download that failed is said here
      if (cause instanceof EngineUnavailableError) setError(t('status.loadFailed'))
      throw cause
    }
  })

  return (
    <main class="onboarding" id="main">
      <div class="onboarding-lang">
        <LanguageSwitch onChange={props.onLanguage} />
      </div>
      <h1>{t('onboard.welcome')}</h1>
      {props.insecure}
      {step === 'welcome' && (
        <section>
          <p>{t('app.tagline')}</p>
          <p class="muted">{t('onboard.noPersonal')}</p>
          <div class="stack">
            <button type="button" class="primary" onClick={() => setStep('create')}>
              {t('onboard.create')}
            </button>
            <button type="button" onClick={() => setStep('restore')}>
              {t('onboard.restore')}
            </button>
          </div>
        </section>
      )}
      {step === 'create' && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              const words = await props.onPrepare({ name: name.trim(), bio: bio.trim(), avatar })
              setPhrase(words)
              setPositions(pickCheckPositions(splitPhrase(words).length, 3))
              setStep('phrase')
            }, t('error.storage'))
          }}
        >
          <ProfileFields
            name={name}
            bio={bio}
            bioRows={3}
            namePlaceholder={t('onboard.namePlaceholder')}
            onName={setName}
            onBio={setBio}
            onAvatar={setAvatar}
          />
          {avatar && <img class="avatar" src={avatar} alt="" width={64} height={64} />}
          <p class="muted">{t('onboard.noPersonal')}</p>
          <button type="submit" class="primary" disabled={busy || !profileFieldsValid(name, bio)}>
            {t('onboard.continue')}
          </button>
        </form>
      )}
      {step === 'phrase' && (
        <section class="stack">
          <h2>{t('onboard.phraseTitle')}</h2>
          <p>{t('onboard.phraseExplain')}</p>
          <ol class="phrase" data-testid="phrase">
            {splitPhrase(phrase).map((word, i) => (
              <li key={i}>{word}</li>
            ))}
          </ol>
          <button type="button" class="primary" onClick={() => setStep('check')}>
            {t('onboard.phraseWritten')}
          </button>
        </section>
      )}
      {step === 'check' && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault()
            if (!checkPhraseWords(phrase, answers)) {
              setError(t('onboard.checkWrong'))
              return
            }
            const lockProblem = checkLockChoice(lock)
            if (lockProblem) {
              setError(t(lockProblem, { n: MIN_PASSPHRASE_LENGTH }))
              return
            }
            void run(() => finish(lock.on ? lock.passphrase : undefined), t('error.storage'))
          }}
        >
          <h2>{t('onboard.checkTitle')}</h2>
          <p>{t('onboard.checkExplain')}</p>
          {positions.map((position) => (
            <label key={position}>
              {t('onboard.checkWord', { n: position + 1 })}
              <input
                class="check-word"
                data-position={position}
                autocomplete="off"
                required
                value={answers.get(position) ?? ''}
                onInput={(e) => {
                  const next = new Map(answers)
                  next.set(position, e.currentTarget.value)
                  setAnswers(next)
                }}
              />
            </label>
          ))}
          <OnboardingLock onChange={setLock} />
          {props.invite}
          <div class="row">
            <button type="button" onClick={() => setStep('phrase')}>
              {t('nav.back')}
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {t('onboard.finish')}
            </button>
          </div>
        </form>
      )}
      {step === 'restore' && props.invite}
      {step === 'restore' && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault()
            void run(() => restore(restoreText), t('onboard.badPhrase'))
          }}
        >
          <label>
            {t('onboard.restorePrompt')}
            <textarea name="phrase" rows={4} autocomplete="off" spellcheck={false} value={restoreText} onInput={(e) => setRestoreText(e.currentTarget.value)} />
          </label>
          <div class="row">
            <button type="button" onClick={() => setStep('welcome')}>
              {t('onboard.cancel')}
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {t('onboard.restoreButton')}
            </button>
          </div>
        </form>
      )}
      {step === 'restore' && <ImportFileForm onImport={importFile} />}
      {/* what arrives after the first paint (the invite is verified then) goes below the
          buttons: nothing may move under a finger that is tapping one */}
      {props.inviterName !== undefined && <p class="invite-note">{t('onboard.invitedBy', { name: props.inviterName })}</p>}
      {props.notice && (
        <p class="notice onboarding-notice" role="status">
          {props.notice}
        </p>
      )}
      {waiting && props.loaded < 1 && (
        <p class="engine-progress" role="status">
          <label>
            {t('onboard.preparing')} <progress max={1} value={props.loaded} />
          </label>
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </main>
  )
}
