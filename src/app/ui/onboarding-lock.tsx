// The app lock offered while onboarding, before the key is first saved: a seed sealed from the
// start is never written to the browser's files in clear (turned on later, the clear copy written
// before may linger in them for a while). Optional; the passphrase lives in this component's and
// the onboarding form's state only.
import { useState } from 'preact/hooks'
import { useI18n } from './i18n-context.ts'
import { NewPassphraseFields, newPassphraseProblem } from './new-passphrase.tsx'

export interface LockChoice {
  readonly on: boolean
  readonly passphrase: string
  readonly repeat: string
}

export const NO_LOCK: LockChoice = { on: false, passphrase: '', repeat: '' }

/** The error message key of a choice that cannot be used, or undefined. */
export function checkLockChoice(choice: LockChoice): 'export.tooShort' | 'export.mismatch' | undefined {
  return choice.on ? newPassphraseProblem(choice.passphrase, choice.repeat) : undefined
}

export function OnboardingLock(props: { onChange: (choice: LockChoice) => void }) {
  const { t } = useI18n()
  const [choice, setChoice] = useState<LockChoice>(NO_LOCK)
  const update = (patch: Partial<LockChoice>): void => {
    const next = { ...choice, ...patch }
    setChoice(next)
    props.onChange(next)
  }
  return (
    <fieldset class="stack" data-testid="onboarding-lock">
      <label class="row">
        <input type="checkbox" name="onboarding-lock" checked={choice.on} onChange={(e) => update({ on: e.currentTarget.checked })} />
        {t('lock.onboardOffer')}
      </label>
      <p class="muted">{t('lock.onboardExplain')}</p>
      {choice.on && (
        <>
          <p class="muted">{t('export.guidance')}</p>
          <NewPassphraseFields
            name="onboarding-lock-passphrase"
            label={t('lock.newPassphrase')}
            first={choice.passphrase}
            second={choice.repeat}
            onFirst={(passphrase) => update({ passphrase })}
            onSecond={(repeat) => update({ repeat })}
            required={false}
          />
        </>
      )}
    </fieldset>
  )
}
