// Settings that follow the person to every device (kept in the sealed part of the feed):
// whom I follow kept private, messages from strangers refused, and block/mute lists — mine
// (public) and those I subscribe to (private), each entry reviewable and overridable.
import { useState } from 'preact/hooks'
import type { AuthorId } from '../../core/types.ts'
import type { ListView, PersonalView } from '../state/private-backend.ts'
import { useI18n } from './i18n-context.ts'

export interface PersonalActions {
  setPrivateFollows(on: boolean): Promise<void>
  setRefuseRequests(on: boolean): Promise<void>
  createList(name: string, description: string): Promise<void>
  editList(id: string, patch: { addKeys?: AuthorId[]; removeKeys?: AuthorId[]; addWords?: string[]; removeWords?: string[] }): Promise<void>
  deleteList(id: string): Promise<void>
  subscribeList(author: AuthorId, id: string, action: 'mute' | 'block' | undefined): Promise<void>
  setListOverride(author: AuthorId, id: string, entry: string, skip: boolean): Promise<void>
}

export function PersonalSettings(props: { view: PersonalView; actions: PersonalActions }) {
  const { t } = useI18n()
  const { view, actions } = props
  return (
    <>
      <SettingCheck
        id="follows"
        title={t('settings.follows')}
        name="private-follows"
        label={t('settings.privateFollows')}
        explain={t('settings.privateFollowsExplain')}
        checked={view.settings.privateFollows}
        onChange={actions.setPrivateFollows}
      />
      <SettingCheck
        id="dm-settings"
        title={t('settings.messages')}
        name="refuse-requests"
        label={t('settings.refuseRequests')}
        explain={t('settings.refuseRequestsExplain')}
        checked={view.settings.refuseRequests}
        onChange={actions.setRefuseRequests}
      />
      <section aria-labelledby="lists-title" class="stack lists">
        <h2 id="lists-title">{t('lists.title')}</h2>
        <p class="muted">{t('lists.explain')}</p>
        <h3>{t('lists.mine')}</h3>
        {view.mine.map((l) => (
          <MyList key={l.id} list={l} actions={actions} />
        ))}
        <CreateList onCreate={actions.createList} />
        <h3>{t('lists.subscribed')}</h3>
        {view.subscribed.length === 0 && <p class="muted">{t('lists.none')}</p>}
        {view.subscribed.map((l) => (
          <SubscribedList key={`${l.author.id} ${l.id}`} list={l} actions={actions} />
        ))}
      </section>
    </>
  )
}

function SettingCheck(props: {
  id: string
  title: string
  name: string
  label: string
  explain: string
  checked: boolean
  onChange(on: boolean): Promise<void>
}) {
  // the choice shows at once, while it is sealed and saved; then the saved state speaks again
  // (a failure is the controller's notice, and the box goes back to what is saved)
  const [chosen, setChosen] = useState<boolean | undefined>(undefined)
  const change = (on: boolean): void => {
    setChosen(on)
    void props.onChange(on).finally(() => setChosen(undefined))
  }
  return (
    <section aria-labelledby={`${props.id}-title`} class="stack">
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <label class="check">
        <input type="checkbox" name={props.name} checked={chosen ?? props.checked} onChange={(e) => change(e.currentTarget.checked)} />
        {props.label}
      </label>
      <p class="muted">{props.explain}</p>
    </section>
  )
}

function CreateList(props: { onCreate(name: string, description: string): Promise<void> }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  return (
    <form
      class="stack create-list"
      onSubmit={(e) => {
        e.preventDefault()
        if (name.trim() === '') return
        void props.onCreate(name.trim(), description.trim()).then(() => {
          setName('')
          setDescription('')
        })
      }}
    >
      <input name="list-name" aria-label={t('lists.name')} placeholder={t('lists.name')} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <input
        name="list-description"
        aria-label={t('lists.description')}
        placeholder={t('lists.description')}
        value={description}
        onInput={(e) => setDescription(e.currentTarget.value)}
      />
      <div class="row">
        <button type="submit">{t('lists.create')}</button>
      </div>
    </form>
  )
}

function MyList(props: { list: ListView; actions: PersonalActions }) {
  const { t } = useI18n()
  const { list, actions } = props
  const [key, setKey] = useState('')
  const [word, setWord] = useState('')
  return (
    <details class="list my-list" data-list={list.id}>
      <summary>
        {list.name} · <span class="muted">{t('lists.entries', { n: list.keys.length, w: list.words.length })}</span>
      </summary>
      {list.description && <p class="muted">{list.description}</p>}
      <ul>
        {list.keys.map((a) => (
          <li key={a.id}>
            {a.name}{' '}
            <button type="button" class="small" onClick={() => void actions.editList(list.id, { removeKeys: [a.id] })}>
              {t('lists.remove')}
            </button>
          </li>
        ))}
        {list.words.map((w) => (
          <li key={w}>
            {w}{' '}
            <button type="button" class="small" onClick={() => void actions.editList(list.id, { removeWords: [w] })}>
              {t('lists.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault()
          if (key.trim()) void actions.editList(list.id, { addKeys: [key.trim() as AuthorId] }).then(() => setKey(''))
        }}
      >
        <input name="list-key" aria-label={t('lists.addKey')} placeholder="did:key:z6Mk…" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit">{t('lists.add')}</button>
      </form>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault()
          if (word.trim()) void actions.editList(list.id, { addWords: [word.trim()] }).then(() => setWord(''))
        }}
      >
        <input name="list-word" aria-label={t('lists.addWord')} value={word} onInput={(e) => setWord(e.currentTarget.value)} />
        <button type="submit">{t('lists.add')}</button>
      </form>
      <button type="button" class="danger small" onClick={() => void actions.deleteList(list.id)}>
        {t('lists.delete')}
      </button>
    </details>
  )
}

function SubscribedList(props: { list: ListView; actions: PersonalActions }) {
  const { t } = useI18n()
  const { list, actions } = props
  const skipped = new Set(list.overridden)
  const entry = (id: string, label: string) => (
    <li key={id} class={skipped.has(id) ? 'muted' : ''}>
      {label}{' '}
      <button type="button" class="small" onClick={() => void actions.setListOverride(list.author.id, list.id, id, !skipped.has(id))}>
        {skipped.has(id) ? t('lists.apply') : t('lists.skip')}
      </button>
    </li>
  )
  return (
    <details class="list subscribed-list" data-list={list.id}>
      <summary>
        {list.name}{' '}
        <span class="muted">
          {t('lists.by', { name: list.author.name })} · {t(list.subscribed === 'block' ? 'profile.block' : 'profile.mute')}
        </span>
      </summary>
      {list.description && <p class="muted">{list.description}</p>}
      <ul>
        {list.keys.map((a) => entry(a.id, a.name))}
        {list.words.map((w) => entry(w, w))}
      </ul>
      <button type="button" class="small" onClick={() => void actions.subscribeList(list.author.id, list.id, undefined)}>
        {t('lists.unsubscribe')}
      </button>
    </details>
  )
}
