// Joins signed events with what the screens need: author names and avatars (from feed
// documents), quoted posts, "reposted by", pending state; and hides muted words.
import { MAX_MENTIONS } from '../../core/limits.ts'
import type { AuthorId, EventId, SignedEvent } from '../../core/types.ts'
import type { Notification, Profile, Store } from '../../store/types.ts'
import type { AuthorView, NotificationView, PostView, ReactionCount } from '../state/view-types.ts'
import { matchesMutedWord } from './device-settings.ts'

export interface ViewContext {
  readonly me: AuthorId
  readonly mutedWords: () => readonly string[]
  readonly pendingIds: () => ReadonlySet<string>
  /** muted and blocked people: the store hides their events, we also hide their reposted/quoted posts */
  readonly hiddenAuthors: () => ReadonlySet<string>
  readonly reactions: (target: EventId) => readonly ReactionCount[]
  readonly replyCount: (target: EventId) => number
}

export interface PostViews {
  author(id: AuthorId): Promise<AuthorView>
  profileOf(id: AuthorId): Promise<Profile>
  forget(id: AuthorId): void
  posts(events: readonly SignedEvent[], counts?: ReadonlyMap<EventId, number>): Promise<PostView[]>
  notifications(list: readonly Notification[]): Promise<NotificationView[]>
}

const EMPTY: Profile = { name: '', bio: '', avatar: '' }

export function createPostViews(store: Store, context: ViewContext): PostViews {
  const profiles = new Map<AuthorId, Promise<Profile>>()

  const profileOf = (id: AuthorId): Promise<Profile> => {
    let p = profiles.get(id)
    if (!p) {
      p = store.getProfile(id).catch(() => EMPTY)
      profiles.set(id, p)
    }
    return p
  }
  const author = async (id: AuthorId): Promise<AuthorView> => {
    const profile = await profileOf(id)
    return { id, name: profile.name || shortId(id), avatar: profile.avatar || undefined }
  }

  const hidden = (e: SignedEvent): boolean =>
    context.hiddenAuthors().has(e.author) ||
    (e.kind === 'post' && matchesMutedWord(`${e.body.text}\n${e.body.cw ?? ''}`, context.mutedWords()))

  async function basePost(e: Extract<SignedEvent, { kind: 'post' }>, replyCount: number, withQuote: boolean): Promise<PostView> {
    let quote: PostView | null | undefined
    if (withQuote && e.body.quote !== undefined) {
      const quoted = await store.getEvent(e.body.quote).catch(() => undefined)
      quote = quoted?.kind === 'post' && !hidden(quoted) ? await basePost(quoted, 0, false) : null
    }
    return {
      id: e.id,
      author: await author(e.author),
      text: e.body.text,
      ts: e.ts,
      cw: e.body.cw,
      lang: e.body.lang,
      reply: e.body.reply,
      quote,
      ...(e.body.mentions?.length ? { mentions: await Promise.all(e.body.mentions.slice(0, MAX_MENTIONS).map(author)) } : {}),
      reactions: context.reactions(e.id),
      replyCount: Math.max(replyCount, context.replyCount(e.id)),
      mine: e.author === context.me,
      pending: context.pendingIds().has(e.id),
    }
  }

  async function viewOf(e: SignedEvent, counts?: ReadonlyMap<EventId, number>): Promise<PostView | undefined> {
    if (e.kind === 'post') return hidden(e) ? undefined : basePost(e, counts?.get(e.id) ?? 0, true)
    if (e.kind === 'repost') {
      const target = await store.getEvent(e.body.target).catch(() => undefined)
      if (target?.kind !== 'post' || hidden(target)) return undefined
      return { ...(await basePost(target, counts?.get(target.id) ?? 0, true)), repostedBy: await author(e.author) }
    }
    return undefined // reactions are counted, not listed
  }

  return {
    author,
    profileOf,
    forget: (id) => { profiles.delete(id) },
    async posts(events, counts) {
      const views = await Promise.all(events.map((e) => viewOf(e, counts)))
      return views.filter((v): v is PostView => v !== undefined)
    },
    async notifications(list) {
      const out: NotificationView[] = []
      for (const n of list) {
        const post = n.event?.kind === 'post' ? await viewOf(n.event) : undefined
        if (n.event?.kind === 'post' && post === undefined) continue // muted word
        out.push({
          key: `${n.type}:${n.from}:${n.event?.id ?? n.ts}`,
          kind: n.type === 'quote' ? 'mention' : n.type,
          from: await author(n.from),
          ts: n.ts,
          post,
          emoji: n.event?.kind === 'reaction' ? n.event.body.emoji : undefined,
        })
      }
      return out
    },
  }
}

/** A readable stand-in for someone whose profile we do not have yet. */
export function shortId(id: AuthorId): string {
  return `${id.slice(8, 14)}…${id.slice(-4)}`
}
