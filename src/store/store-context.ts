// What every part of the store shares (create-store.ts assembles the parts): the lazily started
// Automerge and feed documents, the one write queue, the commit of a batch, the subscribers, what
// queries filter by (my mutes and blocks, and the shared lists I subscribe to), my private
// document, and my home set (me and whom I follow, publicly or privately).
import { toHex } from '../core/bytes.ts'
import { encodeDidKey } from '../core/did-key.ts'
import { fail } from '../core/errors.ts'
import { getPublicKey } from '../core/keys.ts'
import type { AuthorId, EventId, SignedEvent } from '../core/types.ts'
import { loadAutomerge } from './automerge.ts'
import type { AutomergeApi } from './automerge.ts'
import { readFollows, type FeedDoc } from './feed-doc.ts'
import {
  DOCUMENT_CACHE_LIMITS,
  planDocumentDeletion,
  planDocumentEntries,
  planDocumentEviction,
  readDocumentCacheSize,
  type DocumentEviction,
} from './document-cache.ts'
import { isKeptForMe } from './event-index.ts'
import { createFeedDocs } from './feed-docs.ts'
import type { DocPlan, FeedDocs } from './feed-docs.ts'
import { COMMUNITY_CACHE_LIMITS, planEviction, readCacheSize, writeCacheSize, type EvictionPlan } from './community-cache.ts'
import { idx, meta } from './keys.ts'
import { planDelta } from './plan-delta.ts'
import { planEvents, type CacheSize, type EventOutcome } from './plan-events.ts'
import { createListFilters } from './list-filters.ts'
import { createPrivateFeed, type PrivateFeed, type PrivatePlan } from './private-feed.ts'
import { createPrivateState, type PrivateState } from './private-state.ts'
import type { Visibility } from './queries.ts'
import type { WriteOp } from './storage.ts'
import type { StoreChange, StoreInit } from './types.ts'

export interface StoreParts {
  readonly am: AutomergeApi
  readonly docs: FeedDocs
}

export interface StoreContext {
  readonly init: StoreInit
  readonly me: AuthorId | undefined
  readonly privateState: PrivateState
  now(): number
  /** Automerge and the feed documents, loaded on first use (queries never wait for them) */
  started(): Promise<StoreParts>
  /** my mutes and blocks (loaded on first use) with those of the lists I subscribe to (once started) */
  visibility(): Promise<Visibility>
  /** muted words of the lists I subscribe to (empty before start) */
  listWords(): readonly string[]
  /** my private document (protocol/lists.md §1), once started; none without a secret */
  privateFeed(): PrivateFeed | undefined
  /** me and whom I follow, publicly or privately: whose posts go into the home timeline */
  readonly homeAuthors: ReadonlySet<AuthorId>
  /** runs writes one at a time (and, with crossTabLock, one tab at a time) */
  exclusive<T>(run: () => Promise<T>): Promise<T>
  /** writes event plans + doc plans + their effects in ONE batch, commits, notifies */
  commit(events: readonly SignedEvent[], docPlans: readonly DocPlan[], local: boolean): Promise<{ outcomes: EventOutcome[] }>
  emit(change: StoreChange): void
  subscribe(listener: (change: StoreChange) => void): () => void
  /** waits for the queued writes, then refuses new work and closes the storage */
  close(): Promise<void>
}

