// Joins signed events with what the screens need: author names and avatars (from feed
// documents), quoted posts, "reposted by", reply and reaction counts (the store's reference
// index), pending state; and hides muted words. Mutes and blocks are the store's: it leaves out
// their events, and getVisibleEvent leaves out their quoted and reposted posts.
import { MAX_MENTIONS } from '../../core/limits.ts'
import type { AuthorId, EventId, SignedEvent } from '../../core/types.ts'
import type { Notification, Profile, ReferenceCounts, Store } from '../../store/types.ts'
import type { AuthorView, NotificationView, PostView } from '../state/view-types.ts'
import { matchesMutedWord } from './device-settings.ts'

export interface ViewContext {
  readonly me: AuthorId
  readonly mutedWords: () => readonly string[]
  readonly pendingIds: () => ReadonlySet<string>
}

export interface PostViews {
  author(id: AuthorId): Promise<AuthorView>
  profileOf(id: AuthorId): Promise<Profile>
  forget(id: AuthorId): void
  posts(events: readonly SignedEvent[]): Promise<PostView[]>
  notifications(list: readonly Notification[]): Promise<NotificationView[]>
}

const EMPTY: Profile = { name: '', bio: '', avatar: '' }
const NO_COUNTS: ReferenceCounts = { replies: 0, reposts: 0, reactions: [] }

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

  const hidden = (e: SignedEvent): boolean => e.kind === 'post' && matchesMutedWord(`${e.body.text}\n${e.body.cw ?? ''}`, context.mutedWords())
  const visible = (id: EventId): Promise<SignedEvent | undefined> => store.getVisibleEvent(id).catch(() => undefined)

  async function basePost(e: Extract<SignedEvent, { kind: 'post' }>, withQuote: boolean): Promise<PostView> {
    let quote: PostView | null | undefined
    if (withQuote && e.body.quote !== undefined) {
      const quoted = await visible(e.body.quote)
      quote = quoted?.kind === 'post' && !hidden(quoted) ? await basePost(quoted, false) : null
    }
    const counts = await store.referenceCounts(e.id).catch(() => NO_COUNTS)
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
      reactions: counts.reactions,
      replyCount: counts.replies,
      mine: e.author === context.me,
      pending: context.pendingIds().has(e.id),
    }
  }

  async function viewOf(e: SignedEvent): Promise<PostView | undefined> {
    if (e.kind === 'post') return hidden(e) ? undefined : basePost(e, true)
    if (e.kind === 'repost') {
      const target = await visible(e.body.target)
      if (target?.kind !== 'post' || hidden(target)) return undefined
      return { ...(await basePost(target, true)), repostedBy: await author(e.author) }
    }
    return undefined // reactions are counted, not listed
  }

  return {
    author,
    profileOf,
    forget: (id) => {
      profiles.delete(id)
    },
    async posts(events) {
      const views = await Promise.all(events.map((e) => viewOf(e)))
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
