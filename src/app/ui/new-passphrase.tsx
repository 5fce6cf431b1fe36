// A new passphrase typed twice, as the sealed export and the app lock ask for it: the two
// fields, and the one rule both apply (long enough after NFKC, the same twice). The passphrase
// lives only in the calling component's state.
import { useState } from 'preact/hooks'
import { MIN_PASSPHRASE_LENGTH, passphraseLength } from '../lib/passphrase.ts'
import { useI18n } from './i18n-context.ts'

export interface NewPassphrase {
  readonly value: string
  readonly fields: preact.JSX.Element
  /** what is wrong with it, to show; undefined when it may be used */
  problem(): string | undefined
  clear(): void
}

export function useNewPassphrase(props: { name: string; label: string }): NewPassphrase {
  const { t } = useI18n()
  const [first, setFirst] = useState('')
  const [second, setSecond] = useState('')
  const fields = (
    <>
      <label>
        {props.label}
        <input type="password" name={props.name} autocomplete="new-password" required value={first} onInput={(e) => setFirst(e.currentTarget.value)} />
      </label>
      <label>
        {t('export.repeat')}
        <input
          type="password"
          name={`${props.name}-again`}
          autocomplete="new-password"
          required
          value={second}
          onInput={(e) => setSecond(e.currentTarget.value)}
        />
      </label>
    </>
  )
  return {
    value: first,
    fields,
    problem() {
      if (passphraseLength(first) < MIN_PASSPHRASE_LENGTH) return t('export.tooShort', { n: MIN_PASSPHRASE_LENGTH })
      if (first !== second) return t('export.mismatch')
      return undefined
    },
    clear() {
      setFirst('')
      setSecond('')
    },
  }
}
