// Notifications: replies, mentions, quotes, reactions, reposts and new followers.
import { formatRelativeTime } from '../lib/format-time.ts'
import type { NotificationView } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'
import type { PostActions } from './post-actions.ts'
import { RichText } from './rich-text.tsx'

export function NotificationsView(props: { items: readonly NotificationView[]; actions: PostActions; now: number }) {
  const { t, language } = useI18n()
  return (
    <section>
      <h1>{t('notif.title')}</h1>
      {props.items.length === 0 && <p class="empty">{t('notif.empty')}</p>}
      <ul class="notifications">
        {props.items.map((n) => (
          <li key={n.key} class={`notification notification-${n.kind}`}>
            <button type="button" class="link-button" onClick={() => (n.post ? props.actions.openThread(n.post.id) : props.actions.openProfile(n.from.id))}>
              <Avatar author={n.from} size={32} />
              <span>{t(`notif.${n.kind}`, { name: n.from.name || t('profile.unknown'), emoji: n.emoji ?? '' })}</span>
              <span class="muted"> · {formatRelativeTime(n.ts, props.now, t, language)}</span>
            </button>
            {n.post && (
              <p class="notification-text">
                <RichText text={n.post.text} mentions={n.post.mentions} />
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
