// What the screens show: plain data, already joined (author names, reaction counts) by the
// wiring layer. UI components receive these plus callbacks and nothing else (DESIGN.md).
import type { AuthorId, EventId } from '../../core/types.ts'

export interface AuthorView {
  readonly id: AuthorId
  readonly name: string
  /** a small data: URL, or undefined */
  readonly avatar?: string | undefined
}

export interface ReactionCount {
  readonly emoji: string
  readonly count: number
  readonly mine: boolean
}

export interface PostView {
  readonly id: EventId
  readonly author: AuthorView
  readonly text: string
  readonly ts: number
  readonly cw?: string | undefined
  readonly lang?: string | undefined
  readonly reply?: { readonly root: EventId; readonly parent: EventId } | undefined
  /** the quoted post, or null when it is not (yet) available */
  readonly quote?: PostView | null | undefined
  /** the authors the post mentions (PostBody.mentions); absent in snapshots from older versions */
  readonly mentions?: readonly AuthorView[] | undefined
  /** set when this entry is in a timeline because someone reposted it */
  readonly repostedBy?: AuthorView | undefined
  readonly reactions: readonly ReactionCount[]
  readonly replyCount: number
  readonly mine: boolean
  /** made offline and not yet handed to any relay or peer */
  readonly pending: boolean
  /** in a thread: how deep the reply is (0 = the root) */
  readonly depth?: number | undefined
}

export interface Page<T> {
  readonly items: readonly T[]
  readonly cursor?: string | undefined
}

export interface ProfileView {
  readonly author: AuthorView
  readonly bio: string
  readonly isMe: boolean
  readonly following: boolean
  readonly muted: boolean
  readonly blocked: boolean
  readonly followingCount: number
  /** the first people this author follows (their feed document) */
  readonly follows: readonly AuthorView[]
  readonly followerCount: number
  /** events the author's signed index names that nobody has served us yet */
  readonly missingPosts: number
}

export type NotificationKind = 'reply' | 'mention' | 'reaction' | 'follow' | 'repost'

export interface NotificationView {
  readonly key: string
  readonly kind: NotificationKind
  readonly from: AuthorView
  readonly ts: number
  readonly post?: PostView | undefined
  readonly emoji?: string | undefined
}

export interface RelayStatus {
  readonly address: string
  readonly connected: boolean
}

export interface ConnectionView {
  readonly state: 'offline' | 'connecting' | 'online'
  readonly relays: readonly RelayStatus[]
  readonly peers: number
  /** local posts and changes waiting to be sent */
  readonly queued: number
}

export interface SearchResults {
  readonly posts: readonly PostView[]
  readonly people: readonly AuthorView[]
}

export type PrivacyMode = 'direct' | 'relay-only'

export interface PostDraft {
  readonly text: string
  readonly cw?: string | undefined
  readonly lang?: string | undefined
  readonly reply?: { readonly root: EventId; readonly parent: EventId } | undefined
  readonly quote?: EventId | undefined
  /** people picked in the mention list whose `@name` is still in the text (at most MAX_MENTIONS) */
  readonly mentions?: readonly AuthorId[] | undefined
}

export interface ProfileDraft {
  readonly name: string
  readonly bio: string
  readonly avatar?: string | undefined
}
