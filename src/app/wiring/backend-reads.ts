// What the screens read: timelines, threads, notifications, search, profiles. Pages come from
// the store, views (names, counts, mute state) from post-views.ts; nothing here writes but the
// home snapshot and the one-time fetch of a stranger's feed document.
import type { AuthorId, EventId, SignedEvent } from '../../core/types.ts'
import { foldChinese } from '../../store/tokenize.ts'
import type { Store } from '../../store/types.ts'
import type { AppBackend } from '../state/backend.ts'
import type { AuthorView } from '../state/view-types.ts'
import type { AppDb } from './app-db.ts'
import type { CommunityIndex } from './community-index.ts'
import type { NetSession } from './net-session.ts'
import type { PostViews } from './post-views.ts'
import { createFetchOnce } from './fetch-once.ts'

export const PAGE = 30
const pageSize = (limit: number): number => Math.max(1, Math.min(200, Math.floor(limit)))
/** how many known authors search and mention completion look at, at most */
const AUTHORS_SCANNED = 500

export type BackendReads = Pick<
  AppBackend,
  | 'homeTimeline'
  | 'communityTimeline'
  | 'authorPosts'
  | 'thread'
  | 'bookmarks'
  | 'suggestedPeople'
  | 'notifications'
  | 'search'
  | 'mentionCandidates'
  | 'profile'
  | 'blockedAndMuted'
>

