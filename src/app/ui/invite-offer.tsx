// What an invite would do, shown before it does anything (protocol/invites.md §6): follow whom (the name is the inviter's
// claim, so the key is shown too), which relays to connect to, which community to show. Shown
// to a person already here (above the current screen) and to a newcomer before they finish.
import type { Invite } from '../../core/invite.ts'
import type { InvitePrompt } from '../state/invite-prompt.ts'
import { useI18n } from './i18n-context.ts'

/** A did:key shortened for people to compare: its multibase prefix and the last characters. */
export function shortKey(did: string): string {
  const key = did.replace(/^did:key:/, '')
  return key.length <= 16 ? key : `${key.slice(0, 8)}…${key.slice(-8)}`
}

/** A relay address as a person can judge it: its host (name or IP) and transport. */
export function relayLabel(addr: string): string {
  const parts = addr.split('/')
  const host = parts[2] ?? addr
  const transport = addr.includes('/webrtc-direct') ? 'WebRTC' : addr.includes('/tls/ws') || addr.includes('/wss') ? 'wss' : 'ws'
  return `${host} (${transport})`
}

export function InviteOffer(props: { prompt: InvitePrompt }) {
  const { t } = useI18n()
  const invite: Invite | undefined = props.prompt.pending.value
  if (invite === undefined) return null
  if (props.prompt.approved.value)
    return (
      <p class="invite-note" role="status">
        {t('invite.accepted')}
      </p>
    )
  return (
    <section class="invite-offer stack" data-testid="invite-offer" aria-labelledby="invite-offer-title">
      <h2 id="invite-offer-title">{t('invite.offerTitle', { name: invite.name })}</h2>
      <p>{t('invite.offerExplain')}</p>
      <ul>
        <li>{t('invite.offerFollow', { name: invite.name, key: shortKey(invite.inviter) })}</li>
        {invite.relays.length > 0 && (
          <li>
            {t('invite.offerRelays')}
            <ul>
              {invite.relays.map((addr) => (
                <li key={addr}>
                  <code>{relayLabel(addr)}</code>
                </li>
              ))}
            </ul>
          </li>
        )}
        {invite.community && <li>{t('invite.offerCommunity', { name: invite.community })}</li>}
      </ul>
      <p class="muted">{t('invite.offerWarning')}</p>
      <div class="row">
        <button type="button" class="primary" onClick={props.prompt.approve}>
          {t('invite.accept')}
        </button>
        <button type="button" onClick={props.prompt.decline}>
          {t('invite.decline')}
        </button>
      </div>
    </section>
  )
}
