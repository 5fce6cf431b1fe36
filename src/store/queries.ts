// Cursor-paginated reads over the derived indexes (protocol/feed-document.md §5).
// A page scans index keys in order, resolves them to events, drops what mutes/blocks/purges
// hide, and returns the last scanned key as the cursor: stable under concurrent inserts.
import { decodeEvent } from '../core/event-decode.ts'
import { normalizeHashtag } from '../core/text.ts'
import type { AuthorId, EventId, SignedEvent } from '../core/types.ts'
import { hasSearchToken, idx, lastSegment, SEP } from './keys.ts'
import type { EventRefs } from './keys.ts'
import { decodeJson } from './json.ts'
import { decodePostings } from './postings.ts'
import type { Storage } from './storage.ts'
import { queryTokens } from './tokenize.ts'
import type { Notification, NotificationType, Page, PageOptions } from './types.ts'

export const DEFAULT_PAGE = 20
export const MAX_PAGE = 200

export interface Visibility {
  /** hidden from timelines, threads, search and notifications */
  isMuted(author: AuthorId): boolean
  /** hidden everywhere, their own page included */
  isBlocked(author: AuthorId): boolean
}

export function resolvePageLimit(options?: PageOptions): number {
  const n = options?.limit ?? DEFAULT_PAGE
  // NaN would survive min/max, and scanPage would then never find a full page: it would loop
  if (Number.isNaN(n)) return DEFAULT_PAGE
  return Math.max(1, Math.min(MAX_PAGE, Math.trunc(n)))
}

/** Stored events are already verified: decode only (no signature, no clock check). */
export function decodeStored(bytes: Uint8Array): SignedEvent {
  return decodeEvent(bytes, { now: Number.MAX_SAFE_INTEGER / 2 })
}

export async function getEvents(storage: Storage, ids: readonly string[]): Promise<Array<SignedEvent | undefined>> {
  const values = await storage.getMany('events', ids)
  return values.map((v) => (v === undefined ? undefined : decodeStored(v)))
}

/**
 * Scans `prefix` from the cursor and keeps the items `resolve` returns (undefined = skip)
 * until `limit` are found or the index ends.
 */
export async function scanPage<T>(
  storage: Storage,
  prefix: string,
  options: PageOptions | undefined,
  resolve: (keys: string[]) => Promise<Array<T | undefined>>,
  table: 'idx' | 'private' = 'idx',
): Promise<Page<T>> {
  const limit = resolvePageLimit(options)
  const items: T[] = []
  let after = options?.cursor
  if (after !== undefined && !after.startsWith(prefix)) after = undefined // a cursor of another list
  for (;;) {
    const want = Math.min(MAX_PAGE * 2, (limit - items.length) * 2 + 4)
    const keys = await storage.rangeKeys(table, { prefix, limit: want, ...(after === undefined ? {} : { after }) })
    const resolved = await resolve(keys)
    for (let i = 0; i < keys.length; i++) {
      const item = resolved[i]
      if (item !== undefined) items.push(item)
      if (items.length === limit) return { items, cursor: keys[i] }
    }
    if (keys.length < want) return { items, cursor: undefined }
    after = keys.at(-1)
  }
}

function eventResolver(storage: Storage, keep: (e: SignedEvent) => boolean) {
  return async (keys: string[]) => (await getEvents(storage, keys.map(lastSegment))).map((e) => (e !== undefined && keep(e) ? e : undefined))
}

export function homeTimeline(storage: Storage, v: Visibility, options?: PageOptions): Promise<Page<SignedEvent>> {
  return scanPage(
    storage,
    idx.homePrefix(),
    options,
    eventResolver(storage, (e) => !v.isMuted(e.author) && !v.isBlocked(e.author)),
  )
}

export function authorPosts(storage: Storage, v: Visibility, author: AuthorId, options?: PageOptions): Promise<Page<SignedEvent>> {
  if (v.isBlocked(author)) return Promise.resolve({ items: [], cursor: undefined })
  return scanPage(
    storage,
    idx.authorPrefix(author),
    options,
    eventResolver(storage, () => true),
  )
}

export function hashtag(storage: Storage, v: Visibility, tag: string, options?: PageOptions): Promise<Page<SignedEvent>> {
  const normalized = normalizeHashtag(tag.trim())
  if (normalized === '') return Promise.resolve({ items: [], cursor: undefined })
  return scanPage(
    storage,
    idx.tagPrefix(normalized),
    options,
    eventResolver(storage, (e) => !v.isMuted(e.author) && !v.isBlocked(e.author)),
  )
}

