// The suggestion list of compose's `@` mentions, following the WAI-ARIA listbox-with-textbox
// pattern: focus stays in the textarea, aria-activedescendant names the highlighted option;
// ArrowDown/ArrowUp move, Enter or Tab chooses, Escape closes; a click chooses too.
import type { RefObject } from 'preact'
import { useRef, useState } from 'preact/hooks'
import { findMentionQuery, insertMention, type MentionQuery } from '../lib/mention-query.ts'
import type { AuthorView } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'

const LIST_ID = 'mention-list'

export interface MentionState {
  readonly listId: string | undefined
  readonly activeId: string | undefined
  readonly people: readonly AuthorView[]
  readonly active: number
  update(box: HTMLTextAreaElement): void
  close(): void
  choose(person: AuthorView): void
  /** true when the key was handled by the list */
  onKeyDown(event: KeyboardEvent): boolean
}

export function useMentions(init: {
  box: RefObject<HTMLTextAreaElement | null>
  text: string
  setText: (text: string) => void
  suggest: ((prefix: string) => Promise<readonly AuthorView[]>) | undefined
  onPick: (person: AuthorView) => void
}): MentionState {
  const [query, setQuery] = useState<MentionQuery | undefined>(undefined)
  const [people, setPeople] = useState<readonly AuthorView[]>([])
  const [active, setActive] = useState(0)
  const asked = useRef(0)
  const open = query !== undefined && people.length > 0

  const close = (): void => {
    setQuery(undefined)
    setPeople([])
  }
  const update = (box: HTMLTextAreaElement): void => {
    const q = init.suggest ? findMentionQuery(box.value, box.selectionStart) : undefined
    setQuery(q)
    if (!q || !init.suggest) {
      setPeople([])
      return
    }
    const ticket = ++asked.current
    void init.suggest(q.prefix).then(
      (list) => {
        if (ticket !== asked.current) return // a later keystroke asked again
        setPeople(list)
        setActive(0)
      },
      () => setPeople([]),
    )
  }
  const choose = (person: AuthorView): void => {
    if (!query) return
    const next = insertMention(init.text, query, person.name)
    // text and caret go into the textarea now, not in a later frame: frames come late on a
    // busy device, and a caret moved back then sends the keys typed meanwhile to the middle
    // ('@Bea 快来看看' became '@Bea 看快来看', test/e2e/app-mentions). The render that
    // follows finds the same value in the textarea and leaves the caret where it is.
    const box = init.box.current
    if (box) {
      box.value = next.text
      box.focus()
      box.setSelectionRange(next.caret, next.caret)
    }
    init.setText(next.text)
    init.onPick(person)
    close()
  }
  const onKeyDown = (event: KeyboardEvent): boolean => {
    // keys that confirm a Chinese/Japanese IME composition belong to the IME, not to the list
    if (!open || event.isComposing) return false
    const chosen = people[active]
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((active + step + people.length) % people.length)
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.ctrlKey && !event.metaKey && chosen) {
      choose(chosen)
    } else if (event.key === 'Escape') {
      close()
    } else {
      return false
    }
    event.preventDefault()
    return true
  }
  return {
    listId: open ? LIST_ID : undefined,
    activeId: open ? `${LIST_ID}-${active}` : undefined,
    people: open ? people : [],
    active,
    update,
    close,
    choose,
    onKeyDown,
  }
}

export function MentionList(props: { state: MentionState }) {
  const { t } = useI18n()
  const { state } = props
  if (state.people.length === 0) return null
  return (
    <ul id={LIST_ID} role="listbox" class="mention-list" aria-label={t('compose.mentionList')}>
      {state.people.map((person, i) => (
        <li
          key={person.id}
          id={`${LIST_ID}-${i}`}
          role="option"
          aria-selected={i === state.active}
          class={i === state.active ? 'active' : undefined}
          // mousedown, not click: the textarea must not lose focus (its blur closes the list)
          onMouseDown={(e) => {
            e.preventDefault()
            state.choose(person)
          }}
        >
          <Avatar author={person} size={24} /> <span class="author-name">{person.name}</span>
        </li>
      ))}
    </ul>
  )
}
