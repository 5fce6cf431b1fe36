// A profile's header: avatar, name, bio, counts, whom they follow and who follows them, identity
// key, and follow / mute / block (or, on my own, edit and my bookmarks).
import type { AuthorId } from '../../core/types.ts'
import type { AuthorView, ProfileView } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'
import { RichText } from './rich-text.tsx'

export interface ProfileActions {
  follow(author: AuthorId, follow: boolean): void
  mute(author: AuthorId, mute: boolean): void
  block(author: AuthorId, block: boolean): void
  edit(): void
}

export function ProfileHeader(props: { profile: ProfileView; actions: ProfileActions }) {
  const { t } = useI18n()
  const { profile, actions } = props
  const id = profile.author.id
  return (
    <section class="profile" data-author={id}>
      <div class="profile-top">
        <Avatar author={profile.author} size={72} />
        <div>
          <h1 class="profile-name">{profile.author.name || t('profile.unknown')}</h1>
          <p class="muted">
            {t('profile.following', { n: profile.followingCount })} · {t('profile.followers', { n: profile.followerCount })}
          </p>
        </div>
      </div>
      {profile.bio && (
        <p class="profile-bio">
          <RichText text={profile.bio} />
        </p>
      )}
      <People class="profile-follows" summary={t('profile.following', { n: profile.followingCount })} people={profile.follows} />
      <People class="profile-followers" summary={t('profile.followers', { n: profile.followerCount })} people={profile.followers} />
      <details class="profile-id">
        <summary>{t('profile.id')}</summary>
        <code>{id}</code>
      </details>
      {profile.missingPosts > 0 && <p class="warning">{t('profile.missingPosts', { n: profile.missingPosts })}</p>}
      <div class="row">
        {profile.isMe ? (
          <>
            <button type="button" onClick={actions.edit}>
              {t('profile.edit')}
            </button>
            <a class="button" href="#/bookmarks">
              {t('profile.bookmarks')}
            </a>
          </>
        ) : (
          <>
            <button type="button" class={profile.following ? '' : 'primary'} onClick={() => actions.follow(id, !profile.following)}>
              {profile.following ? t('profile.unfollow') : t('profile.follow')}
            </button>
            <button type="button" onClick={() => actions.mute(id, !profile.muted)}>
              {profile.muted ? t('profile.unmute') : t('profile.mute')}
            </button>
            <button type="button" class="danger" onClick={() => actions.block(id, !profile.blocked)}>
              {profile.blocked ? t('profile.unblock') : t('profile.block')}
            </button>
          </>
        )}
      </div>
      {!profile.isMe && <p class="muted small-text">{t('profile.privateNote')}</p>}
    </section>
  )
}

/** A folded list of people (whom someone follows, or their followers), each a link to their profile. */
function People(props: { class: string; summary: string; people: readonly AuthorView[] }) {
  if (props.people.length === 0) return null
  return (
    <details class={props.class}>
      <summary>{props.summary}</summary>
      <ul class="people">
        {props.people.map((a) => (
          <li key={a.id}>
            <a href={`#/profile/${encodeURIComponent(a.id)}`}>
              <Avatar author={a} size={24} /> {a.name}
            </a>
          </li>
        ))}
      </ul>
    </details>
  )
}
