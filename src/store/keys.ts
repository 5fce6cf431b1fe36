// Key layout of the store's tables (protocol/feed-document.md §Local storage layout).
// Index keys are `<index>|<partition>|<order>|…|<id>`: a prefix scan over `<index>|<partition>|`
// yields one list, and the key itself is the pagination cursor. Ids (hex) and did:keys
// (base58) never contain '|'; free text parts (tags, search tokens) are cleaned of it.
import type { AuthorId, EventId } from '../core/types.ts'

export const SEP = '|'

/** Newest first in ascending key order: 13 digits cover every ms timestamp until year 2286. */
const TS_MAX = 9_999_999_999_999

export function newestFirst(ts: number): string {
  return String(TS_MAX - Math.max(0, Math.min(TS_MAX, Math.trunc(ts)))).padStart(13, '0')
}

export function oldestFirst(ts: number): string {
  return String(Math.max(0, Math.min(TS_MAX, Math.trunc(ts)))).padStart(13, '0')
}

/** Free text inside a key: no separator, no U+FFFF (the prefix-scan bound). */
export function cleanKeyText(s: string): string {
  return s.replace(/[|\uffff]/g, '')
}

/** The last segment of an index key: the event id (or the follower, for follow notifications). */
export function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf(SEP) + 1)
}

export const idx = {
  /** home timeline: posts and reposts by me and whom I follow */
  home: (ts: number, id: EventId) => `H|${newestFirst(ts)}|${id}`,
  homePrefix: () => 'H|',
  /** one author's posts and reposts */
  author: (author: AuthorId, ts: number, id: EventId) => `a|${author}|${newestFirst(ts)}|${id}`,
  authorPrefix: (author: AuthorId) => `a|${author}|`,
  /** replies under a thread root, oldest first */
  thread: (root: EventId, ts: number, id: EventId) => `r|${root}|${oldestFirst(ts)}|${id}`,
  threadPrefix: (root: EventId) => `r|${root}|`,
  tag: (tag: string, ts: number, id: EventId) => `t|${cleanKeyText(tag)}|${newestFirst(ts)}|${id}`,
  tagPrefix: (tag: string) => `t|${cleanKeyText(tag)}|`,
  /**
   * a posting list: the events of one ingest batch holding `token`, newest first (postings.ts).
   * Every row of a batch ends with the same suffix (searchSuffix of the batch's newest indexed
   * event), so an event's refs name its rows by its tokens and that one suffix.
   */
  searchRow: (token: string, suffix: string) => `s|${token}|${suffix}`,
  searchSuffix: (newestTs: number, firstId: EventId) => `${newestFirst(newestTs)}|${firstId}`,
  searchPrefix: (token: string) => `s|${token}|`,
  /** notifications of `to`: type is reply|mention|reaction|repost|quote|follow */
  notification: (to: AuthorId, ts: number, type: string, from: string) => `n|${to}|${newestFirst(ts)}|${type}|${from}`,
  notificationPrefix: (to: AuthorId) => `n|${to}|`,
  /**
   * what refers to `target` (only on a store with an identity): a reply or repost by `author`
   * (`c|<target>|reply|<author>|<id>`, `…|repost|…`), a reaction with its emoji
   * (`c|<target>|reaction|<emoji>|<author>|<id>`). Listed in the event's refs, so a
   * retraction removes it with the event.
   */
  reference: (target: EventId, type: 'reply' | 'repost' | 'reaction', author: AuthorId, id: EventId, emoji?: string) =>
    type === 'reaction' ? `c|${target}|reaction|${cleanKeyText(emoji ?? '')}|${author}|${id}` : `c|${target}|${type}|${author}|${id}`,
  referencePrefix: (target: EventId) => `c|${target}|`,
  /** the edits of `target` (protocol/events.md §10), oldest first; whose they are is checked when read */
  edit: (target: EventId, ts: number, id: EventId) => `e|${target}|${oldestFirst(ts)}|${id}`,
  editPrefix: (target: EventId) => `e|${target}|`,
  /**
   * the community cache (community-cache.ts): an event of someone I neither follow nor that
   * concerns me, by when it arrived here, oldest first (the order of eviction). Listed in its refs.
   */
  community: (arrivedAt: number, id: EventId) => `C|${oldestFirst(arrivedAt)}|${id}`,
  communityPrefix: () => 'C|',
  /** the document cache (document-cache.ts): a stranger's feed document, by when it arrived, oldest first */
  cachedDoc: (arrivedAt: number, author: AuthorId) => `D|${oldestFirst(arrivedAt)}|${author}`,
  cachedDocPrefix: () => 'D|',
  /** who follows `followed`, as far as the feed documents held say */
  follower: (followed: AuthorId, follower: AuthorId) => `f|${followed}|${follower}`,
  followerPrefix: (followed: AuthorId) => `f|${followed}|`,
}

