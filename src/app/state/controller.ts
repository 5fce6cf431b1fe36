// The app's state and its transitions: which route is shown, its data (loaded from the
// backend), the language, the connection state. Signals, so the UI re-renders what changed.
// The backend arrives after first paint (it loads Automerge's wasm), until then the screen
// shows the cached snapshot of the home timeline, or onboarding on a first visit.
import { batch, signal } from '@preact/signals'
import type { AuthorId, EventId } from '../../core/types.ts'
import { createTranslator, type UiLanguage } from '../i18n/index.ts'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { parseRoute, routeHref, type Route } from '../lib/route.ts'
import { countUnseen, markSeen, type SeenNotifications } from '../lib/seen-notifications.ts'
import { holdNewPosts } from './hold-new-posts.ts'
import type { AppBackend } from './backend.ts'
import type { ReleaseView } from './release-view.ts'
import { showsRoute, type Screen } from './screen.ts'
import type { ConnectionView, PostDraft, PostView } from './view-types.ts'

export type Phase = 'starting' | 'onboarding' | 'ready'

export interface ControllerInit {
  readonly language: UiLanguage
  readonly snapshot: readonly PostView[]
  readonly saveLanguage: (language: UiLanguage) => void
  readonly navigate: (href: string) => void
  readonly loadSeen: () => SeenNotifications
  readonly saveSeen: (seen: SeenNotifications) => void
  /** how far the page is scrolled (px): below READING_PX a refresh shows new posts at once */
  readonly scrollTop?: () => number
}

// about two post cards: someone scrolled further than this is reading, not waiting at the top
const READING_PX = 200

const OFFLINE: ConnectionView = { state: 'offline', relays: [], peers: 0, queued: 0, learned: [] }

