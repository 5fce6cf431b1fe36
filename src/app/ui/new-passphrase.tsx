// A new passphrase typed twice, as the sealed export, the app lock and onboarding ask for it:
// the two fields, and the one rule all of them apply (long enough after NFKC, the same twice);
// and the field for a passphrase the person already has (unlock, import, change the lock).
// A passphrase lives only in the calling component's state.
import { useState } from 'preact/hooks'
import { MIN_PASSPHRASE_LENGTH, passphraseLength } from '../lib/passphrase.ts'
import { useI18n } from './i18n-context.ts'

/** The message key of what is wrong with a new passphrase and its repetition, or undefined. */
export function newPassphraseProblem(first: string, second: string): 'export.tooShort' | 'export.mismatch' | undefined {
  if (passphraseLength(first) < MIN_PASSPHRASE_LENGTH) return 'export.tooShort'
  return first === second ? undefined : 'export.mismatch'
}

export function NewPassphraseFields(props: {
  name: string
  label: string
  first: string
  second: string
  onFirst(value: string): void
  onSecond(value: string): void
  required?: boolean
}) {
  const { t } = useI18n()
  const required = props.required ?? true
  return (
    <>
      <PassphraseField kind="new-password" name={props.name} label={props.label} value={props.first} onInput={props.onFirst} required={required} />
      <PassphraseField
        kind="new-password"
        name={`${props.name}-again`}
        label={t('export.repeat')}
        value={props.second}
        onInput={props.onSecond}
        required={required}
      />
    </>
  )
}

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
  return {
    value: first,
    fields: <NewPassphraseFields name={props.name} label={props.label} first={first} second={second} onFirst={setFirst} onSecond={setSecond} />,
    problem() {
      const problem = newPassphraseProblem(first, second)
      return problem === undefined ? undefined : t(problem, { n: MIN_PASSPHRASE_LENGTH })
    },
    clear() {
      setFirst('')
      setSecond('')
    },
  }
}

interface FieldProps {
  name: string
  label: string
  value: string
  onInput(value: string): void
  required?: boolean
  autoFocus?: boolean
}

/** A passphrase the person already has: the browser may offer a saved one, never remembers a new one here. */
export function CurrentPassphraseField(props: FieldProps) {
  return <PassphraseField kind="current-password" {...props} />
}

/** One password field; `kind` tells the browser whether to offer a saved passphrase or to save a new one. */
function PassphraseField(props: FieldProps & { kind: 'new-password' | 'current-password' }) {
  return (
    <label>
      {props.label}
      <input
        type="password"
        name={props.name}
        autocomplete={props.kind}
        required={props.required ?? false}
        autoFocus={props.autoFocus ?? false}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  )
}
