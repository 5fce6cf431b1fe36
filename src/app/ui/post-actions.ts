// The callbacks a post card needs; the controller provides them.
import type { AuthorId, EventId } from '../../core/types.ts'
import type { PostView } from '../state/view-types.ts'

export interface PostActions {
  openThread(id: EventId): void
  openProfile(author: AuthorId): void
  openHashtag(tag: string): void
  reply(post: PostView): void
  quote(post: PostView): void
  /** opens the composer on one of my posts, to sign a new version of it */
  edit(post: PostView): void
  repost(id: EventId): void
  react(id: EventId, emoji: string): void
  deletePost(id: EventId): void
  /** takes back my reaction or repost (a retraction of its id), without asking */
  undo(id: EventId): void
  bookmark(id: EventId, on: boolean): void
  /** a photo's bytes as an object URL, checked against its hash */
  imageUrl(sha256: string, type: string): Promise<string>
  /** data-saver mode is on here now: photos wait for a tap (Settings → Photos) */
  readonly photosWaitForTap: boolean
}

export const QUICK_REACTIONS = ['❤️', '👍', '😂', '🌱'] as const
