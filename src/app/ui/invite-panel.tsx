// Create an invite link (signed, naming my relays, payload in the fragment: protocol/invites.md),
// copy it or show it as a QR code.
import { useState } from 'preact/hooks'
// maxLength counts UTF-16 units, never fewer than graphemes: within the protocol's limit
import { MAX_INVITE_NAME_GRAPHEMES } from '../../core/limits.ts'
import { useI18n } from './i18n-context.ts'
import { QrCode } from './qr-code.tsx'

export function InvitePanel(props: { canInvite: boolean; community: string | undefined; onCreate: (community: string) => string }) {
  const { t } = useI18n()
  const [link, setLink] = useState('')
  const [community, setCommunity] = useState(props.community ?? '')
  const [copied, setCopied] = useState(false)
  return (
    <section class="stack" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('settings.invite')}</h2>
      <p class="muted">{t('settings.inviteExplain')}</p>
      {!props.canInvite && <p class="warning">{t('settings.noRelays')}</p>}
      <label>
        {t('settings.inviteCommunity')}
        <input name="community" maxLength={MAX_INVITE_NAME_GRAPHEMES} value={community} onInput={(e) => setCommunity(e.currentTarget.value)} />
      </label>
      <button
        type="button"
        class="primary"
        disabled={!props.canInvite}
        onClick={() => {
          setLink(props.onCreate(community))
          setCopied(false)
        }}
      >
        {t('settings.inviteCreate')}
      </button>
      {link && (
        <>
          <input type="text" readOnly class="invite-link" aria-label={t('settings.invite')} value={link} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            onClick={(e) => {
              // navigator.clipboard exists only in secure contexts; elsewhere the old copy command still works
              if (navigator.clipboard) {
                void navigator.clipboard.writeText(link).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
                return
              }
              const field = e.currentTarget.parentElement?.querySelector<HTMLInputElement>('input.invite-link')
              field?.select()
              setCopied(document.execCommand('copy'))
            }}
          >
            {copied ? t('settings.inviteCopied') : t('settings.inviteCopy')}
          </button>
          <QrCode text={link} label={t('settings.inviteQr')} />
        </>
      )}
    </section>
  )
}
