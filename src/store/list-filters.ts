// What the shared lists I subscribe to hide (protocol/lists.md §3): the authors a list mutes or
// blocks and the words it mutes, the entries I override left out, never me. The store applies
// them together with my own mutes and blocks (store-context.ts), so every query, count and quoted
// post leaves them out in one place.
import type { AuthorId } from '../core/types.ts'
import type { FeedDoc, FeedDocDelta } from './feed-doc.ts'
import { readLists } from './lists.ts'
import { overrideKey, type PrivateView } from './private-doc.ts'

export interface ListFilters {
  readonly muted: ReadonlySet<AuthorId>
  readonly blocked: ReadonlySet<AuthorId>
  /** muted words of the lists I subscribe to, each once */
  readonly words: readonly string[]
  /** whether I subscribe to a list of this author's */
  subscribesTo(author: AuthorId): boolean
  /** whether a commit of this author's feed document with this delta can change the filters */
  concerns(author: AuthorId, delta: FeedDocDelta): boolean
  /** reads my subscriptions and the subscribed lists again */
  refresh(view: PrivateView, docOf: (author: AuthorId) => Promise<FeedDoc>): Promise<void>
}

export function createListFilters(me: AuthorId | undefined): ListFilters {
  let muted = new Set<AuthorId>()
  let blocked = new Set<AuthorId>()
  let words: string[] = []
  let listAuthors = new Set<AuthorId>()

  return {
    get muted() {
      return muted
    },
    get blocked() {
      return blocked
    },
    get words() {
      return words
    },
    subscribesTo: (author) => listAuthors.has(author),
    // my subscriptions and overrides change only by sealed changes of my document
    concerns: (author, delta) => (author === me && delta.sealed.length > 0) || (listAuthors.has(author) && delta.lists.length > 0),
    async refresh(view, docOf) {
      const nextMuted = new Set<AuthorId>()
      const nextBlocked = new Set<AuthorId>()
      const nextWords = new Set<string>()
      for (const sub of view.subscriptions) {
        const list = readLists(sub.author, await docOf(sub.author)).find((l) => l.id === sub.list)
        if (list === undefined) continue
        const applies = (entry: string): boolean => !view.overrides.has(overrideKey(sub.author, sub.list, entry))
        for (const k of list.keys) if (k !== me && applies(k)) (sub.action === 'block' ? nextBlocked : nextMuted).add(k)
        for (const w of list.words) if (applies(w)) nextWords.add(w)
      }
      muted = nextMuted
      blocked = nextBlocked
      words = [...nextWords]
      listAuthors = new Set(view.subscriptions.map((s) => s.author))
    },
  }
}
