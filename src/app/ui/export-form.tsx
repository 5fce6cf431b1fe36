// Export of all my data: sealed with a passphrase typed twice (it holds the secret key), or
// without the key at all. The passphrase lives only in this component's state: never in a
// URL, never logged, gone when the screen closes.
import { useState } from 'preact/hooks'
import { MIN_PASSPHRASE_LENGTH } from '../lib/passphrase.ts'
import { useI18n } from './i18n-context.ts'
import { useNewPassphrase } from './new-passphrase.tsx'

export function ExportForm(props: { onExport: (passphrase?: string) => Promise<void> }) {
  const { t } = useI18n()
  const chosen = useNewPassphrase({ name: 'export-passphrase', label: t('export.passphrase') })
  const [error, setError] = useState('')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)

  const run = async (passphrase?: string): Promise<void> => {
    setBusy(true)
    setError('')
    setNote(passphrase === undefined ? '' : t('export.working'))
    try {
      await props.onExport(passphrase)
      chosen.clear()
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
          const problem = chosen.problem()
          if (problem !== undefined) setError(problem)
          else void run(chosen.value)
        }}
      >
        <p class="muted">{t('settings.exportExplain', { n: MIN_PASSPHRASE_LENGTH })}</p>
        <p class="muted" data-testid="passphrase-guidance">
          {t('export.guidance')}
        </p>
        {chosen.fields}
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
