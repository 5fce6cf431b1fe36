// The callbacks a post card needs; the controller provides them.
import type { AuthorId, EventId } from '../../core/types.ts'
import type { PostView } from '../state/view-types.ts'

export interface PostActions {
  openThread(id: EventId): void
  openProfile(author: AuthorId): void
  openHashtag(tag: string): void
  reply(post: PostView): void
  quote(post: PostView): void
  repost(id: EventId): void
  react(id: EventId, emoji: string): void
  deletePost(id: EventId): void
}

export const QUICK_REACTIONS = ['❤️', '👍', '😂', '🌱'] as const
