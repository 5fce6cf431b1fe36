// Shared block and mute lists (protocol/lists.md §2): a list lives in its author's feed
// document under `list/<id>`, so it is signed by the author (every change is), versioned (`v`),
// merged across the author's devices, and reaches subscribers the way any feed document does.
// Readers are defensive; writers validate here.
import { isAuthorId } from '../core/did-key.ts'
import { fail } from '../core/errors.ts'
import { countGraphemes } from '../core/text.ts'
import type { AuthorId } from '../core/types.ts'
import type { FeedDoc } from './feed-doc.ts'

export const LIST_PREFIX = 'list/'
export const MAX_LIST_NAME_GRAPHEMES = 50
export const MAX_LIST_DESCRIPTION_GRAPHEMES = 300
export const MAX_LIST_KEYS = 5000
export const MAX_LIST_WORDS = 500
export const MAX_LIST_WORD_GRAPHEMES = 50
/** lists one author may publish (readers take the first this many by id) */
export const MAX_LISTS_PER_AUTHOR = 16

export interface SharedList {
  readonly author: AuthorId
  /** 16 hex digits, chosen at random by the author's device */
  readonly id: string
  readonly name: string
  readonly description: string
  readonly keys: readonly AuthorId[]
  readonly words: readonly string[]
}

/** What a list map holds in the feed document. */
export interface ListMap {
  v: number
  name: string
  description: string
  /** keys[did] = 1 */
  keys: Record<string, number>
  /** words[word] = 1 */
  words: Record<string, number>
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LIST_ID = /^[0-9a-f]{16}$/

function text(value: unknown, max: number): string {
  return typeof value === 'string' && value.length <= max * 32 && !CONTROL.test(value) && countGraphemes(value) <= max ? value : ''
}

function entries(map: unknown, max: number): string[] {
  if (typeof map !== 'object' || map === null) return []
  return Object.entries(map as Record<string, unknown>)
    .filter(([, v]) => v === 1)
    .map(([k]) => k)
    .slice(0, max)
}

export function isWord(w: string): boolean {
  return w.trim() !== '' && w === w.trim() && !CONTROL.test(w) && countGraphemes(w) <= MAX_LIST_WORD_GRAPHEMES
}

/** The lists an author's feed document publishes; malformed ones are skipped. */
export function readLists(author: AuthorId, doc: FeedDoc): SharedList[] {
  const out: SharedList[] = []
  const root = doc as unknown as Record<string, unknown>
  const ids = Object.keys(root)
    .filter((k) => k.startsWith(LIST_PREFIX) && LIST_ID.test(k.slice(LIST_PREFIX.length)))
    .sort()
    .slice(0, MAX_LISTS_PER_AUTHOR)
  for (const key of ids) {
    const m = root[key] as Partial<ListMap> | undefined
    if (typeof m !== 'object' || m === null || m.v !== 1) continue
    const name = text(m.name, MAX_LIST_NAME_GRAPHEMES)
    if (name === '') continue
    out.push({
      author,
      id: key.slice(LIST_PREFIX.length),
      name,
      description: text(m.description, MAX_LIST_DESCRIPTION_GRAPHEMES),
      keys: entries(m.keys, MAX_LIST_KEYS).filter((k): k is AuthorId => isAuthorId(k)),
      words: entries(m.words, MAX_LIST_WORDS).filter(isWord),
    })
  }
  return out
}

export interface ListPatch {
  readonly name?: string
  readonly description?: string
  readonly addKeys?: readonly AuthorId[]
  readonly removeKeys?: readonly AuthorId[]
  readonly addWords?: readonly string[]
  readonly removeWords?: readonly string[]
}

export function checkListPatch(patch: ListPatch): void {
  if (patch.name !== undefined && (text(patch.name, MAX_LIST_NAME_GRAPHEMES) !== patch.name || patch.name.trim() === ''))
    fail('E_BAD_TEXT', 'list name: 1 to 50 characters, no control characters')
  if (patch.description !== undefined && text(patch.description, MAX_LIST_DESCRIPTION_GRAPHEMES) !== patch.description)
    fail('E_BAD_TEXT', 'list description: at most 300 characters')
  for (const k of [...(patch.addKeys ?? []), ...(patch.removeKeys ?? [])]) if (!isAuthorId(k)) fail('E_BAD_KEY', 'list entry: not an author id')
  for (const w of [...(patch.addWords ?? []), ...(patch.removeWords ?? [])]) if (!isWord(w)) fail('E_BAD_TEXT', 'list word: 1 to 50 characters')
}

/** Applies a checked patch to a list map inside a feed-document change. */
export function applyListPatch(list: ListMap, patch: ListPatch): void {
  if (patch.name !== undefined && list.name !== patch.name) list.name = patch.name
  if (patch.description !== undefined && list.description !== patch.description) list.description = patch.description
  for (const k of patch.addKeys ?? []) if (list.keys[k] !== 1) list.keys[k] = 1
  for (const k of patch.removeKeys ?? []) if (k in list.keys) delete list.keys[k]
  for (const w of patch.addWords ?? []) if (list.words[w] !== 1) list.words[w] = 1
  for (const w of patch.removeWords ?? []) if (w in list.words) delete list.words[w]
  if (Object.keys(list.keys).length > MAX_LIST_KEYS || Object.keys(list.words).length > MAX_LIST_WORDS) fail('E_OVERSIZE', 'list: too many entries')
}
