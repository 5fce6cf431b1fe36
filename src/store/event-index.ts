// Which index keys an event gets (protocol/feed-document.md §Local storage layout). Pure:
// the caller supplies what it knows about referenced events. Home-timeline keys are not
// listed here: they depend on whom I follow and are derived from (ts, id) when needed.
import { extractHashtags, normalizeHashtag } from '../core/text.ts'
import type { AuthorId, EventId, SignedEvent } from '../core/types.ts'
import { idx } from './keys.ts'
import { indexTokens } from './tokenize.ts'

export type RefType = 'reply' | 'quote' | 'reaction' | 'repost'

/** A reference from `id` (by `from`, at `ts`) to an event, as kept until the target arrives. */
export interface PendingRef {
  readonly id: EventId
  readonly type: RefType
  readonly from: AuthorId
  readonly ts: number
}

/** Events this event points at, with the kind of notification their author gets. */
export function listReferences(e: SignedEvent): Array<{ target: EventId; type: RefType }> {
  if (e.kind === 'reaction') return [{ target: e.body.target, type: 'reaction' }]
  if (e.kind === 'repost') return [{ target: e.body.target, type: 'repost' }]
  if (e.kind === 'edit') return [] // of the author's own post: no notification, no count
  const out: Array<{ target: EventId; type: RefType }> = []
  if (e.body.reply) out.push({ target: e.body.reply.parent, type: 'reply' })
  if (e.body.quote !== undefined) out.push({ target: e.body.quote, type: 'quote' })
  return out
}

/**
 * Index keys of an event. `authorOf` gives the author of a referenced event when known.
 * Notifications are kept only for `me` (the only reader of them; none on a relay).
 */
export function indexKeysOf(e: SignedEvent, authorOf: (id: EventId) => AuthorId | undefined, me: AuthorId | undefined): string[] {
  const keys: string[] = []
  if (isTimelineItem(e)) keys.push(idx.author(e.author, e.ts, e.id))
  if (e.kind === 'edit') {
    keys.push(idx.edit(e.body.target, e.ts, e.id))
    for (const tag of hashtagsOf(e.body)) keys.push(idx.tag(tag, e.ts, e.id))
    return keys // of the author's own post: no notification, no count
  }
  if (e.kind === 'post') {
    const body = e.body
    if (body.reply) keys.push(idx.thread(body.reply.root, e.ts, e.id))
    for (const tag of hashtagsOf(body)) keys.push(idx.tag(tag, e.ts, e.id))
    if (me !== undefined && me !== e.author && body.mentions?.includes(me)) keys.push(idx.notification(me, e.ts, 'mention', e.id))
  }
  if (me !== undefined && e.author !== me) {
    for (const ref of listReferences(e)) if (authorOf(ref.target) === me) keys.push(idx.notification(me, e.ts, ref.type, e.id))
  }
  if (me !== undefined) keys.push(...referenceKeysOf(e))
  return keys
}

/** A post's or an edit's hashtags: its tags and those in its text, normalized. */
function hashtagsOf(body: { readonly text: string; readonly tags?: readonly string[] }): string[] {
  return [...new Set([...(body.tags ?? []).map(normalizeHashtag), ...extractHashtags(body.text)])].filter((tag) => tag !== '')
}

/**
 * Whether an event, by its author and index keys, is kept outside the community cache
 * (community-cache.ts): mine, my home set's, or one that concerns me (it has a notification for
 * me: a reply, mention, quote, reaction or repost of mine). Asked when it is planned, and again
 * at eviction, when someone may have been followed since or a notification written.
 */
export function isKeptForMe(author: AuthorId, keys: readonly string[], homeSet: ReadonlySet<AuthorId>, me: AuthorId): boolean {
  if (author === me || homeSet.has(author)) return true
  const mine = idx.notificationPrefix(me)
  return keys.some((key) => key.startsWith(mine))
}

/** The reference-index keys of an event (what referenceCounts counts): none for a plain post. */
export function referenceKeysOf(e: SignedEvent): string[] {
  if (e.kind === 'reaction') return [idx.reference(e.body.target, 'reaction', e.author, e.id, e.body.emoji)]
  if (e.kind === 'repost') return [idx.reference(e.body.target, 'repost', e.author, e.id)]
  if (e.kind === 'edit') return []
  return e.body.reply ? [idx.reference(e.body.reply.parent, 'reply', e.author, e.id)] : []
}

/**
 * Search tokens of an event (posts only). Their index rows are posting lists shared by the
 * events of one ingest batch (plan-events.ts): one row per token per batch, not per event,
 * because every row is a separate IndexedDB request and a post has ~10–30 tokens.
 */
export function searchTokensOf(e: SignedEvent): string[] {
  if (e.kind !== 'post' && e.kind !== 'edit') return []
  return indexTokens(e.body.cw === undefined ? e.body.text : `${e.body.cw}\n${e.body.text}`)
}

/** Home timeline: posts and reposts (reactions are not timeline items, nor edits: they show in their post). */
export function isTimelineItem(e: SignedEvent): boolean {
  return e.kind === 'post' || e.kind === 'repost'
}