export async function thread(storage: Storage, v: Visibility, root: EventId, options?: PageOptions): Promise<Page<SignedEvent>> {
  const visible = (e: SignedEvent) => !v.isMuted(e.author) && !v.isBlocked(e.author)
  const replies = await scanPage(storage, idx.threadPrefix(root), options, eventResolver(storage, visible))
  if (options?.cursor !== undefined) return replies
  const [first] = await getEvents(storage, [root])
  return first !== undefined && !v.isBlocked(first.author) ? { items: [first, ...replies.items], cursor: replies.cursor } : replies
}

/**
 * Every query token must match. The posting-list rows of the longest token are scanned (rows
 * are per ingest batch, newest batch first); the cursor is `<row key>#<offset in row>`.
 */
export async function search(storage: Storage, v: Visibility, query: string, options?: PageOptions): Promise<Page<SignedEvent>> {
  const tokens = queryTokens(query).sort((a, b) => b.length - a.length)
  const [first, ...rest] = tokens
  if (first === undefined) return { items: [], cursor: undefined }
  const prefix = idx.searchPrefix(first)
  const limit = resolvePageLimit(options)
  const items: SignedEvent[] = []
  let [rowKey, skip] = parseSearchCursor(options?.cursor, prefix)
  // resume inside the cursor's row: read it again
  let inclusive = rowKey !== undefined
  for (;;) {
    const rows =
      inclusive && rowKey !== undefined
        ? [{ key: rowKey, value: await storage.get('idx', rowKey) }].filter((r): r is { key: string; value: Uint8Array } => r.value !== undefined)
        : await storage.range('idx', { prefix, limit: 16, ...(rowKey === undefined ? {} : { after: rowKey }) })
    inclusive = false
    if (rows.length === 0) return { items, cursor: undefined }
    for (const row of rows) {
      const entries = decodePostings(row.value) ?? []
      const ids = entries.slice(skip).map(([, id]) => id)
      const [events, refs] = await Promise.all([getEvents(storage, ids), rest.length ? storage.getMany('refs', ids) : Promise.resolve([])])
      for (let i = 0; i < ids.length; i++) {
        const e = events[i]
        const have = rest.length ? decodeJson<EventRefs>(refs[i]) : undefined
        const ok = e !== undefined && !v.isMuted(e.author) && !v.isBlocked(e.author) && rest.every((t) => have !== undefined && hasSearchToken(have, t))
        if (ok) items.push(e)
        if (items.length === limit) return { items, cursor: `${row.key}#${skip + i + 1}` }
      }
      skip = 0
      rowKey = row.key
    }
  }
}

function parseSearchCursor(cursor: string | undefined, prefix: string): [string | undefined, number] {
  if (cursor === undefined || !cursor.startsWith(prefix)) return [undefined, 0]
  const at = cursor.lastIndexOf('#')
  const skip = Number(cursor.slice(at + 1))
  return at < 0 || !Number.isSafeInteger(skip) || skip < 0 ? [undefined, 0] : [cursor.slice(0, at), skip]
}

export function notifications(storage: Storage, v: Visibility, me: AuthorId, options?: PageOptions): Promise<Page<Notification>> {
  return scanPage(storage, idx.notificationPrefix(me), options, async (keys) => {
    const parsed = keys.map((k) => {
      const parts = k.split(SEP) // n | me | ts | type | id-or-follower
      return { ts: 9_999_999_999_999 - Number(parts[2]), type: parts[3] as NotificationType, ref: parts[4] ?? '' }
    })
    const events = await getEvents(
      storage,
      parsed.map((p) => (p.type === 'follow' ? '' : p.ref)),
    )
    return parsed.map((p, i): Notification | undefined => {
      if (p.type === 'follow') {
        const from = p.ref as AuthorId
        return v.isMuted(from) || v.isBlocked(from) ? undefined : { type: 'follow', from, ts: p.ts }
      }
      const e = events[i]
      if (e === undefined || v.isMuted(e.author) || v.isBlocked(e.author)) return undefined
      return { type: p.type, from: e.author, ts: e.ts, event: e }
    })
  })
}

export function bookmarks(storage: Storage, v: Visibility, options?: PageOptions): Promise<Page<SignedEvent>> {
  return scanPage(
    storage,
    'bookmarks|',
    options,
    eventResolver(storage, (e) => !v.isBlocked(e.author)),
    'private',
  )
}
