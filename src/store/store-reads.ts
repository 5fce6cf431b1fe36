// The store's reads: what catch-up sync serves and asks (heads, changes, events, signed
// indexes), the feed documents' profile and follows, and the paginated queries with mutes and
// blocks applied. Queries read storage directly: they work before Automerge has loaded.
import { isAuthorId } from '../core/did-key.ts'
import { readVersions } from './versions.ts'
import { fail } from '../core/errors.ts'
import type { AuthorId, EventId } from '../core/types.ts'
import { readFollows, readIndexedEvents, readProfile, readRetracted } from './feed-doc.ts'
import { idx, tombstoneKey } from './keys.ts'
import * as q from './queries.ts'
import { countReferences } from './reference-counts.ts'
import type { StoreContext } from './store-context.ts'
import type { Store } from './types.ts'

type SyncReads = Pick<Store, 'getHeads' | 'getChangesSince' | 'getEvents' | 'listAuthors' | 'indexedEventIds' | 'missingEventIds'>
type FeedReads = Pick<Store, 'getEvent' | 'versions' | 'getVisibleEvent' | 'getProfile' | 'getFollows' | 'getFollowers' | 'referenceCounts'>
type Queries = Pick<Store, 'homeTimeline' | 'authorPosts' | 'thread' | 'notifications' | 'hashtag' | 'search' | 'bookmarks'>

export function createSyncReads(ctx: StoreContext): SyncReads {
  const { storage } = ctx.init
  return {
    async getHeads(author) {
      return (await ctx.started()).docs.heads(author)
    },
    async getChangesSince(author, heads) {
      return (await ctx.started()).docs.changesSince(author, heads)
    },
    async getEvents(ids) {
      return (await storage.getMany('events', ids)).filter((v): v is Uint8Array => v !== undefined)
    },
    async listAuthors() {
      return (await ctx.started()).docs.listAuthors()
    },
    async indexedEventIds(author) {
      const doc = await (await ctx.started()).docs.get(author)
      const retracted = readRetracted(doc)
      return [...readIndexedEvents(doc).keys()].filter((id) => !retracted.has(id))
    },
    async missingEventIds(ids, author) {
      const held = await storage.getMany('events', ids)
      const missing = ids.filter((_, i) => held[i] === undefined)
      if (author !== undefined) {
        // only the author's own retractions count (protocol/feed-document.md §4)
        const tombstones = await storage.getMany(
          'retracted',
          missing.map((id) => tombstoneKey(id, author)),
        )
        return missing.filter((_, i) => tombstones[i] === undefined)
      }
      // tombstones are keyed (id, author): a prefix probe per id, a few hundred at a time
      const out: EventId[] = []
      for (let i = 0; i < missing.length; i += 256) {
        const chunk = missing.slice(i, i + 256)
        const probes = await Promise.all(chunk.map((id) => storage.rangeKeys('retracted', { prefix: `${id}|`, limit: 1 })))
        chunk.forEach((id, j) => {
          if (probes[j]!.length === 0) out.push(id)
        })
      }
      return out
    },
  }
}

export function createFeedReads(ctx: StoreContext): FeedReads {
  const { storage } = ctx.init
  return {
    async getEvent(id) {
      return (await q.getEvents(storage, [id]))[0]
    },
    async versions(id) {
      const held = await readVersions(storage, id)
      return held === undefined ? [] : [held.post, ...held.edits]
    },
    async getVisibleEvent(id) {
      const [event] = await q.getEvents(storage, [id])
      const v = await ctx.visibility()
      return event === undefined || v.isMuted(event.author) || v.isBlocked(event.author) ? undefined : event
    },
    async getProfile(author) {
      return readProfile(await (await ctx.started()).docs.get(author))
    },
    async getFollows(author) {
      if (!isAuthorId(author)) fail('E_BAD_KEY', 'not an author id')
      const follows = [...readFollows(await (await ctx.started()).docs.get(author)).keys()]
      // my own follows include the private ones (only my devices can read them: protocol/lists.md §1)
      const hidden = author === ctx.me ? [...(ctx.privateFeed()?.view().follows.keys() ?? [])].filter((a) => !follows.includes(a)) : []
      return [...follows, ...hidden]
    },
    async getFollowers(author) {
      const prefix = idx.followerPrefix(author)
      return (await storage.rangeKeys('idx', { prefix })).map((k) => k.slice(prefix.length) as AuthorId)
    },
    referenceCounts: async (target) => countReferences(storage, await ctx.visibility(), ctx.me, target),
  }
}

export function createQueries(ctx: StoreContext): Queries {
  const { storage } = ctx.init
  const { me } = ctx
  return {
    homeTimeline: async (options) => q.homeTimeline(storage, await ctx.visibility(), options),
    authorPosts: async (author, options) => q.authorPosts(storage, await ctx.visibility(), author, options),
    thread: async (root, options) => q.thread(storage, await ctx.visibility(), root, options),
    notifications: async (options) => (me === undefined ? { items: [], cursor: undefined } : q.notifications(storage, await ctx.visibility(), me, options)),
    hashtag: async (tag, options) => q.hashtag(storage, await ctx.visibility(), tag, options),
    search: async (query, options) => q.search(storage, await ctx.visibility(), query, options),
    bookmarks: async (options) => q.bookmarks(storage, await ctx.visibility(), options),
  }
}
