// Settings → App lock: turn it on (a passphrase typed twice, an idle time), change the idle time
// or the passphrase, lock now, turn it off; and what a wipe leaves behind, with and without it.
// Passphrases live only in this component's state.
import { useEffect, useState } from 'preact/hooks'
import { IDLE_CHOICES, type AppLockControl, type AppLockStatus } from '../state/app-lock.ts'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { useI18n } from './i18n-context.ts'
import { CurrentPassphraseField, useNewPassphrase } from './new-passphrase.tsx'

export function AppLockSettings(props: { lock: AppLockControl }) {
  const { t } = useI18n()
  const { lock } = props
  const [status, setStatus] = useState<AppLockStatus | undefined>()
  const [current, setCurrent] = useState('')
  const chosen = useNewPassphrase({ name: 'lock-passphrase', label: t('lock.newPassphrase') })
  const [idle, setIdle] = useState(15)
  const [error, setError] = useState('')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void lock.status().then((s) => {
      setStatus(s)
      if (s.on) setIdle(s.idleMinutes)
    })
  }, [lock])

  const run = async (work: () => Promise<void>, done: string): Promise<void> => {
    setBusy(true)
    setError('')
    setNote(t('lock.working'))
    try {
      await work()
      setCurrent('')
      chosen.clear()
      setStatus(await lock.status())
      setNote(done)
    } catch (e) {
      setNote('')
      const code = codeOf(e)
      setError(code === 'E_BAD_PHRASE' ? t('lock.wrongCurrent') : describeError(t, code))
    } finally {
      setBusy(false)
    }
  }
  const checkNew = (): boolean => {
    const problem = chosen.problem()
    if (problem !== undefined) setError(problem)
    return problem === undefined
  }
  const idleLabel = (m: number): string => (m === 0 ? t('lock.idleNever') : t('lock.idleMinutes', { n: m }))
  const newPassphrase = chosen.fields
  const currentPassphrase = <CurrentPassphraseField name="lock-current" label={t('lock.currentPassphrase')} value={current} onInput={setCurrent} />
  const idleSelect = (onChange: (m: number) => void) => (
    <label>
      {t('lock.idle')}{' '}
      <select
        name="lock-idle"
        value={String(idle)}
        onChange={(e) => {
          const m = Number(e.currentTarget.value)
          setIdle(m)
          onChange(m)
        }}
      >
        {IDLE_CHOICES.map((m) => (
          <option key={m} value={String(m)}>
            {idleLabel(m)}
          </option>
        ))}
      </select>
    </label>
  )

  return (
    <section aria-labelledby="lock-title" class="stack" data-testid="app-lock">
      <h2 id="lock-title">{t('lock.settingsTitle')}</h2>
      <p class="muted">{t('lock.explain')}</p>
      {status && !status.on && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault()
            if (checkNew()) void run(() => lock.enable(chosen.value, idle), t('lock.enabled'))
          }}
        >
          <p class="muted">{t('lock.laterNote')}</p>
          <p class="muted">{t('export.guidance')}</p>
          {newPassphrase}
          {idleSelect(() => undefined)}
          <button type="submit" class="primary" disabled={busy}>
            {t('lock.enable')}
          </button>
        </form>
      )}
      {status?.on && (
        <div class="stack">
          <p data-testid="lock-on">{t('lock.isOn')}</p>
          {idleSelect((m) => void run(() => lock.setIdleMinutes(m), t('lock.saved')))}
          <button type="button" onClick={lock.lockNow}>
            {t('lock.lockNow')}
          </button>
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault()
              if (checkNew()) void run(() => lock.changePassphrase(current, chosen.value), t('lock.changed'))
            }}
          >
            {currentPassphrase}
            {newPassphrase}
            <button type="submit" disabled={busy}>
              {t('lock.change')}
            </button>
          </form>
          <button type="button" disabled={busy} onClick={() => void run(() => lock.disable(current), t('lock.disabled'))}>
            {t('lock.disable')}
          </button>
        </div>
      )}
      <p class="muted" data-testid="lock-wipe-note">
        {status?.on ? t('lock.wipeWithLock') : t('lock.wipeWithoutLock')}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {note && <p role="status">{note}</p>}
    </section>
  )
}
