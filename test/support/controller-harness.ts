// The app's controller with nothing around it: for tests of its transitions in a real browser,
// with a small scripted backend each.
import type { AuthorId, EventId } from '../../src/core/types.ts'
import { createController } from '../../src/app/state/controller.ts'
import type { PostView } from '../../src/app/state/view-types.ts'
import { NOTHING_SEEN } from '../../src/app/lib/seen-notifications.ts'

export const me = 'did:key:z6Mkme' as AuthorId

/** my post number n: "post n", n seconds into 2026 */
export const postView = (n: number): PostView => ({
  id: n.toString(16).padStart(64, '0') as EventId,
  author: { id: me, name: 'me' },
  text: `post ${n}`,
  ts: Date.UTC(2026, 0, 1) + n * 1000,
  reactions: [],
  replyCount: 0,
  mine: true,
  pending: false,
})

/** a controller with nothing around it but the page's scroll position */
export const controllerAt = (scrollTop: () => number) =>
  createController({
    language: 'en',
    snapshot: [],
    saveLanguage: () => undefined,
    navigate: () => undefined,
    loadSeen: () => NOTHING_SEEN,
    saveSeen: () => undefined,
    scrollTop,
  })

/** what the backend says of the connection on every screen: online, nobody around */
export const ONLINE = () => ({ state: 'online' as const, relays: [], peers: 0, queued: 0, learned: [] })

/** a backend's reads wait at it while it is held: a phone too busy to answer at once */
export function createGate() {
  let wait: Promise<void> | undefined
  let open = (): void => undefined
  return {
    /** resolves at once, or when the gate is released */
    pass: async (): Promise<void> => wait,
    hold(): void {
      wait = new Promise((resolve) => (open = resolve))
    },
    release(): void {
      wait = undefined
      open()
    },
  }
}
