// A post's versions as this store holds them (protocol/events.md §10): the post, then the edits
// its own author signed after it, oldest first. Anyone can sign an "edit" naming any post; only
// the post's author's count, and only later ones, so a version cannot be put before the post.
import type { Edit, EventId, Post } from '../core/types.ts'
import { idx, lastSegment } from './keys.ts'
import { getEvents } from './queries.ts'
import type { Storage } from './storage.ts'

/** Edits read per post at most: a bound on one card's cost, whoever signed them. */
export const MAX_VERSIONS_READ = 100

export interface Versions {
  readonly post: Post
  /** the author's edits, oldest first: the last one is what the post says now */
  readonly edits: readonly Edit[]
}

/** The post and its edits, or undefined when the post is not held (or the id is not a post's). */
export async function readVersions(storage: Storage, id: EventId): Promise<Versions | undefined> {
  const keys = await storage.rangeKeys('idx', { prefix: idx.editPrefix(id), limit: MAX_VERSIONS_READ })
  const [post, ...candidates] = await getEvents(storage, [id, ...keys.map(lastSegment)])
  if (post?.kind !== 'post') return undefined
  const edits = candidates.filter((e): e is Edit => e?.kind === 'edit' && e.author === post.author && e.ts > post.ts)
  return { post, edits }
}
