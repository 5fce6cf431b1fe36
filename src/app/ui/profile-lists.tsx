// On a profile: "Message", the lists this person publishes (subscribe to mute or block), and
// "block and add to my list" in one step.
import { useState } from 'preact/hooks'
import type { AuthorId } from '../../core/types.ts'
import type { ListView } from '../state/private-backend.ts'
import { useI18n } from './i18n-context.ts'

export interface ProfileListActions {
  message(author: AuthorId): void
  subscribeList(author: AuthorId, id: string, action: 'mute' | 'block' | undefined): Promise<void>
  blockAndAddToList(author: AuthorId, id: string): Promise<void>
}

export function ProfileLists(props: {
  author: AuthorId
  isMe: boolean
  lists: readonly ListView[]
  myLists: readonly ListView[]
  actions: ProfileListActions
}) {
  const { t } = useI18n()
  const { actions, author } = props
  const [chosen, setChosen] = useState('')
  const target = chosen || props.myLists[0]?.id || ''
  return (
    <section class="profile-lists stack">
      {!props.isMe && (
        <div class="row">
          <button type="button" onClick={() => actions.message(author)}>
            {t('dm.message')}
          </button>
          {props.myLists.length > 0 && (
            <>
              <select name="my-list" aria-label={t('lists.chooseList')} value={target} onChange={(e) => setChosen(e.currentTarget.value)}>
                {props.myLists.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
              <button type="button" class="danger" onClick={() => void actions.blockAndAddToList(author, target)}>
                {t('lists.blockAndAdd')}
              </button>
            </>
          )}
        </div>
      )}
      {props.lists.length > 0 && (
        <>
          <h2>{t('lists.ofPerson')}</h2>
          <ul class="lists-of-person">
            {props.lists.map((l) => (
              <li key={l.id} data-list={l.id}>
                <strong>{l.name}</strong> <span class="muted">{t('lists.entries', { n: l.keys.length, w: l.words.length })}</span>
                {l.description && <p class="muted">{l.description}</p>}
                {!props.isMe && (
                  <div class="row">
                    {l.subscribed === undefined ? (
                      <>
                        <button type="button" onClick={() => void actions.subscribeList(author, l.id, 'mute')}>
                          {t('lists.subscribeMute')}
                        </button>
                        <button type="button" onClick={() => void actions.subscribeList(author, l.id, 'block')}>
                          {t('lists.subscribeBlock')}
                        </button>
                      </>
                    ) : (
                      <button type="button" onClick={() => void actions.subscribeList(author, l.id, undefined)}>
                        {t('lists.unsubscribe')}
                      </button>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
