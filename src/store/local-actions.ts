// The local author's actions: sign an event with the local secret and/or make a
// signed change to the local feed document, store both in one batch, and hand the bytes to
// the caller (the network layer gossips them as they are).
import { isAuthorId } from '../core/did-key.ts'
import { fail } from '../core/errors.ts'
import { createEvent } from '../core/event-create.ts'
import type { EventDraft } from '../core/event-create.ts'
import { isEventId } from '../core/event-wire.ts'
import { signChange } from '../core/feed-envelope.ts'
import type { AuthorId, EventId, SecretKey, SignedEvent } from '../core/types.ts'
import type { StoreContext } from './store-context.ts'
import { checkProfilePatch, shardOfAuthor, shardOfEvent } from './feed-doc.ts'
import type { FeedDoc } from './feed-doc.ts'
import { getEvents } from './queries.ts'
import { coarseSince } from './private-doc.ts'
import { readVersions } from './versions.ts'
import type { Profile, PostDraft, Published, Store } from './types.ts'

type Actions = Pick<Store, 'post' | 'reply' | 'edit' | 'react' | 'repost' | 'follow' | 'unfollow' | 'editProfile' | 'retract'>

export function createLocalActions(ctx: StoreContext): Actions {
  function identity(): { secret: SecretKey; me: AuthorId } {
    if (ctx.init.secret === undefined || ctx.me === undefined) fail('E_BAD_KEY', 'this store has no local identity')
    return { secret: ctx.init.secret, me: ctx.me }
  }

  /** One feed-doc edit, plus optionally a new event, in one batch. */
  async function publish(edit: (d: FeedDoc) => void, event?: SignedEvent): Promise<Published> {
    const { secret, me } = identity()
    const { docs } = await ctx.started()
    return ctx.exclusive(async () => {
      const plan = await docs.planLocal(me, edit, (change) => signChange(secret, change))
      await ctx.commit(event ? [event] : [], [plan], true)
      const envelopes = plan.envelope ? [plan.envelope.bytes] : []
      if (envelopes.length > 0) ctx.emit({ type: 'changes', author: me, envelopes, local: true })
      return { ...(event ? { event } : {}), envelopes }
    })
  }

  // The times I sign are whole seconds (protocol/events.md §8): a post's time says nothing finer
  // about when and how its author types. Raised by a millisecond where order needs it: after my
  // previous event (two in one second keep their order) and after the post a reply answers.
  let lastTs = 0

  function publishEvent(draft: EventDraft, after = 0): Promise<Published> {
    const { secret } = identity()
    const now = ctx.now()
    lastTs = Math.max(toSecond(now), lastTs + 1, after + 1)
    const event = createEvent(secret, { ...draft, ts: lastTs }, { now: Math.max(now, lastTs) })
    return publish((d) => {
      d.events[shardOfEvent(event.id)]![event.id] = event.ts
    }, event)
  }

  function checkTarget(id: EventId): void {
    if (!isEventId(id)) fail('E_BAD_REFERENCE', 'not an event id')
  }

  function checkAuthor(author: AuthorId): void {
    if (!isAuthorId(author)) fail('E_BAD_KEY', 'not an author id (did:key)')
  }

  // Every action is async, so a bad argument rejects the promise rather than throwing
  // synchronously (callers that chain .catch() would miss a synchronous throw).
  return {
    async post(draft: PostDraft) {
      return publishEvent({ kind: 'post', body: draft })
    },
    async reply(parentId, draft) {
      checkTarget(parentId)
      const [parent] = await getEvents(ctx.init.storage, [parentId])
      if (parent === undefined || parent.kind !== 'post') fail('E_BAD_REFERENCE', 'reply: the parent post is not held')
      const root = parent.body.reply?.root ?? parent.id
      const mentions = [...new Set([...(draft.mentions ?? []), ...(parent.author === ctx.me ? [] : [parent.author])])]
      return publishEvent({ kind: 'post', body: { ...draft, reply: { root, parent: parent.id }, ...(mentions.length ? { mentions } : {}) } }, parent.ts)
    },
    async edit(id, draft) {
      checkTarget(id)
      const { me } = identity()
      const versions = await readVersions(ctx.init.storage, id)
      if (versions === undefined) fail('E_BAD_REFERENCE', 'edit: the post is not held')
      if (versions.post.author !== me) fail('E_WRONG_AUTHOR', 'edit: only the author can edit a post')
      // an edited reply still mentions whom it answers, as the reply did
      const parentId = versions.post.body.reply?.parent
      const [parent] = parentId === undefined ? [] : await getEvents(ctx.init.storage, [parentId])
      const mentions = [...new Set([...(draft.mentions ?? []), ...(parent === undefined || parent.author === me ? [] : [parent.author])])]
      // after the version it replaces, so that it is the newest whatever the clocks said
      const latest = versions.edits.at(-1) ?? versions.post
      return publishEvent({ kind: 'edit', body: { ...draft, target: id, ...(mentions.length ? { mentions } : {}) } }, latest.ts)
    },
    async react(target, emoji) {
      checkTarget(target)
      return publishEvent({ kind: 'reaction', body: { target, emoji } })
    },
    async repost(target) {
      checkTarget(target)
      return publishEvent({ kind: 'repost', body: { target } })
    },
    async follow(author) {
      checkAuthor(author)
      // to the day: a follow list need not say when, to the millisecond, someone followed whom
      const since = coarseSince(ctx.now())
      return publish((d) => {
        d.follows[shardOfAuthor(author)]![author] = since
      })
    },
    async unfollow(author) {
      checkAuthor(author)
      return publish((d) => {
        delete d.follows[shardOfAuthor(author)]![author]
      })
    },
    async editProfile(patch: Partial<Profile>) {
      checkProfilePatch(patch)
      return publish((d) => {
        for (const [key, value] of Object.entries(patch)) if (d.profile[key as keyof Profile] !== value) d.profile[key as keyof Profile] = value
      })
    },
    async retract(id) {
      checkTarget(id)
      const { me } = identity()
      const [event] = await getEvents(ctx.init.storage, [id])
      if (event !== undefined && event.author !== me) fail('E_WRONG_AUTHOR', 'retract: only the author can retract an event')
      // a post goes with every version of it
      const ids = [id, ...((await readVersions(ctx.init.storage, id))?.edits.map((e) => e.id) ?? [])]
      const at = toSecond(ctx.now())
      return publish((d) => {
        for (const each of ids) d.retracted[shardOfEvent(each)]![each] = at
      })
    },
  }
}

const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000