/** refs table: per stored event, its author and every key written for it (what a purge deletes) */
export interface EventRefs {
  /** author of the event */
  readonly a: AuthorId
  /** event timestamp */
  readonly t: number
  /**
   * index keys written for the event (in table idx), except its author row (idx.author(a, t, id),
   * always purged) and its search rows (w + q). Refs written before listed those here too.
   */
  readonly k: string[]
  /** the event's search tokens: its posting-list rows are idx.searchRow(token, q) */
  readonly w?: string[]
  /** the suffix shared by the posting-list rows of the event's ingest batch */
  readonly q?: string
  /** in the community cache: the bytes it counts there */
  readonly c?: number
}

/** Keys of the posting-list rows that hold the event (both ways refs have named them). */
export function searchRowsOf(refs: EventRefs): string[] {
  const rows = refs.k.filter((key) => key.startsWith('s|'))
  if (refs.w !== undefined && refs.q !== undefined) for (const token of refs.w) rows.push(idx.searchRow(token, refs.q))
  return rows
}

/** Whether the event is indexed under a search token. */
export function hasSearchToken(refs: EventRefs, token: string): boolean {
  if (refs.w?.includes(token) === true) return true
  const prefix = idx.searchPrefix(token)
  return refs.k.some((key) => key.startsWith(prefix))
}

/** refs table: ids of stored events that reference a target we did not hold yet */
export const danglingKey = (target: EventId) => `d|${target}`

/** retracted table: a tombstone per (event id, retracting author) */
export const tombstoneKey = (id: EventId, author: AuthorId) => `${id}|${author}`

/** meta table */
export const meta = {
  actor: 'actor',
  /** set once the reference index (idx.reference) covers the events stored before it existed */
  referencesIndexed: 'referencesIndexed',
  /** set once the search rows of the events stored before tokenize.ts folded 繁體 to 简体 are folded */
  searchFolded: 'searchFolded',
  heads: (author: AuthorId) => `heads|${author}`,
  headsPrefix: 'heads|',
  /** what the community cache holds: { events, bytes } (community-cache.ts) */
  communityCache: 'communityCache',
  /** what the document cache holds: { docs, bytes } (document-cache.ts) */
  documentCache: 'documentCache',
  /** a document in the document cache: its entry key and the bytes it counts */
  cachedDoc: (author: AuthorId) => `cachedDoc|${author}`,
  /** set for an author outside my home set with an event kept here out of the community cache */
  keptAuthor: (author: AuthorId) => `kept|${author}`,
  /** the follow notification key written for (follower → followed) */
  follow: (follower: AuthorId, followed: AuthorId) => `follow|${follower}|${followed}`,
}

/** docs table: feed-document chunks, `<author>|<8-digit sequence>`; changes table: `<author>|<change hash>` */
export const docChunk = (author: AuthorId, seq: number) => `${author}|${String(seq).padStart(8, '0')}`
export const changeKey = (author: AuthorId, hash: string) => `${author}|${hash}`

/** private table */
export const priv = {
  mute: (author: AuthorId) => `mute|${author}`,
  block: (author: AuthorId) => `block|${author}`,
  bookmark: (id: EventId) => `bookmark|${id}`,
  bookmarkOrder: (at: number, id: EventId) => `bookmarks|${newestFirst(at)}|${id}`,
  setting: (name: string) => `setting|${name}`,
}
