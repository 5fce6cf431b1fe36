// What the screens show: plain data, already joined (author names, reaction counts) by the
// wiring layer. UI components receive these plus callbacks and nothing else (src/app/README.md).
import type { AuthorId, EventId, ImageRef, ReplyRef } from '../../core/types.ts'
import type { EncodedImage } from '../lib/image-encode.ts'
import type { PostDraft as StorePostDraft, ReactionCount } from '../../store/types.ts'

// one definition each, where the layer below owns the concept
export type { Page, ReactionCount } from '../../store/types.ts'
export type { PrivacyMode } from '../../net/node.ts'

export interface AuthorView {
  readonly id: AuthorId
  readonly name: string
  /** a small data: URL, or undefined */
  readonly avatar?: string | undefined
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
  /** photos: blobs named by hash, fetched when shown (protocol/blobs.md) */
  readonly images?: readonly ImageRef[] | undefined
  /** set when this entry is in a timeline because someone reposted it */
  readonly repostedBy?: AuthorView | undefined
  readonly reactions: readonly ReactionCount[]
  readonly replyCount: number
  /** my repost of it, which undoing retracts */
  readonly myRepost?: EventId | undefined
  /** in my bookmarks (absent in snapshots from older versions) */
  readonly bookmarked?: boolean | undefined
  readonly mine: boolean
  /** made offline and not yet handed to any relay or peer */
  readonly pending: boolean
  /** set when its author edited it: the text above is the newest version's */
  readonly edited?: EditedView | undefined
  /** in a thread: how deep the reply is (0 = the root) */
  readonly depth?: number | undefined
}

export interface EditedView {
  /** when the newest version was signed */
  readonly at: number
  /** the versions before it, newest first, down to the original post */
  readonly earlier: readonly PostVersionView[]
}

export interface PostVersionView {
  readonly text: string
  readonly cw?: string | undefined
  readonly ts: number
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
  /** the first people who follow this author (as far as the feed documents held here say) */
  readonly followers: readonly AuthorView[]
  /** events the author's signed index names that nobody has served us yet */
  readonly missingPosts: number
}

export type NotificationKind = 'reply' | 'mention' | 'quote' | 'reaction' | 'follow' | 'repost'

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
  /** relays learned from others' signed relay records: never used in relay-only mode until the person adds one */
  readonly learned: readonly LearnedRelay[]
}

export interface LearnedRelay {
  readonly address: string
  /** it answered this device, now or in an earlier session (only direct mode dials learned relays) */
  readonly proven: boolean
}

export interface SearchResults {
  readonly posts: readonly PostView[]
  readonly people: readonly AuthorView[]
}

/**
 * What the composer hands over: the store's draft (text, cw, lang, quote, and the people picked
 * in the mention list whose `@name` is still in the text) plus the post it answers. Tags are
 * the backend's to take from the text.
 */
export type PostDraft = Omit<StorePostDraft, 'tags' | 'images'> & {
  readonly reply?: ReplyRef | undefined
  /** photos re-encoded on this device (lib/image-encode.ts), uploaded before the post is signed */
  readonly photos?: readonly DraftPhoto[] | undefined
}

export interface DraftPhoto {
  readonly encoded: EncodedImage
  readonly alt: string
}

export interface ProfileDraft {
  readonly name: string
  readonly bio: string
  readonly avatar?: string | undefined
}
