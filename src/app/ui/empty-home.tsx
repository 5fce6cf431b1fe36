// An empty home timeline (a newcomer without an invite): what the home shows, how to find people,
// and people to follow (whom my follows follow, then who posts on my relays).
import type { AuthorId } from '../../core/types.ts'
import type { AuthorView } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'

export function EmptyHome(props: { suggestions: readonly AuthorView[]; onFollow: (author: AuthorId) => void }) {
  const { t } = useI18n()
  return (
    <section class="empty-home stack">
      <h2>{t('home.emptyTitle')}</h2>
      <p>{t('home.emptyExplain')}</p>
      <p class="row">
        <a class="button primary" href="#/settings">
          {t('home.invite')}
        </a>
        <a class="button" href="#/community">
          {t('home.community')}
        </a>
        <a class="button" href="#/search">
          {t('home.search')}
        </a>
      </p>
      <h3>{t('home.suggested')}</h3>
      {props.suggestions.length === 0 ? (
        <p class="muted">{t('home.suggestedNone')}</p>
      ) : (
        <ul class="people suggestions">
          {props.suggestions.map((a) => (
            <li key={a.id} class="row">
              <a href={`#/profile/${encodeURIComponent(a.id)}`}>
                <Avatar author={a} size={32} /> {a.name}
              </a>
              <button type="button" class="small primary" onClick={() => props.onFollow(a.id)}>
                {t('profile.follow')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