export function createStoreContext(init: StoreInit & { automergeWasm?: Parameters<typeof loadAutomerge>[0] }): StoreContext {
  const { storage } = init
  const me = init.secret === undefined ? undefined : encodeDidKey(getPublicKey(init.secret))
  const privateState = createPrivateState(storage)
  const listeners = new Set<(change: StoreChange) => void>()
  const homeSet = createHomeSet(me)
  const cacheLimits = init.communityCache ?? COMMUNITY_CACHE_LIMITS
  const docCacheLimits = init.documentCache ?? DOCUMENT_CACHE_LIMITS
  const lists = createListFilters(me)
  const visible: Visibility = {
    isMuted: (a) => privateState.isMuted(a) || lists.muted.has(a),
    isBlocked: (a) => privateState.isBlocked(a) || lists.blocked.has(a),
  }
  let privateFeed: PrivateFeed | undefined
  let privateLoaded: Promise<void> | undefined
  let starting: Promise<StoreParts> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  async function visibility(): Promise<Visibility> {
    privateLoaded ??= privateState.load()
    await privateLoaded
    return visible
  }

  async function boot(): Promise<StoreParts> {
    const am = await loadAutomerge(init.automergeWasm)
    const actor = await loadActor()
    const docs: FeedDocs = createFeedDocs({
      storage,
      am,
      actor,
      me,
      // in its own turn after the write that made it due; a failure only postpones it
      onCompactionDue: (author) => void ctx.exclusive(() => docs.compact(author)).catch(() => undefined),
    })
    if (init.secret !== undefined) privateFeed = createPrivateFeed({ am, secret: init.secret, actor })
    if (me !== undefined) await loadMine(docs, me, await docs.get(me))
    await visibility()
    return { am, docs }
  }

  /** my feed document as stored: my follows, my private document and what my lists hide */
  async function loadMine(docs: FeedDocs, self: AuthorId, doc: FeedDoc): Promise<void> {
    privateFeed?.load(doc)
    homeSet.reset(self, [...readFollows(doc).keys(), ...(privateFeed?.view().follows.keys() ?? [])])
    if (privateFeed !== undefined) await lists.refresh(privateFeed.view(), (a) => docs.get(a))
  }

  /** this device's Automerge actor: random, kept, never tied to the identity */
  async function loadActor(): Promise<string> {
    let actorBytes = await storage.get('meta', meta.actor)
    if (actorBytes === undefined) {
      actorBytes = new TextEncoder().encode(toHex(crypto.getRandomValues(new Uint8Array(16))))
      await storage.write([{ type: 'put', table: 'meta', key: meta.actor, value: actorBytes }])
    }
    return new TextDecoder().decode(actorBytes)
  }

  interface DocEffects {
    ops: WriteOp[]
    purged: EventId[]
    uncached: CacheSize
    home: Array<{ added: AuthorId[]; removed: AuthorId[] }>
    privatePlans: PrivatePlan[]
    listsChanged: boolean
  }

  async function planDocs(docPlans: readonly DocPlan[]): Promise<DocEffects> {
    const effects: DocEffects = { ops: [], purged: [], uncached: { events: 0, bytes: 0 }, home: [], privatePlans: [], listsChanged: false }
    for (const plan of docPlans) {
      effects.ops.push(...plan.ops)
      // my own document may carry private follows (sealed): they change my home timeline too
      const mine = plan.author === me && privateFeed !== undefined ? privateFeed.plan(plan.doc, plan.delta) : undefined
      if (mine !== undefined) effects.privatePlans.push(mine)
      if (lists.concerns(plan.author, plan.delta)) effects.listsChanged = true
      const d = await planDelta(storage, plan.author, mine?.delta ?? plan.delta, me)
      effects.ops.push(...d.ops)
      effects.purged.push(...d.purged)
      effects.uncached.events += d.uncached.events
      effects.uncached.bytes += d.uncached.bytes
      effects.home.push({ added: d.homeAdded, removed: d.homeRemoved })
    }
    return effects
  }

  /** the community cache after a batch: its new size, and evictions when over its limits */
  async function planCache(self: AuthorId, added: CacheSize, removed: CacheSize): Promise<EvictionPlan | undefined> {
    if (added.events === 0 && removed.events === 0) return undefined
    const before = await readCacheSize(storage)
    const size = { events: Math.max(0, before.events + added.events - removed.events), bytes: Math.max(0, before.bytes + added.bytes - removed.bytes) }
    const plan = await planEviction(storage, size, cacheLimits, (refs) => isKeptForMe(refs.a, refs.k, homeSet.authors, self))
    return { ...plan, ops: [...plan.ops, writeCacheSize(plan.size)] }
  }

  /** the document cache after a batch: entries for strangers' new documents, evictions when over its limits */
  async function planDocCache(self: AuthorId, docs: FeedDocs, docPlans: readonly DocPlan[]): Promise<DocumentEviction | undefined> {
    const isStranger = (a: AuthorId): boolean => a !== self && !homeSet.authors.has(a)
    const entries = await planDocumentEntries(storage, docPlans, isStranger, ctx.now())
    if (entries.ops.length === 0) return undefined
    const before = await readDocumentCacheSize(storage)
    const inBatch = new Set(docPlans.map((p) => p.author))
    const eviction = await planDocumentEviction(
      storage,
      { docs: before.docs + entries.added.docs, bytes: before.bytes + entries.added.bytes },
      docCacheLimits,
      {
        async verdict(a) {
          if (inBatch.has(a)) return 'later' // its plan writes to it in this batch
          if (!isStranger(a) || lists.subscribesTo(a)) return 'stays'
          const [kept, followsMe] = await storage.getMany('meta', [meta.keptAuthor(a), meta.follow(a, self)])
          return kept !== undefined || followsMe !== undefined ? 'stays' : 'evict'
        },
        async removal(a) {
          const followerRows = [...readFollows(await docs.get(a)).keys()].map((f): WriteOp => ({ type: 'delete', table: 'idx', key: idx.follower(f, a) }))
          return [...(await planDocumentDeletion(storage, a)), ...followerRows]
        },
      },
    )
    return { ops: [...entries.ops, ...eviction.ops], evicted: eviction.evicted }
  }

  const ctx: StoreContext = {
    init,
    me,
    privateState,
    now: init.now ?? Date.now,
    started() {
      if (closed) fail('E_STORAGE', 'store is closed')
      starting ??= boot()
      return starting
    },
    visibility,
    listWords: () => lists.words,
    privateFeed: () => privateFeed,
    homeAuthors: homeSet.authors,
    exclusive<T>(run: () => Promise<T>): Promise<T> {
      const locks = init.crossTabLock === undefined ? undefined : (globalThis.navigator as Navigator | undefined)?.locks
      const guarded = locks === undefined ? run : () => locks.request(init.crossTabLock!, run) as Promise<T>
      const result = queue.then(guarded)
      queue = result.catch(() => undefined)
      return result
    },
    async commit(events, docPlans, local) {
      const { docs } = await ctx.started()
      if (init.crossTabLock !== undefined && me !== undefined) await refreshMine(docs, me)
      const eventPlan = await planEvents(storage, events, homeSet.authors, me, ctx.now())
      const docEffects = await planDocs(docPlans)
      const cache = me === undefined ? undefined : await planCache(me, eventPlan.cached, docEffects.uncached)
      const docCache = me === undefined ? undefined : await planDocCache(me, docs, docPlans)
      try {
        await storage.write([...eventPlan.ops, ...docEffects.ops, ...(cache?.ops ?? []), ...(docCache?.ops ?? [])])
      } catch (error) {
        for (const plan of docPlans) docs.forget(plan.author)
        throw error
      }
      for (const plan of docPlans) plan.commit()
      for (const author of docCache?.evicted ?? []) docs.forget(author)
      for (const p of docEffects.privatePlans) p.commit()
      for (const { added, removed } of docEffects.home) homeSet.apply(added, removed)
      if (docEffects.listsChanged && privateFeed !== undefined) await lists.refresh(privateFeed.view(), (a) => docs.get(a))
      if (eventPlan.added.length > 0) ctx.emit({ type: 'events', events: eventPlan.added, local })
      const purged = [...docEffects.purged, ...(cache?.evicted ?? [])]
      if (purged.length > 0) ctx.emit({ type: 'purged', ids: purged })
      return { outcomes: eventPlan.outcomes }
    },
    emit(change) {
      for (const listener of listeners) {
        try {
          listener(change)
        } catch {
          // a subscriber's failure is its own; the write has happened
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      if (closed) return
      await queue
      closed = true
      listeners.clear()
      await storage.close()
    },
  }

  // Another tab may have followed, unfollowed or changed my private document: follow my stored document.
  let myHeads = ''
  async function refreshMine(docs: FeedDocs, self: AuthorId): Promise<void> {
    const heads = (await docs.heads(self)).join()
    if (heads === myHeads) return
    await loadMine(docs, self, await docs.fresh(self))
    myHeads = heads
  }
  return ctx
}

interface HomeSet {
  /** me and whom I follow: whose posts go into the home timeline */
  readonly authors: ReadonlySet<AuthorId>
  /** me and exactly these */
  reset(self: AuthorId, follows: Iterable<AuthorId>): void
  apply(added: readonly AuthorId[], removed: readonly AuthorId[]): void
}

function createHomeSet(me: AuthorId | undefined): HomeSet {
  const authors = new Set<AuthorId>(me === undefined ? [] : [me])
  return {
    authors,
    reset(self, follows) {
      authors.clear()
      authors.add(self)
      for (const a of follows) authors.add(a)
    },
    apply(added, removed) {
      for (const a of added) authors.add(a)
      for (const a of removed) authors.delete(a)
    },
  }
}
