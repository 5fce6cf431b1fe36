// Compose: text with a grapheme counter (limits count graphemes, protocol/events.md), reply /
// quote context, content warning and language. Posting works offline: the post is stored
// and queued, and the network sends it later. `@` + letters offers people to mention.
import { useEffect, useRef, useState } from 'preact/hooks'
import { MAX_CW_GRAPHEMES, MAX_MENTIONS } from '../../core/limits.ts'
import { keptMentions } from '../lib/mention-query.ts'
import type { AuthorView, PostDraft, PostView } from '../state/view-types.ts'
import { useI18n } from './i18n-context.ts'
import { ComposePhotos, imageFiles, usePhotos } from './compose-photos.tsx'
import { MentionList, useMentions } from './mention-list.tsx'

export interface ComposeContext {
  readonly replyTo?: PostView | undefined
  readonly quote?: PostView | undefined
  /** one of my posts, being edited: the box starts from what it says now */
  readonly edit?: PostView | undefined
}

export function ComposeBox(props: {
  context: ComposeContext
  maxGraphemes: number
  countGraphemes: (text: string) => number
  /** resolves false when the post failed: what was typed stays */
  onSubmit: (draft: PostDraft) => Promise<boolean>
  onCancelContext: () => void
  /** people to offer after `@` (AppBackend.mentionCandidates) */
  suggestPeople?: ((prefix: string) => Promise<readonly AuthorView[]>) | undefined
  /** a photo without alt text is not posted (Settings → Photos) */
  requireAlt?: boolean | undefined
}) {
  const { t } = useI18n()
  const [text, setText] = useState('')
  const [cw, setCw] = useState('')
  const [showCw, setShowCw] = useState(false)
  // no language unless the person picks one: the UI's (简 or 繁) would hint at a region
  const [lang, setLang] = useState('')
  const [busy, setBusy] = useState(false)
  const [picked, setPicked] = useState<AuthorView[]>([])
  const [altAsked, setAltAsked] = useState(false)
  const photos = usePhotos()
  const box = useRef<HTMLTextAreaElement>(null)
  const mention = useMentions({
    box,
    text,
    setText,
    suggest: props.suggestPeople,
    onPick: (person) => setPicked((list) => [...list, person]),
  })
  const count = props.countGraphemes(text)
  const cwTooLong = showCw && props.countGraphemes(cw.trim()) > MAX_CW_GRAPHEMES
  const textTooLong = count > props.maxGraphemes
  const tooLong = textTooLong || cwTooLong
  // a post of photos alone still needs words: the protocol wants text (and alt text is not it)
  const empty = text.trim() === ''
  const altMissing = props.requireAlt === true && photos.list.some((p) => p.alt.trim() === '')
  const { replyTo, quote, edit } = props.context
  useEffect(() => {
    if (edit === undefined) return
    setText(edit.text)
    setCw(edit.cw ?? '')
    setShowCw(edit.cw !== undefined && edit.cw !== '')
    setLang(edit.lang ?? '')
    setPicked([...(edit.mentions ?? [])])
  }, [edit?.id])

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault()
    if (tooLong || empty || busy || photos.encoding) return
    setAltAsked(altMissing)
    if (altMissing && !edit) return
    setBusy(true)
    try {
      const reply = replyTo ? { root: replyTo.reply?.root ?? replyTo.id, parent: replyTo.id } : undefined
      const mentions = keptMentions(text, picked)
        .slice(0, MAX_MENTIONS)
        .map((p) => p.id)
      const sent = await props.onSubmit({
        text,
        cw: showCw && cw.trim() ? cw.trim() : undefined,
        lang: lang || undefined,
        reply,
        quote: quote?.id,
        mentions,
        ...(photos.list.length > 0 && !edit ? { photos: photos.list.map(({ encoded, alt }) => ({ encoded, alt })) } : {}),
      })
      if (!sent) return
      photos.clear()
      setText('')
      setPicked([])
      setCw('')
      setShowCw(false)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      class="compose"
      onSubmit={(e) => void submit(e)}
      aria-label={t('compose.label')}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const files = imageFiles(e.dataTransfer)
        if (files.length === 0 || edit) return
        e.preventDefault()
        void photos.add(files)
      }}
    >
      {replyTo && (
        <p class="compose-context">
          {t('compose.replyingTo', { name: replyTo.author.name })}{' '}
          <button type="button" class="small" onClick={props.onCancelContext}>
            {t('compose.cancel')}
          </button>
        </p>
      )}
      {edit && (
        <p class="compose-context">
          {t('compose.editing')}{' '}
          <button type="button" class="small" onClick={props.onCancelContext}>
            {t('compose.cancel')}
          </button>
        </p>
      )}
      {quote && (
        <p class="compose-context">
          {t('compose.quoting')}{' '}
          <button type="button" class="small" onClick={props.onCancelContext}>
            {t('compose.cancel')}
          </button>
        </p>
      )}
      {showCw && (
        <input
          type="text"
          class="compose-cw"
          aria-label={t('compose.cw')}
          placeholder={t('compose.cwPlaceholder')}
          value={cw}
          onInput={(e) => setCw(e.currentTarget.value)}
          aria-invalid={cwTooLong}
        />
      )}
      <textarea
        id="compose-text"
        ref={box}
        aria-label={t('compose.label')}
        placeholder={t('compose.placeholder')}
        rows={3}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value)
          mention.update(e.currentTarget)
        }}
        onClick={(e) => mention.update(e.currentTarget)}
        onBlur={mention.close}
        aria-autocomplete="list"
        aria-controls={mention.listId}
        aria-activedescendant={mention.activeId}
        onPaste={(e) => {
          const files = imageFiles(e.clipboardData)
          if (files.length === 0 || edit) return
          e.preventDefault()
          void photos.add(files)
        }}
        onKeyDown={(e) => {
          if (mention.onKeyDown(e)) return
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e)
        }}
      />
      <MentionList state={mention} />
      {!edit && <ComposePhotos photos={photos} altMissing={altMissing} />}
      {altAsked && altMissing && !edit && (
        <p class="error" role="alert">
          {t('compose.altRequired')}
        </p>
      )}
      <div class="compose-bar">
        <button type="button" class="small" aria-pressed={showCw} onClick={() => setShowCw(!showCw)}>
          {t('compose.cw')}
        </button>
        <select aria-label={t('compose.lang')} value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
          <option value="">{t('compose.langUnset')}</option>
          <option value="zh-Hans">简体中文</option>
          <option value="zh-Hant">繁體中文</option>
          <option value="en">English</option>
        </select>
        <span class={`counter${textTooLong ? ' over' : ''}`} aria-live="polite">
          {t('compose.counter', { n: count, max: props.maxGraphemes })}
          {textTooLong ? ` ${t('compose.tooLong')}` : ''}
        </span>
        <button type="submit" class="primary" disabled={tooLong || empty || busy}>
          {edit ? t('compose.saveEdit') : replyTo ? t('compose.reply') : t('compose.send')}
        </button>
      </div>
    </form>
  )
}
