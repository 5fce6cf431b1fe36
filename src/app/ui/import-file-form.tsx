// Import of an export file: choose it; a sealed file asks for its passphrase. Errors are
// specific (wrong passphrase, no key in the file, another identity) and nothing is applied
// before the whole file has been opened and checked (wiring/export-file.ts).
import { useState } from 'preact/hooks'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { useI18n } from './i18n-context.ts'
import { CurrentPassphraseField } from './new-passphrase.tsx'

export function ImportFileForm(props: { onImport: (bytes: Uint8Array, passphrase?: string) => Promise<void> }) {
  const { t } = useI18n()
  const [bytes, setBytes] = useState<Uint8Array | undefined>(undefined)
  const [sealed, setSealed] = useState(false)
  const [passphrase, setPassphrase] = useState('')
  const [error, setError] = useState('')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)

  const explain = (code: string): string =>
    code === 'E_BAD_PHRASE'
      ? t('import.wrongPassphrase')
      : code === 'E_BAD_KEY'
        ? t('import.noKey')
        : code === 'E_WRONG_AUTHOR'
          ? describeError(t, code)
          : t('settings.importFailed')

  const run = async (file: Uint8Array, secret?: string): Promise<void> => {
    setBusy(true)
    setError('')
    setNote(secret === undefined ? '' : t('import.working'))
    try {
      await props.onImport(file, secret)
      setBytes(undefined)
      setPassphrase('')
      setNote(t('settings.importDone'))
    } catch (cause) {
      setNote('')
      setError(explain(codeOf(cause)))
    } finally {
      setBusy(false)
    }
  }

  const choose = async (file: File): Promise<void> => {
    setError('')
    setNote('')
    const data = new Uint8Array(await file.arrayBuffer())
    // loaded on demand: scrypt and CBOR stay out of the first-paint JavaScript
    const { readExportKind } = await import('../lib/export-crypto.ts')
    let kind
    try {
      kind = readExportKind(data)
    } catch {
      setBytes(undefined)
      setError(t('settings.importFailed'))
      return
    }
    if (kind === 'sealed') {
      setBytes(data)
      setSealed(true)
    } else {
      setSealed(false)
      await run(data)
    }
  }

  return (
    <form
      class="stack import-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (bytes) void run(bytes, passphrase)
      }}
    >
      <label>
        {t('settings.import')}
        <input
          type="file"
          name="import"
          accept=".wildgrass,application/octet-stream"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0]
            if (file) void choose(file)
          }}
        />
      </label>
      {bytes && sealed && (
        <>
          <CurrentPassphraseField name="import-passphrase" label={t('import.passphrase')} value={passphrase} onInput={setPassphrase} required autoFocus />
          <button type="submit" class="primary" disabled={busy || passphrase === ''}>
            {t('import.button')}
          </button>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {note && <p role="status">{note}</p>}
    </form>
  )
}
