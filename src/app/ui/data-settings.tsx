// Backup phrase, export / import of all my data, and the panic wipe.
import { useState } from 'preact/hooks'
import { splitPhrase } from '../lib/phrase-check.ts'
import { ExportForm } from './export-form.tsx'
import { useI18n } from './i18n-context.ts'
import { ImportFileForm } from './import-file-form.tsx'
import type { WipeOptions } from '../state/backend.ts'

export interface DataActions {
  revealPhrase(): string
  /** with a passphrase: sealed, secret included; without: no secret (src/app/README.md "Export file") */
  exportData(passphrase?: string): Promise<void>
  importData(bytes: Uint8Array, passphrase?: string): Promise<void>
  wipe(options: WipeOptions): Promise<void>
}

export function DataSettings(props: { actions: DataActions }) {
  const { t } = useI18n()
  const [phrase, setPhrase] = useState('')
  const [leaveNoTrace, setLeaveNoTrace] = useState(false)
  const { actions } = props
  return (
    <>
      <section aria-labelledby="backup-title" class="stack">
        <h2 id="backup-title">{t('settings.backup')}</h2>
        <button type="button" onClick={() => setPhrase(phrase ? '' : actions.revealPhrase())}>
          {phrase ? t('settings.hidePhrase') : t('settings.showPhrase')}
        </button>
        {phrase && (
          <ol class="phrase">
            {splitPhrase(phrase).map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="export-title" class="stack">
        <h2 id="export-title">{t('settings.export')}</h2>
        <ExportForm onExport={actions.exportData} />
        <ImportFileForm onImport={actions.importData} />
      </section>
      <section aria-labelledby="wipe-title" class="stack danger-zone">
        <h2 id="wipe-title">{t('settings.wipe')}</h2>
        <p>{t('settings.wipeExplain')}</p>
        <label class="row">
          <input type="checkbox" name="leave-no-trace" checked={leaveNoTrace} onChange={(e) => setLeaveNoTrace(e.currentTarget.checked)} />
          {t('settings.wipeNoTrace')}
        </label>
        <p class="muted">{t('settings.wipeNoTraceExplain')}</p>
        <button
          type="button"
          class="danger"
          onClick={() => {
            if (confirm(t('settings.wipeConfirm'))) void actions.wipe({ leaveNoTrace })
          }}
        >
          {t('settings.wipe')}
        </button>
      </section>
    </>
  )
}
