// Export of all my data: sealed with a passphrase typed twice (it holds the secret key), or
// without the key at all. The passphrase lives only in this component's state: never in a
// URL, never logged, gone when the screen closes.
import { useState } from 'preact/hooks'
import { MIN_PASSPHRASE_LENGTH, passphraseLength } from '../lib/passphrase.ts'
import { useI18n } from './i18n-context.ts'

export function ExportForm(props: { onExport: (passphrase?: string) => Promise<void> }) {
  const { t } = useI18n()
  const [first, setFirst] = useState('')
  const [second, setSecond] = useState('')
  const [error, setError] = useState('')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)

  const run = async (passphrase?: string): Promise<void> => {
    setBusy(true)
    setError('')
    setNote(passphrase === undefined ? '' : t('export.working'))
    try {
      await props.onExport(passphrase)
      setFirst('')
      setSecond('')
      setNote(t('export.done'))
    } catch {
      setNote('')
      setError(t('error.storage'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="stack">
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault()
          if (passphraseLength(first) < MIN_PASSPHRASE_LENGTH) {
            setError(t('export.tooShort', { n: MIN_PASSPHRASE_LENGTH }))
            return
          }
          if (first !== second) {
            setError(t('export.mismatch'))
            return
          }
          void run(first)
        }}
      >
        <p class="muted">{t('settings.exportExplain', { n: MIN_PASSPHRASE_LENGTH })}</p>
        <p class="muted" data-testid="passphrase-guidance">
          {t('export.guidance')}
        </p>
        <label>
          {t('export.passphrase')}
          <input type="password" name="export-passphrase" autocomplete="new-password" required value={first} onInput={(e) => setFirst(e.currentTarget.value)} />
        </label>
        <label>
          {t('export.repeat')}
          <input
            type="password"
            name="export-passphrase-again"
            autocomplete="new-password"
            required
            value={second}
            onInput={(e) => setSecond(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t('export.sealed')}
        </button>
      </form>
      <p class="muted">{t('export.withoutKeyExplain')}</p>
      <button type="button" disabled={busy} onClick={() => void run()}>
        {t('export.withoutKey')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {note && <p role="status">{note}</p>}
    </div>
  )
}
