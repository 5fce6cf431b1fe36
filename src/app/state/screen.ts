// What the current screen holds: loaded by the controller for the current route.
import type { NotificationView, PostView, ProfileView, SearchResults, AuthorView } from './view-types.ts'

export type Screen =
  | { kind: 'loading' }
  | {
    kind: 'timeline'; which: 'home' | 'community'; posts: readonly PostView[]; cursor?: string | undefined
    /** posts that arrived while the reader was scrolled down, held back behind a button (hold-new-posts.ts) */
    newCount?: number | undefined
  }
  | { kind: 'thread'; id: string; posts: readonly PostView[] }
  | { kind: 'profile'; profile: ProfileView; posts: readonly PostView[]; cursor?: string | undefined }
  | { kind: 'edit-profile'; profile: ProfileView }
  | { kind: 'notifications'; items: readonly NotificationView[] }
  | { kind: 'search'; query: string; results?: SearchResults | undefined }
  | { kind: 'settings'; blocked: readonly AuthorView[] }
  | { kind: 'error'; code: string }
