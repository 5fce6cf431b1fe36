// Relays other people announced (signed relay records heard on the network), listed for the
// person to judge. None of them is used in relay-only mode, nor in direct mode while two chosen
// relays answer, until the person adds it here: a relay learns the address, the key and the
// follows of whoever connects to it, and anyone can announce one.
import { useState } from 'preact/hooks'
import type { LearnedRelay } from '../state/view-types.ts'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { useI18n } from './i18n-context.ts'

export function LearnedRelays(props: { learned: readonly LearnedRelay[]; onUse(address: string): Promise<void> }) {
  const { t } = useI18n()
  const [error, setError] = useState('')
  if (props.learned.length === 0) return null
  return (
    <div class="stack" data-testid="learned-relays">
      <h3>{t('settings.learnedRelays')}</h3>
      <p class="muted">{t('settings.learnedRelaysExplain')}</p>
      <ul class="relays">
        {props.learned.map((relay) => (
          <li key={relay.address}>
            <code class="relay-address">{relay.address}</code> {relay.proven && <span class="muted">{t('settings.learnedRelayAnswered')}</span>}{' '}
            <button
              type="button"
              class="small"
              onClick={() => {
                setError('')
                void props.onUse(relay.address).catch((err: unknown) => setError(codeOf(err)))
              }}
            >
              {t('settings.learnedRelayUse')}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p class="error" role="alert">
          {describeError(t, error)}
        </p>
      )}
    </div>
  )
}
