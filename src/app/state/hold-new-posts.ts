// "N new posts" instead of a jumping list: while someone reads further down the home
// timeline, a refresh updates the posts already shown (counts, deletions, blocks) but holds
// back the ones that arrived since, and reports how many there are. Pure, unit-tested
// (test/unit/app/hold-new-posts.test.ts).
import type { PostView } from './view-types.ts'

export const postKey = (p: PostView): string => `${p.id}:${p.repostedBy?.id ?? ''}`

/**
 * `shown`: the list on screen; `fresh`: a newer read of the same timeline from the top;
 * `complete`: `fresh` reaches the end of the timeline (no cursor).
 */
export function holdNewPosts(shown: readonly PostView[], fresh: readonly PostView[], complete: boolean): { posts: PostView[]; newCount: number } {
  const shownKeys = new Set(shown.map(postKey))
  const byKey = new Map(fresh.map((p) => [postKey(p), p]))
  const oldestFresh = fresh[fresh.length - 1]?.ts
  const posts = shown.flatMap((p) => {
    const updated = byKey.get(postKey(p))
    if (updated) return [updated]
    // not in the fresh read: deleted or hidden if the read covers its place, else just beyond it
    const covered = complete || (oldestFresh !== undefined && p.ts > oldestFresh)
    return covered ? [] : [p]
  })
  return { posts, newCount: fresh.filter((p) => !shownKeys.has(postKey(p))).length }
}
