// What the current screen holds: loaded by the controller for the current route.
import type { NotificationView, PostView, ProfileView, SearchResults, AuthorView } from './view-types.ts'
import type { ConversationDetail, ConversationView, DeliveryView, ListView, PersonalView } from './private-backend.ts'
import type { Route } from '../lib/route.ts'

export type Screen =
  | { kind: 'loading' }
  | {
      kind: 'timeline'
      which: 'home' | 'community'
      posts: readonly PostView[]
      cursor?: string | undefined
      /** posts that arrived while the reader was scrolled down, held back behind a button (hold-new-posts.ts) */
      newCount?: number | undefined
      /** an empty home: people to follow */
      suggestions?: readonly AuthorView[] | undefined
    }
  | { kind: 'bookmarks'; posts: readonly PostView[]; cursor?: string | undefined }
  | { kind: 'thread'; id: string; posts: readonly PostView[] }
  | {
      kind: 'profile'
      profile: ProfileView
      posts: readonly PostView[]
      cursor?: string | undefined
      /** lists this person publishes, and mine (for "block and add to my list") */
      lists?: readonly ListView[] | undefined
      myLists?: readonly ListView[] | undefined
    }
  | { kind: 'edit-profile'; profile: ProfileView }
  | { kind: 'notifications'; items: readonly NotificationView[] }
  | { kind: 'search'; query: string; results?: SearchResults | undefined }
  | { kind: 'settings'; blocked: readonly AuthorView[]; personal?: PersonalView | undefined }
  | { kind: 'messages'; folder: 'inbox' | 'requests'; conversations: readonly ConversationView[]; delivery: DeliveryView }
  | { kind: 'conversation'; detail: ConversationDetail }
  | { kind: 'error'; code: string }

/**
 * Whether this screen shows this route, so it may stay up while the route's data is read again.
 * A screen of another route must not: on a slow phone it would stay for a second under the
 * new address, and a tap meant for the new screen (Follow) would land on the old one (Unfollow).
 * A new query keeps the search screen, whose box the person is typing in.
 */
export function showsRoute(screen: Screen, route: Route): boolean {
  switch (route.name) {
    case 'home':
    case 'community':
      return screen.kind === 'timeline' && screen.which === route.name
    case 'me':
      return screen.kind === 'profile' && screen.profile.isMe
    case 'profile':
      return screen.kind === 'profile' && screen.profile.author.id === route.author
    case 'thread':
      return screen.kind === 'thread' && screen.id === route.id
    case 'messages':
    case 'requests':
      return screen.kind === 'messages' && screen.folder === (route.name === 'requests' ? 'requests' : 'inbox')
    case 'conversation':
      return screen.kind === 'conversation' && screen.detail.peer.id === route.peer
    default:
      return screen.kind === route.name
  }
}
