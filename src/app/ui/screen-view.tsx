// Renders the current screen from its data; every action goes back through callbacks.
import type { AuthorId } from '../../core/types.ts'
import type { AppSettings } from '../state/backend.ts'
import type { ReleaseView } from '../state/release-view.ts'
import type { Screen } from '../state/screen.ts'
import type { ConnectionView, ProfileDraft } from '../state/view-types.ts'
import { describeError } from '../lib/describe-error.ts'
import { useI18n } from './i18n-context.ts'
import { NotificationsView } from './notifications-view.tsx'
import type { PostActions } from './post-actions.ts'
import { PostList } from './post-list.tsx'
import { ProfileEditor } from './profile-editor.tsx'
import { ProfileHeader, type ProfileActions } from './profile-header.tsx'
import { createLazyComponent } from './lazy-component.tsx'
import { SearchView } from './search-view.tsx'
import type { SettingsActions } from './settings-view.tsx'
import { ConversationView, type ConversationActions } from './conversation-view.tsx'
import { EmptyHome } from './empty-home.tsx'
import { MessagesView } from './messages-view.tsx'
import { PersonalSettings, type PersonalActions } from './personal-settings.tsx'
import { ProfileLists, type ProfileListActions } from './profile-lists.tsx'

// Settings (invites with their QR code, export and import, relays) is its own chunk: neither
// the welcome screen nor the cached timeline needs it
const SettingsView = createLazyComponent(() => import('./settings-view.tsx').then((m) => m.SettingsView))

/** Fetches the screens kept out of the first paint, once the app is running (then they open offline too). */
export const preloadScreens = (): Promise<void> => SettingsView.preload()

export interface ScreenCallbacks {
  post: PostActions
  profile: ProfileActions
  settings: SettingsActions
  search(query: string): void
  saveProfile(draft: ProfileDraft): Promise<void>
  cancelEdit(): void
  openProfile(author: AuthorId): void
  loadMore(): void
  /** show the held-back new posts and scroll to the top */
  showNewPosts(): void
  conversation: ConversationActions
  personal: PersonalActions
  profileLists: ProfileListActions
}

export function ScreenView(props: {
  screen: Screen
  now: number
  connection: ConnectionView
  settings: AppSettings | undefined
  release?: ReleaseView | undefined
  on: ScreenCallbacks
}) {
  const { t } = useI18n()
  const { screen, on, now } = props
  switch (screen.kind) {
    case 'loading':
      return (
        <p class="muted loading" aria-busy="true">
          {t('status.loading')}
        </p>
      )
    case 'error':
      return (
        <p class="error" role="alert">
          {describeError(t, screen.code)}
        </p>
      )
    case 'timeline':
      return (
        <section aria-label={t(screen.which === 'home' ? 'timeline.home' : 'timeline.community')}>
          {screen.which === 'community' && (
            <>
              <h1>
                {t('timeline.community')}
                {props.settings?.community ? ` · ${props.settings.community}` : ''}
              </h1>
              <p class="muted">{t('timeline.communityExplain')}</p>
            </>
          )}
          <div class="new-posts" aria-live="polite">
            {(screen.newCount ?? 0) > 0 && (
              <button type="button" class="primary" onClick={on.showNewPosts}>
                {t(screen.newCount === 1 ? 'timeline.newPost' : 'timeline.newPosts', { n: screen.newCount ?? 0 })}
              </button>
            )}
          </div>
          {screen.suggestions !== undefined && screen.posts.length === 0 ? (
            <EmptyHome suggestions={screen.suggestions} onFollow={(author) => on.profile.follow(author, true)} />
          ) : (
            <PostList posts={screen.posts} actions={on.post} now={now} onMore={screen.cursor ? on.loadMore : undefined} />
          )}
        </section>
      )
    case 'bookmarks':
      return (
        <section>
          <h1>{t('bookmarks.title')}</h1>
          {screen.posts.length === 0 ? (
            <p class="empty">{t('bookmarks.empty')}</p>
          ) : (
            <PostList posts={screen.posts} actions={on.post} now={now} onMore={screen.cursor ? on.loadMore : undefined} />
          )}
        </section>
      )
    case 'thread':
      return (
        <section>
          <h1>{t('thread.title')}</h1>
          {screen.posts.length === 0 ? (
            <p class="muted">{t('post.missing')}</p>
          ) : (
            <PostList posts={screen.posts} actions={on.post} now={now} highlight={screen.id} />
          )}
        </section>
      )
    case 'profile':
      return (
        <>
          <ProfileHeader profile={screen.profile} actions={on.profile} />
          <ProfileLists
            author={screen.profile.author.id}
            isMe={screen.profile.isMe}
            lists={screen.lists ?? []}
            myLists={screen.myLists ?? []}
            actions={on.profileLists}
          />
          <h2>{t('profile.posts')}</h2>
          <PostList posts={screen.posts} actions={on.post} now={now} onMore={screen.cursor ? on.loadMore : undefined} />
        </>
      )
    case 'edit-profile':
      return <ProfileEditor profile={screen.profile} onSave={on.saveProfile} onCancel={on.cancelEdit} />
    case 'notifications':
      return <NotificationsView items={screen.items} actions={on.post} now={now} />
    case 'search':
      return <SearchView query={screen.query} results={screen.results} actions={on.post} now={now} onSearch={on.search} onOpenProfile={on.openProfile} />
    case 'settings':
      return props.settings ? (
        <SettingsView settings={props.settings} connection={props.connection} blocked={screen.blocked} release={props.release} actions={on.settings}>
          {screen.personal && <PersonalSettings view={screen.personal} actions={on.personal} />}
        </SettingsView>
      ) : (
        <p class="muted">{t('status.loading')}</p>
      )
    case 'messages':
      return <MessagesView folder={screen.folder} conversations={screen.conversations} delivery={screen.delivery} now={now} />
    case 'conversation':
      return <ConversationView detail={screen.detail} now={now} actions={on.conversation} />
  }
}
