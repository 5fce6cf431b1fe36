// The controller in real Chromium: a screen stays up under a new address only if it shows that
// address. On a slow phone the read of a new screen takes a second; a profile left on screen
// meanwhile offers its own buttons, and a tap meant for the next profile's Follow lands on this
// one's Unfollow. The backend here is a small scripted one: the controller is what is tested.
import { expect, it } from 'vitest'
import type { AuthorId } from '../../src/core/types.ts'
import type { AppBackend } from '../../src/app/state/backend.ts'
import type { Page, PostView, ProfileView, SearchResults } from '../../src/app/state/view-types.ts'
import { controllerAt, createGate, me, ONLINE, postView } from '../support/controller-harness.ts'

const alice = 'did:key:z6MkAlice' as AuthorId
const bob = 'did:key:z6MkBob' as AuthorId

const profileOf = (id: AuthorId): ProfileView => ({
  author: { id, name: id.slice(-5) },
  bio: '',
  isMe: id === me,
  following: id === alice,
  muted: false,
  blocked: false,
  followingCount: 0,
  follows: [],
  followerCount: 0,
  followers: [],
  missingPosts: 0,
})

/** every read waits while the gate is held: a phone too busy to answer at once */
function slowBackend() {
  const gate = createGate()
  const read = async <T>(value: T): Promise<T> => {
    await gate.pass()
    return value
  }
  const backend = {
    me,
    homeTimeline: (): Promise<Page<PostView>> => read({ items: [postView(1)], cursor: undefined }),
    profile: (id: AuthorId) => read(profileOf(id)),
    authorPosts: (): Promise<Page<PostView>> => read({ items: [], cursor: undefined }),
    listsOf: () => read([]),
    search: (query: string): Promise<SearchResults> => read({ posts: query.length > 1 ? [postView(1)] : [], people: [] }),
    notifications: async () => [],
    unreadConversations: async () => 0,
    connection: ONLINE,
    subscribe: () => () => undefined,
  }
  return { backend: backend as unknown as AppBackend, hold: gate.hold, release: gate.release }
}

const profileShown = (c: ReturnType<typeof controllerAt>) => (c.screen.value.kind === 'profile' ? c.screen.value.profile.author.id : c.screen.value.kind)

/** a controller on a slow backend, showing the profile of `id` */
async function showingProfile(id: AuthorId) {
  const script = slowBackend()
  const c = controllerAt(() => 0)
  c.attach(script.backend)
  c.setRoute(`#/profile/${encodeURIComponent(id)}`)
  await expect.poll(() => profileShown(c)).toBe(id)
  return { script, c }
}

it("another person's profile is not left on screen, with its buttons, while the next one is read", async () => {
  const { script, c } = await showingProfile(alice)

  script.hold()
  c.setRoute(`#/profile/${encodeURIComponent(bob)}`)
  // at once, not when the read is done: nothing of Alice's profile can be tapped meanwhile
  expect(c.screen.value.kind).toBe('loading')
  await new Promise((r) => setTimeout(r, 300))
  expect(c.screen.value.kind).toBe('loading')
  script.release()
  await expect.poll(() => profileShown(c)).toBe(bob)
  expect(c.screen.value).toMatchObject({ kind: 'profile', profile: { following: false } })
})

it('a screen that shows the new address stays while it is read again: my own profile, a new search query', async () => {
  const { script, c } = await showingProfile(me)
  script.hold()
  c.setRoute('#/me')
  expect(profileShown(c)).toBe(me)
  script.release()
  await c.refresh()

  c.setRoute('#/search?q=a')
  await expect.poll(() => c.screen.value).toMatchObject({ kind: 'search', query: 'a' })
  script.hold()
  // the person types on: the screen with the search box stays, with the results of "a"
  c.setRoute('#/search?q=ab')
  expect(c.screen.value).toMatchObject({ kind: 'search', query: 'a' })
  script.release()
  await expect.poll(() => c.screen.value).toMatchObject({ kind: 'search', query: 'ab', results: { posts: [{ text: 'post 1' }] } })
})