export function createController(init: ControllerInit) {
  const phase = signal<Phase>('starting')
  const language = signal<UiLanguage>(init.language)
  const route = signal<Route>({ name: 'home' })
  const screen = signal<Screen>({ kind: 'timeline', which: 'home', posts: init.snapshot })
  const connection = signal<ConnectionView>(OFFLINE)
  const compose = signal<{ replyTo?: PostView | undefined; quote?: PostView | undefined; edit?: PostView | undefined }>({})
  const notice = signal('')
  const now = signal(Date.now())
  const unread = signal(0)
  const unreadMessages = signal(0)
  // set by the service worker's client (wiring/app-worker.ts)
  const release = signal<ReleaseView | undefined>(undefined)
  let backend: AppBackend | undefined
  let unsubscribe: (() => void) | undefined
  // One load at a time, and one more after it for all who asked meanwhile. Any store or network
  // change asks for a refresh; were each to supersede the load in flight, a stream of changes
  // faster than a load takes (a busy phone, a sync) would never show a result, not even the
  // person's own post.
  let nextLoad: Pass | undefined
  let loading = false
  let refreshTimer: ReturnType<typeof setTimeout> | undefined
  let storeMarked = false
  // The reader asked for the held-back posts and no load has shown them yet. Kept apart from the
  // load that was asked: a refresh starting meanwhile (any store or network change) supersedes
  // that load, and must show them too rather than hold them back again — the page is still
  // scrolled down until they are shown.
  let showNewAsked = false

  const t = () => createTranslator(language.value)

  /**
   * Reads the current route's screen; resolves once a read that started after this call is shown.
   * `askedToShowNew`: the reader asked for the held-back posts (the "N new posts" button).
   */
  function load(askedToShowNew = false): Promise<void> {
    if (askedToShowNew) showNewAsked = true
    nextLoad ??= newPass()
    const { done } = nextLoad
    if (!loading) void runLoads()
    return done
  }

  async function runLoads(): Promise<void> {
    loading = true
    while (nextLoad !== undefined) {
      const pass = nextLoad
      nextLoad = undefined
      try {
        while (!(await loadOnce())) {
          // read again: the screen changed under this read
        }
        pass.resolve()
      } catch (error) {
        pass.reject(error)
      }
    }
    loading = false
  }

  /** false when "load more" added a page while this ran: what was read is from before it */
  async function loadOnce(): Promise<boolean> {
    const b = backend
    if (!b) return true
    const showNew = showNewAsked
    const r = route.value
    // a refresh keeps as many posts as were shown ("load more" pages included), up to 200
    const before = screen.value
    const shown = before.kind === 'timeline' || before.kind === 'profile' || before.kind === 'bookmarks' ? before.posts.length : 0
    const limit = Math.min(200, Math.max(30, shown))
    let next: Screen
    try {
      switch (r.name) {
        case 'home':
        case 'community': {
          const same = before.kind === 'timeline' && before.which === r.name
          // reading the home timeline further down: a refresh must not move what is on screen
          const hold = !showNew && same && r.name === 'home' && before.posts.length > 0 && (init.scrollTop?.() ?? 0) > READING_PX
          if (hold) {
            const page = await b.homeTimeline(undefined, Math.min(200, shown + 30))
            const held = holdNewPosts(before.posts, page.items, page.cursor === undefined)
            next = { kind: 'timeline', which: 'home', posts: held.posts, cursor: before.cursor, newCount: held.newCount }
            break
          }
          const page =
            r.name === 'home' ? await b.homeTimeline(undefined, same ? limit : undefined) : await b.communityTimeline(undefined, same ? limit : undefined)
          // an empty home (a newcomer without an invite): people to follow
          const suggestions = r.name === 'home' && page.items.length === 0 ? await b.suggestedPeople() : undefined
          next = { kind: 'timeline', which: r.name, posts: page.items, cursor: page.cursor, suggestions }
          break
        }
        case 'bookmarks': {
          const page = await b.bookmarks()
          next = { kind: 'bookmarks', posts: page.items, cursor: page.cursor }
          break
        }
        case 'thread':
          next = { kind: 'thread', id: r.id, posts: await b.thread(r.id as EventId) }
          break
        case 'me':
        case 'profile': {
          const author = (r.name === 'me' ? b.me : r.author) as AuthorId
          const same = before.kind === 'profile' && before.profile.author.id === author
          const [profile, page, lists, myLists] = await Promise.all([
            b.profile(author),
            b.authorPosts(author, undefined, same ? limit : undefined),
            b.listsOf(author),
            b.listsOf(b.me),
          ])
          next = { kind: 'profile', profile, posts: page.items, cursor: page.cursor, lists, myLists }
          break
        }
        case 'edit-profile':
          next = { kind: 'edit-profile', profile: await b.profile(b.me) }
          break
        case 'notifications':
          next = { kind: 'notifications', items: await b.notifications() }
          break
        case 'search':
          next = { kind: 'search', query: r.query, results: r.query ? await b.search(r.query) : undefined }
          break
        case 'settings': {
          const [blocked, settings, mine, subscribed] = await Promise.all([b.blockedAndMuted(), b.privateSettings(), b.listsOf(b.me), b.subscribedLists()])
          next = { kind: 'settings', blocked, personal: { settings, mine, subscribed } }
          break
        }
        case 'messages':
        case 'requests':
          next = { kind: 'messages', folder: r.name === 'requests' ? 'requests' : 'inbox', conversations: await b.conversations(), delivery: b.delivery() }
          break
        case 'conversation':
          next = { kind: 'conversation', detail: await b.conversation(r.peer as AuthorId) }
          // read on this device is read on all of mine (a sealed change of the private document)
          void b.markRead(r.peer as AuthorId).catch(() => undefined)
          break
      }
    } catch (error) {
      next = { kind: 'error', code: codeOf(error) }
    }
    const count = await countUnread(b, next).catch(() => 0)
    const dmCount = await b.unreadConversations().catch(() => 0)
    if (route.value !== r) return true // the person went elsewhere: the next pass reads that
    if (!storeMarked && next.kind !== 'error') {
      storeMarked = true
      // the first screen read from the store itself (not the snapshot): for the benchmark
      requestAnimationFrame(() => performance.mark('wg:store-timeline-paint'))
    }
    if (screen.value !== before) return false
    if (showNew) showNewAsked = false
    batch(() => {
      unread.value = count
      unreadMessages.value = dmCount
      screen.value = next
      connection.value = b.connection()
      now.value = Date.now()
    })
    return true
  }

  // notifications newer than the newest one seen on the notifications screen
  async function countUnread(b: AppBackend, shown: Screen): Promise<number> {
    const seen = init.loadSeen()
    if (shown.kind === 'notifications') {
      const now = markSeen(seen, shown.items)
      if (now !== seen) init.saveSeen(now)
      return 0
    }
    return countUnseen(await b.notifications(), seen)
  }

  function scheduleRefresh(): void {
    if (refreshTimer !== undefined) return
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined
      void load()
    }, 150)
  }

  async function act(work: () => Promise<unknown>): Promise<void> {
    try {
      await work()
    } catch (error) {
      notice.value = describeError(t(), codeOf(error))
    }
    await load()
  }

  return {
    phase,
    language,
    route,
    screen,
    connection,
    compose,
    notice,
    now,
    unread,
    unreadMessages,
    release,
    get backend() {
      return backend
    },
    t,
    setRoute(hash: string): void {
      route.value = parseRoute(hash)
      if (route.value.name !== 'home') compose.value = {}
      if (!showsRoute(screen.value, route.value)) screen.value = { kind: 'loading' }
      void load()
    },
    navigate(next: Route): void {
      init.navigate(routeHref(next))
    },
    setLanguage(next: UiLanguage): void {
      language.value = next
      document.documentElement.lang = next
      init.saveLanguage(next)
    },
    attach(next: AppBackend): void {
      unsubscribe?.()
      backend = next
      unsubscribe = next.subscribe(() => {
        connection.value = next.connection()
        scheduleRefresh()
      })
      phase.value = 'ready'
      document.documentElement.dataset.backend = 'ready' // tests and benchmarks wait for it
      performance.mark('wg:backend-ready')
      void load()
    },
    needOnboarding(): void {
      phase.value = 'onboarding'
    },
    /** the wiring could not start (storage blocked, wasm missing offline...): say so */
    showFatal(error: unknown): void {
      batch(() => {
        phase.value = 'ready'
        screen.value = { kind: 'error', code: codeOf(error) }
      })
    },
    refresh: (): Promise<void> => load(),
    /** the held-back new posts of the home timeline, on top (the caller scrolls up) */
    showNewPosts: (): Promise<void> => load(true),
    /** next page of the current timeline or profile, appended */
    async loadMore(): Promise<void> {
      const b = backend
      if (!b) return
      // a refresh may replace the list while the page loads: the page is then asked again after
      // what that list shows, a few times at most (the reader can press again)
      for (let attempt = 0; attempt < 4; attempt++) {
        const current = screen.value
        if ((current.kind !== 'timeline' && current.kind !== 'profile' && current.kind !== 'bookmarks') || !current.cursor) return
        const page =
          current.kind === 'profile'
            ? await b.authorPosts(current.profile.author.id, current.cursor)
            : current.kind === 'bookmarks'
              ? await b.bookmarks(current.cursor)
              : current.which === 'home'
                ? await b.homeTimeline(current.cursor)
                : await b.communityTimeline(current.cursor)
        if (screen.value !== current) {
          if (sameList(screen.value, current)) continue
          return // another screen
        }
        const seen = new Set(current.posts.map((p) => `${p.id}:${p.repostedBy?.id ?? ''}`))
        const posts = [...current.posts, ...page.items.filter((p) => !seen.has(`${p.id}:${p.repostedBy?.id ?? ''}`))]
        screen.value = { ...current, posts, cursor: page.cursor }
        return
      }
    },
    act,
    /** false when the post failed (the notice says why): the composer then keeps the draft */
    async post(draft: PostDraft): Promise<boolean> {
      const b = backend
      if (!b) return false
      let sent = false
      const editing = compose.value.edit
      await act(async () => {
        await (editing ? b.editPost(editing.id, draft) : b.post(draft))
        sent = true
      })
      if (sent) compose.value = {}
      return sent
    },
    tick(): void {
      now.value = Date.now()
    },
  }
}

export type Controller = ReturnType<typeof createController>

/** The same list of posts (a refresh of it), not another screen. */
function sameList(a: Screen, b: Screen): boolean {
  if (a.kind === 'timeline' && b.kind === 'timeline') return a.which === b.which
  if (a.kind === 'bookmarks' && b.kind === 'bookmarks') return true
  return a.kind === 'profile' && b.kind === 'profile' && a.profile.author.id === b.profile.author.id
}

interface Pass {
  readonly done: Promise<void>
  resolve(): void
  reject(error: unknown): void
}

function newPass(): Pass {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const done = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { done, resolve, reject }
}
