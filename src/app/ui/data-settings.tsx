// Backup phrase, export / import of all my data, and the panic wipe.
import { useState } from 'preact/hooks'
import { splitPhrase } from '../lib/phrase-check.ts'
import { useI18n } from './i18n-context.ts'

export interface DataActions {
  revealPhrase(): string
  exportData(): Promise<void>
  importData(file: File): Promise<void>
  wipe(): Promise<void>
}

export function DataSettings(props: { actions: DataActions }) {
  const { t } = useI18n()
  const [phrase, setPhrase] = useState('')
  const [importNote, setImportNote] = useState('')
  const { actions } = props
  return (
    <>
      <section aria-labelledby="backup-title" class="stack">
        <h2 id="backup-title">{t('settings.backup')}</h2>
        <button type="button" onClick={() => setPhrase(phrase ? '' : actions.revealPhrase())}>
          {phrase ? t('settings.hidePhrase') : t('settings.showPhrase')}
        </button>
        {phrase && <ol class="phrase">{splitPhrase(phrase).map((w, i) => <li key={i}>{w}</li>)}</ol>}
      </section>
      <section aria-labelledby="export-title" class="stack">
        <h2 id="export-title">{t('settings.export')}</h2>
        <p class="muted">{t('settings.exportExplain')}</p>
        <button type="button" onClick={() => void actions.exportData()}>{t('settings.export')}</button>
        <label>{t('settings.import')}
          <input type="file" name="import" accept=".wildgrass,application/octet-stream" onChange={(e) => {
            const file = e.currentTarget.files?.[0]
            if (file) void actions.importData(file).then(() => setImportNote(t('settings.importDone')), () => setImportNote(t('settings.importFailed')))
          }} />
        </label>
        {importNote && <p role="status">{importNote}</p>}
      </section>
      <section aria-labelledby="wipe-title" class="stack danger-zone">
        <h2 id="wipe-title">{t('settings.wipe')}</h2>
        <p>{t('settings.wipeExplain')}</p>
        <button type="button" class="danger" onClick={() => { if (confirm(t('settings.wipeConfirm'))) void actions.wipe() }}>{t('settings.wipe')}</button>
      </section>
    </>
  )
}
