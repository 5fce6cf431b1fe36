import { describe, expect, it } from 'vitest'
import { holdNewPosts } from '../../../src/app/state/hold-new-posts.ts'
import type { PostView } from '../../../src/app/state/view-types.ts'
import type { AuthorId, EventId } from '../../../src/core/types.ts'

const post = (n: number, extra: Partial<PostView> = {}): PostView => ({
  id: `e${n}` as EventId,
  author: { id: 'did:key:a' as AuthorId, name: 'A' },
  text: `post ${n}`,
  ts: n * 1000,
  reactions: [],
  replyCount: 0,
  mine: false,
  pending: false,
  ...extra,
})

describe('holding new posts back', () => {
  it('keeps the shown list, counts what is new', () => {
    const shown = [post(5), post(4), post(3)]
    const fresh = [post(7), post(6), post(5), post(4), post(3)]
    expect(holdNewPosts(shown, fresh, true)).toEqual({ posts: shown, newCount: 2 })
  })
  it('updates shown posts in place and drops deleted ones inside the fresh range', () => {
    const shown = [post(5), post(4), post(3), post(2)]
    const fresh = [post(6), post(5, { replyCount: 3 }), post(3)] // 4 deleted; 2 beyond the page
    const held = holdNewPosts(shown, fresh, false)
    expect(held.posts.map((p) => p.id)).toEqual(['e5', 'e3', 'e2'])
    expect(held.posts[0]!.replyCount).toBe(3)
    expect(held.newCount).toBe(1)
  })
  it('a complete read drops anything it does not have', () => {
    expect(holdNewPosts([post(2), post(1)], [post(2)], true)).toEqual({ posts: [post(2)], newCount: 0 })
  })
  it('a repost of a shown post is a new entry', () => {
    const repost = post(5, { repostedBy: { id: 'did:key:b' as AuthorId, name: 'B' } })
    expect(holdNewPosts([post(5)], [repost, post(5)], true).newCount).toBe(1)
  })
})
