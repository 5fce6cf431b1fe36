// One post: header (author, time), content warning fold, text, quoted post, reactions and
// actions. Everything the author wrote is rendered as text (RichText).
import { useState } from 'preact/hooks'
import { formatRelativeTime } from '../lib/format-time.ts'
import type { PostView } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'
import { QUICK_REACTIONS, type PostActions } from './post-actions.ts'
import { PostImages } from './post-images.tsx'
import { RichText } from './rich-text.tsx'

export function PostCard(props: { post: PostView; actions: PostActions; now: number; compact?: boolean; highlight?: boolean }) {
  const { t, language } = useI18n()
  const { post, actions } = props
  const [showCw, setShowCw] = useState(false)
  const [reacting, setReacting] = useState(false)
  const [versions, setVersions] = useState(false)
  const folded = post.cw !== undefined && post.cw !== '' && !showCw
  return (
    <article
      class={`post${props.highlight ? ' post-highlight' : ''}${post.pending ? ' post-pending' : ''} depth-${Math.min(post.depth ?? 0, 4)}`}
      data-post-id={post.id}
      lang={post.lang}
    >
      {post.repostedBy && <p class="post-repost-note">{t('post.repostedBy', { name: post.repostedBy.name })}</p>}
      <header class="post-header">
        <button type="button" class="link-button author" onClick={() => actions.openProfile(post.author.id)}>
          <Avatar author={post.author} size={36} />
          <span class="author-name">{post.author.name || t('profile.unknown')}</span>
        </button>
        <a class="post-time" href={`#/thread/${post.id}`} title={new Date(post.ts).toLocaleString(language)}>
          {formatRelativeTime(post.ts, props.now, t, language)}
        </a>
      </header>
      {post.reply && <p class="post-reply-note">↳ {t('post.replyTo')}</p>}
      {post.edited && (
        <p class="post-edited">
          <button type="button" class="small" aria-expanded={versions} onClick={() => setVersions(!versions)}>
            {t('post.edited', { n: post.edited.earlier.length })}
          </button>
        </p>
      )}
      {post.edited && versions && (
        <ol class="post-versions" aria-label={t('post.versions')}>
          {post.edited.earlier.map((v) => (
            <li key={v.ts}>
              <span class="muted">{formatRelativeTime(v.ts, props.now, t, language)}</span>
              {v.cw && <strong> {v.cw}</strong>}
              <p class="post-version-text">
                <RichText text={v.text} />
              </p>
            </li>
          ))}
        </ol>
      )}
      {post.cw && (
        <p class="post-cw">
          <strong>{post.cw}</strong>{' '}
          <button type="button" class="small" aria-expanded={showCw} onClick={() => setShowCw(!showCw)}>
            {showCw ? t('post.hideCw') : t('post.showCw')}
          </button>
        </p>
      )}
      {!folded && (
        <p class="post-text">
          <RichText text={post.text} onHashtag={actions.openHashtag} mentions={post.mentions} onMention={actions.openProfile} />
        </p>
      )}
      {!folded && post.images && <PostImages images={post.images} imageUrl={actions.imageUrl} waitForTap={actions.photosWaitForTap} />}
      {!folded && post.quote && (
        <blockquote class="post-quote">
          <span class="author-name">{post.quote.author.name}</span>
          <RichText text={post.quote.text} mentions={post.quote.mentions} onMention={actions.openProfile} />
        </blockquote>
      )}
      {!folded && post.quote === null && <blockquote class="post-quote muted">{t('post.missing')}</blockquote>}
      {post.pending && <p class="post-pending-note">{t('post.pending')}</p>}
      {post.reactions.length > 0 && (
        <p class="post-reactions">
          {post.reactions.map((r) => (
            <button
              type="button"
              key={r.emoji}
              class={r.mine ? 'reaction mine' : 'reaction'}
              aria-pressed={r.mine}
              aria-label={r.myId ? t('post.takeBack', { emoji: r.emoji }) : t('post.reactAgain', { emoji: r.emoji })}
              onClick={() => (r.myId ? actions.undo(r.myId) : actions.react(post.id, r.emoji))}
            >
              {r.emoji} {r.count}
            </button>
          ))}
        </p>
      )}
      <footer class="post-actions" role="group" aria-label={t('post.actions')}>
        <button type="button" onClick={() => actions.reply(post)}>
          {t('post.reply')}
          {post.replyCount > 0 ? ` ${post.replyCount}` : ''}
        </button>
        <button type="button" onClick={() => actions.quote(post)}>
          {t('post.quote')}
        </button>
        {post.myRepost ? (
          <button type="button" aria-pressed="true" onClick={() => actions.undo(post.myRepost!)}>
            {t('post.undoRepost')}
          </button>
        ) : (
          <button type="button" onClick={() => actions.repost(post.id)}>
            {t('post.repost')}
          </button>
        )}
        <button type="button" aria-expanded={reacting} onClick={() => setReacting(!reacting)}>
          {t('post.react')}
        </button>
        <button type="button" aria-pressed={post.bookmarked === true} onClick={() => actions.bookmark(post.id, post.bookmarked !== true)}>
          {post.bookmarked ? t('post.unbookmark') : t('post.bookmark')}
        </button>
        <button type="button" onClick={() => actions.openThread(post.id)}>
          {t('post.thread')}
        </button>
        {post.mine && (
          <button type="button" onClick={() => actions.edit(post)}>
            {t('post.edit')}
          </button>
        )}
        {post.mine && (
          <button type="button" class="danger" onClick={() => actions.deletePost(post.id)}>
            {t('post.delete')}
          </button>
        )}
      </footer>
      {reacting && (
        <p class="reaction-picker">
          {QUICK_REACTIONS.map((emoji) => (
            <button
              type="button"
              key={emoji}
              aria-label={`${t('post.react')} ${emoji}`}
              onClick={() => {
                setReacting(false)
                actions.react(post.id, emoji)
              }}
            >
              {emoji}
            </button>
          ))}
        </p>
      )}
    </article>
  )
}
