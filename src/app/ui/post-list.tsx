// A list of posts with an empty state and a "load more" button (cursor pagination).
import type { PostView } from '../state/view-types.ts'
import { useI18n } from './i18n-context.ts'
import type { PostActions } from './post-actions.ts'
import { PostCard } from './post-card.tsx'

export function PostList(props: {
  posts: readonly PostView[]
  actions: PostActions
  now: number
  onMore?: (() => void) | undefined
  highlight?: string | undefined
}) {
  const { t } = useI18n()
  if (props.posts.length === 0) return <p class="empty">{t('timeline.empty')}</p>
  return (
    <div class="post-list">
      {props.posts.map((post) => (
        <PostCard key={`${post.id}:${post.repostedBy?.id ?? ''}`} post={post} actions={props.actions} now={props.now} highlight={post.id === props.highlight} />
      ))}
      {props.onMore && (
        <button type="button" class="more" onClick={props.onMore}>
          {t('timeline.more')}
        </button>
      )}
    </div>
  )
}
