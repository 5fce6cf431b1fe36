// The first screen while the app lock is on: the passphrase, nothing else of the person's (no
// timeline, no name). A wrong passphrase says so and keeps what was typed; a forgotten one can
// be replaced by restoring from the backup phrase.
import { useState } from 'preact/hooks'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { useI18n } from './i18n-context.ts'
import { CurrentPassphraseField } from './new-passphrase.tsx'

export function LockScreen(props: { onUnlock: (passphrase: string) => Promise<void>; onRestore: () => void }) {
  const { t } = useI18n()
  const [passphrase, setPassphrase] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async (): Promise<void> => {
    setBusy(true)
    setError('')
    try {
      await props.onUnlock(passphrase)
    } catch (e) {
      const code = codeOf(e)
      setError(code === 'E_BAD_PHRASE' ? t('lock.wrong') : describeError(t, code))
    } finally {
      setBusy(false)
    }
  }
  return (
    <main class="onboarding stack" data-testid="lock-screen">
      <h1>{t('lock.title')}</h1>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <CurrentPassphraseField name="unlock-passphrase" label={t('lock.passphrase')} value={passphrase} onInput={setPassphrase} required autoFocus />
        <button type="submit" class="primary" disabled={busy}>
          {t('lock.unlock')}
        </button>
        {busy && <p role="status">{t('lock.working')}</p>}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p class="muted">{t('lock.forgot')}</p>
      <button type="button" disabled={busy} onClick={props.onRestore}>
        {t('lock.restore')}
      </button>
    </main>
  )
}
