// The controller in real Chromium: a stream of changes faster than a load must not keep the
// screen from showing what was read, the person's own post included; and "N new posts" must show
// them even when a refresh starts while they are being loaded. Any store or network change (the change envelope that follows a post,
// a sync, a status change) refreshes the screen; before the fix that refresh superseded the
// reader's request and, the page still being scrolled down, held the posts back again, so a
// live post stayed hidden until some later change — what test/e2e/app-new-posts.test.ts saw under
// load. The backend here is a small scripted one: the controller is what is tested.
import { expect, it } from 'vitest'
import type { AppBackend } from '../../src/app/state/backend.ts'
import type { Page, PostView } from '../../src/app/state/view-types.ts'
import { controllerAt, createGate, me, ONLINE, postView } from '../support/controller-harness.ts'

function scriptedBackend() {
  let posts = [3, 2, 1].map(postView)
  const gate = createGate()
  const listeners = new Set<() => void>()
  const backend = {
    me,
    async homeTimeline(): Promise<Page<PostView>> {
      const shown = posts
      await gate.pass()
      return { items: shown, cursor: undefined }
    },
    async notifications() {
      return []
    },
    // the messages badge, refreshed with every screen
    async unreadConversations() {
      return 0
    },
    connection: ONLINE,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return {
    backend: backend as unknown as AppBackend,
    arrive(...ns: number[]) {
      posts = [...ns.map(postView), ...posts]
    },
    changed() {
      for (const l of listeners) l()
    },
    /** homeTimeline calls from now on wait until released */
    hold: gate.hold,
    release: gate.release,
  }
}

it('"N new posts" shows them although a refresh started meanwhile, with the page still scrolled down', async () => {
  let scrollTop = 0
  const c = controllerAt(() => scrollTop)
  const script = scriptedBackend()
  c.attach(script.backend)
  const texts = () => (c.screen.value.kind === 'timeline' ? c.screen.value.posts.map((p) => p.text) : [])
  await expect.poll(texts).toEqual(['post 3', 'post 2', 'post 1'])

  // reading further down: new posts are held back behind the button
  scrollTop = 700
  script.arrive(5, 4)
  await c.refresh()
  expect(c.screen.value).toMatchObject({ kind: 'timeline', newCount: 2 })
  expect(texts()).toEqual(['post 3', 'post 2', 'post 1'])

  // the reader presses the button; while that load runs, a change arrives and refreshes
  script.hold()
  const shown = c.showNewPosts()
  const refreshed = c.refresh()
  script.release()
  await Promise.all([shown, refreshed])
  expect(texts()).toEqual(['post 5', 'post 4', 'post 3', 'post 2', 'post 1'])
  expect(c.screen.value).toMatchObject({ kind: 'timeline' })
  expect((c.screen.value as { newCount?: number }).newCount ?? 0).toBe(0)

  // and afterwards, still scrolled down, the next arrival is held back again: one new post
  script.arrive(6)
  await c.refresh()
  expect(c.screen.value).toMatchObject({ kind: 'timeline', newCount: 1 })
})

/** 45 posts, pages of 30; while held, one kind of call waits at the gate (a refresh has no cursor, the next page has one) */
function pagedBackend(held: 'refresh' | 'page') {
  const all = Array.from({ length: 45 }, (_, i) => postView(45 - i))
  const gate = createGate()
  const backend = {
    me,
    async homeTimeline(cursor?: string, limit = 30): Promise<Page<PostView>> {
      if ((cursor === undefined) === (held === 'refresh')) await gate.pass()
      const from = cursor === undefined ? 0 : Number(cursor)
      const items = all.slice(from, from + limit)
      return { items, cursor: from + items.length < all.length ? String(from + items.length) : undefined }
    },
    notifications: async () => [],
    unreadConversations: async () => 0,
    connection: ONLINE,
    subscribe: () => () => undefined,
  }
  return { backend: backend as unknown as AppBackend, hold: gate.hold, release: gate.release }
}

const countOf = (c: ReturnType<typeof controllerAt>) => (c.screen.value.kind === 'timeline' ? c.screen.value.posts.length : 0)

it('"load more" keeps the page it added although a refresh that started before it ends after it', async () => {
  const script = pagedBackend('refresh')
  const c = controllerAt(() => 0)
  c.attach(script.backend)
  await expect.poll(() => countOf(c)).toBe(30)
  script.hold()
  const refreshed = c.refresh() // a change arrived: this refresh read the screen of 30
  await c.loadMore()
  expect(countOf(c)).toBe(45)
  script.release()
  await refreshed
  await expect.poll(() => countOf(c)).toBe(45)
  expect(c.screen.value).toMatchObject({ kind: 'timeline', cursor: undefined })
})

it('"load more" adds its page although a refresh replaced the list while the page loaded', async () => {
  const script = pagedBackend('page')
  const c = controllerAt(() => 0)
  c.attach(script.backend)
  await expect.poll(() => countOf(c)).toBe(30)
  script.hold()
  const more = c.loadMore()
  await c.refresh() // lands while the next page is on its way
  script.release()
  await more
  expect(countOf(c)).toBe(45)
  expect(c.screen.value).toMatchObject({ kind: 'timeline', cursor: undefined })
})

it("changes arriving faster than a load takes: each load is shown, and the person's own post at once", async () => {
  let posts = [2, 1].map(postView)
  const listeners = new Set<() => void>()
  let reads = 0
  const backend = {
    me,
    // a busy phone: a read of the timeline takes longer than the 150 ms between refreshes
    async homeTimeline(): Promise<Page<PostView>> {
      const shown = posts
      reads++
      await new Promise((r) => setTimeout(r, 400))
      return { items: shown, cursor: undefined }
    },
    async post() {
      posts = [postView(3), ...posts]
      return postView(3).id
    },
    notifications: async () => [],
    unreadConversations: async () => 0,
    connection: ONLINE,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const c = controllerAt(() => 0)
  const texts = () => (c.screen.value.kind === 'timeline' ? c.screen.value.posts.map((p) => p.text) : [])
  c.attach(backend as unknown as AppBackend)
  await expect.poll(texts).toEqual(['post 2', 'post 1'])
  // a change every 20 ms (a sync, peers coming and going), for as long as the test runs
  const changes = setInterval(() => {
    for (const l of listeners) l()
  }, 20)
  try {
    const readsBefore = reads
    expect(await c.post({ text: 'post 3' })).toBe(true)
    expect(texts()).toEqual(['post 3', 'post 2', 'post 1'])
    // one read at a time while the changes go on: not one started every 150 ms
    await new Promise((r) => setTimeout(r, 1600))
    expect(reads - readsBefore).toBeLessThanOrEqual(7)
  } finally {
    clearInterval(changes)
  }
})
