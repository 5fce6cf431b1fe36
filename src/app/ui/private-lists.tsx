// Muted words and blocked/muted people: private, kept on this device only.
import { useState } from 'preact/hooks'
import type { AuthorView } from '../state/view-types.ts'
import { useI18n } from './i18n-context.ts'

export function PrivateLists(props: {
  mutedWords: readonly string[]
  blocked: readonly AuthorView[]
  onMutedWords: (words: readonly string[]) => Promise<void>
  onUnblock: (author: AuthorView) => void
}) {
  const { t } = useI18n()
  const [word, setWord] = useState('')
  return (
    <>
      <section aria-labelledby="words-title" class="stack">
        <h2 id="words-title">{t('settings.mutedWords')}</h2>
        <p class="muted">{t('settings.mutedWordsExplain')}</p>
        <ul class="muted-words">
          {props.mutedWords.map((w) => (
            <li key={w}>
              {w}{' '}
              <button type="button" class="small" onClick={() => void props.onMutedWords(props.mutedWords.filter((x) => x !== w))}>
                {t('settings.remove')}
              </button>
            </li>
          ))}
        </ul>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault()
            const next = word.trim()
            if (next && !props.mutedWords.includes(next)) void props.onMutedWords([...props.mutedWords, next])
            setWord('')
          }}
        >
          <input name="muted-word" autocomplete="off" aria-label={t('settings.word')} value={word} onInput={(e) => setWord(e.currentTarget.value)} />
          <button type="submit">{t('settings.addWord')}</button>
        </form>
      </section>
      <section aria-labelledby="blocked-title">
        <h2 id="blocked-title">{t('settings.blocked')}</h2>
        <ul>
          {props.blocked.map((a) => (
            <li key={a.id}>
              {a.name}{' '}
              <button type="button" class="small" onClick={() => props.onUnblock(a)}>
                {t('settings.remove')}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