export function createBackendReads(init: {
  db: AppDb
  store: Store
  me: AuthorId
  views: PostViews
  community: CommunityIndex
  session(): NetSession | undefined
  notify(): void
}): BackendReads {
  const { db, store, me, views, community } = init
  // names are matched as search matches text: 简 and 繁 find each other
  const folded = (text: string): string => foldChinese(text.normalize('NFKC').toLowerCase())

  // someone I do not follow: their feed document (profile, lists) and posts, fetched once a relay answered
  const fetchProfile = createFetchOnce(async (author: AuthorId) => {
    const reports = (await init.session()?.network.syncNow({ authors: [author] })) ?? []
    if (reports.length === 0) return false
    views.forget(author)
    init.notify()
    return true
  })
  // replies by people I do not follow come from a relay when the thread is first opened
  const fetchThread = createFetchOnce(async (root: EventId) => {
    const session = init.session()
    if (session === undefined) return false
    if ((await session.openThread(root)) > 0) init.notify()
    return true
  })

  return {
    async homeTimeline(cursor, limit = PAGE) {
      const page = await store.homeTimeline({ limit: pageSize(limit), ...(cursor ? { cursor } : {}) })
      const items = await views.posts(page.items)
      // the snapshot painted at the next cold start, before Automerge or the store load
      if (!cursor) db.put('snapshot', items.slice(0, PAGE)).catch(() => undefined)
      return { items, cursor: page.cursor }
    },
    async communityTimeline(cursor, limit = PAGE) {
      const start = cursor ? Number(cursor) : 0
      const size = pageSize(limit)
      const ids = community.page(start, size)
      const events = (await Promise.all(ids.map((id) => store.getEvent(id)))).filter((e): e is SignedEvent => e !== undefined)
      return { items: await views.posts(events), cursor: ids.length === size ? String(start + size) : undefined }
    },
    async authorPosts(author, cursor, limit = PAGE) {
      const page = await store.authorPosts(author, { limit: pageSize(limit), ...(cursor ? { cursor } : {}) })
      return { items: await views.posts(page.items), cursor: page.cursor }
    },
    async thread(id) {
      const event = await store.getEvent(id)
      if (!event || event.kind !== 'post') return []
      const root = event.body.reply?.root ?? id
      fetchThread(root)
      const page = await store.thread(root, { limit: 200 })
      // depth of each reply below the root, for indentation (parents come before replies)
      const depth = new Map<string, number>()
      for (const e of page.items) {
        const parent = e.kind === 'post' ? e.body.reply?.parent : undefined
        depth.set(e.id, parent === undefined ? 0 : (depth.get(parent) ?? 0) + 1)
      }
      return (await views.posts(page.items)).map((p) => ({ ...p, depth: depth.get(p.id) ?? 0 }))
    },
    async bookmarks(cursor) {
      const page = await store.bookmarks({ limit: PAGE, ...(cursor ? { cursor } : {}) })
      return { items: await views.posts(page.items), cursor: page.cursor }
    },
    async suggestedPeople(limit = 8) {
      const [follows, blocked] = await Promise.all([store.getFollows(me), store.listBlocked()])
      const skip = new Set<AuthorId>([me, ...follows, ...blocked])
      // whom my follows follow, by how many of them do (bounded: the first 50 follows)
      const votes = new Map<AuthorId, number>()
      for (const list of await Promise.all(follows.slice(0, 50).map((a) => store.getFollows(a).catch(() => [])))) {
        for (const a of list) if (!skip.has(a)) votes.set(a, (votes.get(a) ?? 0) + 1)
      }
      const ranked = [...votes].sort((x, y) => y[1] - x[1]).map(([a]) => a)
      // then who has posted lately on my relays (the community timeline)
      const recent = (await Promise.all(community.page(0, 100).map((id) => store.getEvent(id)))).flatMap((e) => (e && !skip.has(e.author) ? [e.author] : []))
      const ids = [...new Set([...ranked, ...recent])].slice(0, Math.max(1, Math.min(limit, 20)))
      return Promise.all(ids.map(views.author))
    },
    async notifications() {
      return views.notifications((await store.notifications({ limit: 50 })).items)
    },
    async search(query) {
      const q = query.trim()
      if (!q) return { posts: [], people: [] }
      const page = q.startsWith('#') ? await store.hashtag(q.slice(1), { limit: PAGE }) : await store.search(q, { limit: PAGE })
      const needle = folded(q)
      const authors = (await store.listAuthors()).slice(0, AUTHORS_SCANNED)
      const people = (await Promise.all(authors.map(views.author))).filter((a) => folded(a.name).includes(needle) || a.id === q)
      return { posts: await views.posts(page.items), people: people.slice(0, 20) }
    },
    async mentionCandidates(prefix, limit = 8) {
      const needle = folded(prefix)
      const [follows, followers, seen, blocked] = await Promise.all([store.getFollows(me), store.getFollowers(me), store.listAuthors(), store.listBlocked()])
      // the order says who comes first among equally good matches; bounded like search
      const ids = [...new Set([...follows, ...followers, ...seen.slice(0, AUTHORS_SCANNED)])].filter((a) => a !== me && !blocked.includes(a))
      const people = await Promise.all(ids.map(views.author))
      const name = (a: AuthorView): string => folded(a.name)
      const starts = people.filter((a) => name(a).startsWith(needle))
      const contains = people.filter((a) => !name(a).startsWith(needle) && name(a).includes(needle))
      return [...starts, ...contains].slice(0, Math.min(limit, 20))
    },
    async profile(author) {
      if (author !== me) fetchProfile(author)
      const [profile, follows, followers, myFollows, muted, blocked] = await Promise.all([
        views.profileOf(author),
        store.getFollows(author),
        store.getFollowers(author),
        store.getFollows(me),
        store.listMuted(),
        store.listBlocked(),
      ])
      return {
        author: await views.author(author),
        bio: profile.bio,
        isMe: author === me,
        following: myFollows.includes(author),
        muted: muted.includes(author),
        blocked: blocked.includes(author),
        followingCount: follows.length,
        follows: await Promise.all(follows.slice(0, 50).map(views.author)),
        followerCount: followers.length,
        followers: await Promise.all(followers.slice(0, 50).map(views.author)),
        missingPosts: init.session()?.network.missingCount(author) ?? 0,
      }
    },
    async blockedAndMuted() {
      const ids = [...new Set([...(await store.listBlocked()), ...(await store.listMuted())])]
      return Promise.all(ids.map(views.author))
    },
  }
}
