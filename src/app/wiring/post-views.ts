// Joins signed events with what the screens need: author names and avatars (from feed
// documents), quoted posts, "reposted by", reply and reaction counts (the store's reference
// index), pending state; and hides muted words. Mutes and blocks are the store's: it leaves out
// their events, and getVisibleEvent leaves out their quoted and reposted posts.
import { MAX_MENTIONS } from '../../core/limits.ts'
import type { AuthorId, EventId, ImageRef, Post, SignedEvent } from '../../core/types.ts'
import type { Notification, Profile, ReferenceCounts, Store } from '../../store/types.ts'
import type { AuthorView, EditedView, NotificationView, PostView } from '../state/view-types.ts'
import { matchesMutedWord } from './device-settings.ts'

export interface ViewContext {
  readonly me: AuthorId
  readonly mutedWords: () => readonly string[]
  readonly pendingIds: () => ReadonlySet<string>
  /** a quoted or reposted post this device does not hold (asked of the relays) */
  readonly missing?: (id: EventId) => void
}

export interface PostViews {
  author(id: AuthorId): Promise<AuthorView>
  profileOf(id: AuthorId): Promise<Profile>
  forget(id: AuthorId): void
  /** the blobs (photos, thumbnails) of posts viewed here, for those of these ids */
  imagesOf(ids: readonly EventId[]): string[]
  /** the posts viewed here that show this blob (the photo cache deletes it with them) */
  postsWithImage(sha256: string): EventId[]
  posts(events: readonly SignedEvent[]): Promise<PostView[]>
  notifications(list: readonly Notification[]): Promise<NotificationView[]>
}

const EMPTY: Profile = { name: '', bio: '', avatar: '' }
const NO_COUNTS: ReferenceCounts = { replies: 0, reposts: 0, reactions: [] }

/** posts with photos remembered, at most: a deleted one's photos are dropped from memory */
const IMAGES_REMEMBERED = 2_000

export function createPostViews(store: Store, context: ViewContext): PostViews {
  const profiles = new Map<AuthorId, Promise<Profile>>()
  const imagesByPost = new Map<EventId, string[]>()

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
    (e.kind === 'post' || e.kind === 'edit') && matchesMutedWord(`${e.body.text}\n${e.body.cw ?? ''}`, context.mutedWords())
  const visible = (id: EventId): Promise<SignedEvent | undefined> => store.getVisibleEvent(id).catch(() => undefined)
  // not held, as opposed to held and hidden (a block, a mute, a retraction): only then is it asked for
  const missing = async (id: EventId): Promise<void> => {
    if (context.missing !== undefined && (await store.getEvent(id).catch(() => undefined)) === undefined) context.missing(id)
  }

  async function basePost(e: Post, withQuote: boolean): Promise<PostView> {
    // what it says now: its author's newest edit, if any (protocol/events.md §10)
    const versions = await store.versions(e.id).catch(() => [e])
    const now = versions.at(-1) ?? e
    const body = now.kind === 'post' || now.kind === 'edit' ? now.body : e.body
    let quote: PostView | null | undefined
    if (withQuote && e.body.quote !== undefined) {
      const quoted = await visible(e.body.quote)
      if (quoted === undefined) await missing(e.body.quote)
      quote = quoted?.kind === 'post' && !hidden(quoted) ? await basePost(quoted, false) : null
    }
    const [counts, bookmarked] = await Promise.all([store.referenceCounts(e.id).catch(() => NO_COUNTS), store.isBookmarked(e.id).catch(() => false)])
    return {
      id: e.id,
      author: await author(e.author),
      text: body.text,
      ts: e.ts,
      cw: body.cw,
      lang: body.lang,
      reply: e.body.reply,
      quote,
      ...(e.body.images?.length ? { images: rememberImages(e.id, e.body.images) } : {}),
      ...(body.mentions?.length ? { mentions: await Promise.all(body.mentions.slice(0, MAX_MENTIONS).map(author)) } : {}),
      ...(versions.length > 1 ? { edited: editedView(versions) } : {}),
      reactions: counts.reactions,
      replyCount: counts.replies,
      myRepost: counts.myRepost,
      bookmarked,
      mine: e.author === context.me,
      pending: context.pendingIds().has(e.id),
    }
  }

  function rememberImages(id: EventId, images: readonly ImageRef[]): readonly ImageRef[] {
    imagesByPost.set(
      id,
      images.flatMap((i) => [i.sha256, ...(i.thumb ? [i.thumb] : [])]),
    )
    if (imagesByPost.size > IMAGES_REMEMBERED) imagesByPost.delete(imagesByPost.keys().next().value!)
    return images
  }

  async function viewOf(e: SignedEvent): Promise<PostView | undefined> {
    if (e.kind === 'post') return hidden(e) ? undefined : basePost(e, true)
    if (e.kind === 'edit') {
      // found by what an edit says (search, hashtags): shown as its post
      const target = await visible(e.body.target)
      return target?.kind === 'post' && target.author === e.author ? viewOf(target) : undefined
    }
    if (e.kind === 'repost') {
      const target = await visible(e.body.target)
      if (target === undefined) await missing(e.body.target)
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
    imagesOf: (ids) => ids.flatMap((id) => imagesByPost.get(id) ?? []),
    postsWithImage: (sha256) => [...imagesByPost].filter(([, shas]) => shas.includes(sha256)).map(([id]) => id),
    async posts(events) {
      const views = await Promise.all(events.map((e) => viewOf(e)))
      // a post and its edit found by one search are one post
      const seen = new Set<string>()
      return views.filter((v): v is PostView => {
        if (v === undefined) return false
        const key = `${v.id}:${v.repostedBy?.id ?? ''}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
    },
    async notifications(list) {
      const out: NotificationView[] = []
      for (const n of list) {
        const post = n.event?.kind === 'post' ? await viewOf(n.event) : undefined
        if (n.event?.kind === 'post' && post === undefined) continue // muted word
        out.push({
          key: `${n.type}:${n.from}:${n.event?.id ?? n.ts}`,
          kind: n.type,
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

/** A post's versions (oldest first, the post itself first) as the card shows them. */
function editedView(versions: readonly SignedEvent[]): EditedView {
  const earlier = versions.slice(0, -1).flatMap((v) => (v.kind === 'post' || v.kind === 'edit' ? [{ text: v.body.text, cw: v.body.cw, ts: v.ts }] : []))
  return { at: versions.at(-1)!.ts, earlier: earlier.reverse() }
}
