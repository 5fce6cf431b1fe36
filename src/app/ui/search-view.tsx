// Search: posts (full text, Chinese included), people and #hashtags.
import { useState } from 'preact/hooks'
import type { AuthorId } from '../../core/types.ts'
import type { SearchResults } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'
import type { PostActions } from './post-actions.ts'
import { PostList } from './post-list.tsx'

export function SearchView(props: {
  query: string
  results: SearchResults | undefined
  actions: PostActions
  now: number
  onSearch: (query: string) => void
  onOpenProfile: (author: AuthorId) => void
}) {
  const { t } = useI18n()
  const [text, setText] = useState(props.query)
  const results = props.results
  return (
    <section>
      <form
        role="search"
        class="row"
        onSubmit={(e) => {
          e.preventDefault()
          props.onSearch(text.trim())
        }}
      >
        <input
          type="search"
          name="q"
          aria-label={t('search.label')}
          placeholder={t('search.label')}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          {t('search.button')}
        </button>
      </form>
      {results && results.people.length === 0 && results.posts.length === 0 && <p class="empty">{t('search.none')}</p>}
      {results && results.people.length > 0 && (
        <>
          <h2>{t('search.people')}</h2>
          <ul class="people">
            {results.people.map((p) => (
              <li key={p.id}>
                <button type="button" class="link-button" onClick={() => props.onOpenProfile(p.id)}>
                  <Avatar author={p} size={32} /> <span class="author-name">{p.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {results && results.posts.length > 0 && (
        <>
          <h2>{t('search.posts')}</h2>
          <PostList posts={results.posts} actions={props.actions} now={props.now} />
        </>
      )}
    </section>
  )
}
