// What the current screen holds: loaded by the controller for the current route.
import type { NotificationView, PostView, ProfileView, SearchResults, AuthorView } from './view-types.ts'
import type { ConversationDetail, ConversationView, DeliveryView, ListView, PersonalView } from './private-backend.ts'

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
