// Messages: conversations, and a "requests" folder for people I do not follow and never wrote
// to. Everything shown is text; what protects the messages and what does not is said plainly,
// and what this device dropped is counted by its typed reason.
import { describeError } from '../lib/describe-error.ts'
import { formatRelativeTime } from '../lib/format-time.ts'
import type { ConversationView, DeliveryView } from '../state/private-backend.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'

export function MessagesView(props: { folder: 'inbox' | 'requests'; conversations: readonly ConversationView[]; delivery: DeliveryView; now: number }) {
  const { t, language } = useI18n()
  const requests = props.conversations.filter((c) => c.request)
  const shown = props.conversations.filter((c) => c.request === (props.folder === 'requests'))
  return (
    <section class="messages stack" aria-labelledby="messages-title">
      <h1 id="messages-title">{t('dm.title')}</h1>
      <nav class="row folders">
        <a href="#/messages" aria-current={props.folder === 'inbox' ? 'page' : undefined}>
          {t('dm.inbox')}
        </a>
        <a href="#/requests" aria-current={props.folder === 'requests' ? 'page' : undefined}>
          {t('dm.requests', { n: requests.length })}
        </a>
      </nav>
      {props.folder === 'requests' && <p class="muted">{t('dm.requestsExplain')}</p>}
      {shown.length === 0 && <p class="empty">{t(props.folder === 'requests' ? 'dm.emptyRequests' : 'dm.empty')}</p>}
      <ul class="conversations">
        {shown.map((c) => (
          <li key={c.peer.id} class={`conversation-item${c.unread ? ' unread' : ''}`} data-peer={c.peer.id}>
            <a href={`#/conversation/${encodeURIComponent(c.peer.id)}`}>
              <Avatar author={c.peer} size={32} />
              <span class="author-name">{c.peer.name}</span>
              {c.unread && <span class="badge"> · {t('dm.unread')}</span>}
              <span class="muted"> · {formatRelativeTime(c.last, props.now, t, language)}</span>
              <span class="preview">
                {c.lastOut ? t('dm.you') : ''}
                {c.preview}
              </span>
            </a>
          </li>
        ))}
      </ul>
      <DeliveryNote delivery={props.delivery} />
      <ProtectionNote />
    </section>
  )
}

function DeliveryNote(props: { delivery: DeliveryView }) {
  const { t } = useI18n()
  const dropped = Object.entries(props.delivery.dropped).filter(([, n]) => n > 0)
  return (
    <details class="delivery-note">
      <summary>{t('dm.delivery', { n: props.delivery.opened })}</summary>
      <p>{t('dm.deliveryExplain')}</p>
      {dropped.length > 0 && (
        <ul class="dropped">
          {dropped.map(([code, n]) => (
            <li key={code} data-code={code}>
              {code === 'refused' ? t('dm.droppedRefused') : describeError(t, code)}: {n}
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}

export function ProtectionNote() {
  const { t } = useI18n()
  return (
    <details class="protection-note">
      <summary>{t('dm.protected')}</summary>
      <p>{t('dm.protectedText')}</p>
      <p>{t('dm.notProtected')}</p>
    </details>
  )
}
