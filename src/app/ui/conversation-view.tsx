// One conversation: the messages (text only), a box to write, and — for a request — mute and
// block at hand. A message that fails to send stays in the box (nothing typed is lost).
import { useState } from 'preact/hooks'
import type { AuthorId } from '../../core/types.ts'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { formatRelativeTime } from '../lib/format-time.ts'
import type { ConversationDetail } from '../state/private-backend.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'
import { ProtectionNote } from './messages-view.tsx'

export interface ConversationActions {
  send(peer: AuthorId, text: string): Promise<void>
  mute(peer: AuthorId, mute: boolean): void
  block(peer: AuthorId, block: boolean): void
}

export function ConversationView(props: { detail: ConversationDetail; now: number; actions: ConversationActions }) {
  const { t, language } = useI18n()
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  const [sending, setSending] = useState(false)
  const { detail, actions } = props
  const peer = detail.peer
  const submit = (e: Event): void => {
    e.preventDefault()
    const body = text
    if (body.trim() === '' || sending) return
    setSending(true)
    setError('')
    actions
      .send(peer.id, body)
      .then(
        () => setText(''),
        (err: unknown) => setError(codeOf(err)),
      )
      .finally(() => setSending(false))
  }
  return (
    <section class="conversation stack" aria-label={t('dm.with', { name: peer.name })} data-peer={peer.id}>
      <h1 class="row">
        <Avatar author={peer} size={32} /> <a href={`#/profile/${encodeURIComponent(peer.id)}`}>{peer.name}</a>
      </h1>
      {detail.request && (
        <div class="warning request-banner" role="note">
          <p>{t('dm.requestBanner', { name: peer.name })}</p>
          <div class="row">
            <button type="button" onClick={() => actions.mute(peer.id, !detail.muted)}>
              {detail.muted ? t('profile.unmute') : t('profile.mute')}
            </button>
            <button type="button" class="danger" onClick={() => actions.block(peer.id, true)}>
              {t('profile.block')}
            </button>
          </div>
        </div>
      )}
      {detail.blocked && <p class="warning">{t('dm.blockedNote')}</p>}
      <ol class="dm-messages">
        {detail.messages.map((m) => (
          <li key={m.id} class={`dm ${m.out ? 'dm-out' : 'dm-in'}${m.pending ? ' dm-pending' : ''}`}>
            <p class="dm-text">{m.text}</p>
            <span class="muted small-text">
              {formatRelativeTime(m.ts, props.now, t, language)}
              {m.pending ? ` · ${t('dm.pending')}` : ''}
            </span>
          </li>
        ))}
      </ol>
      {!detail.blocked && (
        <form class="dm-compose stack" onSubmit={submit}>
          <textarea
            id="dm-text"
            name="dm-text"
            aria-label={t('dm.write')}
            placeholder={t('dm.write')}
            value={text}
            rows={3}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <div class="row">
            <button type="submit" class="primary" disabled={sending || text.trim() === ''}>
              {t('dm.send')}
            </button>
          </div>
          {error && (
            <p class="error" role="alert">
              {describeError(t, error)}
            </p>
          )}
        </form>
      )}
      <ProtectionNote />
    </section>
  )
}
