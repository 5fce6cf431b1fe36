// The store façade (issue 3): createStore({ storage, secret?, now? }) → Store (types.ts).
// Writes are serialised (one at a time, each one storage batch); queries read storage
// directly and work before start() has loaded Automerge, so a cached timeline can paint
// before any wasm work (DESIGN.md principle 5).
import { toHex } from '../core/bytes.ts'
import { encodeDidKey, isAuthorId } from '../core/did-key.ts'
import { WildgrassError, fail } from '../core/errors.ts'
import { openEvents, type OpenResult } from '../core/event-verify.ts'
import { decodeChangeEnvelope, openChangeEnvelope } from '../core/feed-envelope.ts'
import type { ChangeEnvelope } from '../core/feed-envelope.ts'
import { getPublicKey } from '../core/keys.ts'
import type { AuthorId, EventId, SignedEvent } from '../core/types.ts'
import { loadAutomerge } from './automerge.ts'
import type { AutomergeApi } from './automerge.ts'
import { readFollows, readIndexedEvents, readProfile, readRetracted } from './feed-doc.ts'
import { createFeedDocs } from './feed-docs.ts'
import type { DocPlan, FeedDocs } from './feed-docs.ts'
import { idx, meta, tombstoneKey } from './keys.ts'
import { createLocalActions } from './local-actions.ts'
import { planDelta } from './plan-delta.ts'
import { planEvents } from './plan-events.ts'
import { createPrivateState } from './private-state.ts'
import { createPrivateActions } from './private-actions.ts'
import { createPrivateFeed, type PrivateFeed } from './private-feed.ts'
import { openDirectMessages } from './direct-messages-of.ts'
import * as q from './queries.ts'
import type { WriteOp } from './storage.ts'
import type { IngestResult, Store, StoreChange, StoreInit } from './types.ts'

export interface StoreContext {
  readonly init: StoreInit
  readonly me: AuthorId | undefined
  now(): number
  started(): Promise<{ am: AutomergeApi; docs: FeedDocs }>
  exclusive<T>(run: () => Promise<T>): Promise<T>
  /** writes event plans + doc plans + their effects in ONE batch, commits, notifies */
  commit(events: readonly SignedEvent[], docPlans: readonly DocPlan[], local: boolean, extra?: { envelopes: Map<AuthorId, Uint8Array[]> }): Promise<{ outcomes: string[] }>
  emit(change: StoreChange): void
}

export function createStore(init: StoreInit & { automergeWasm?: Parameters<typeof loadAutomerge>[0] }): Store {
  const { storage } = init
  const me = init.secret === undefined ? undefined : encodeDidKey(getPublicKey(init.secret))
  const now = init.now ?? Date.now
  const privateState = createPrivateState(storage)
  let privateLoaded: Promise<void> | undefined
  const visibility = async (): Promise<q.Visibility> => {
    privateLoaded ??= privateState.load()
    await privateLoaded
    return privateState
  }
  const listeners = new Set<(change: StoreChange) => void>()
  const homeSet = new Set<AuthorId>(me === undefined ? [] : [me])
  let starting: Promise<{ am: AutomergeApi; docs: FeedDocs }> | undefined
  /** the private part of my feed document (private follows, lists I subscribe to): protocol/lists.md */
  let privateFeed: PrivateFeed | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  async function boot(): Promise<{ am: AutomergeApi; docs: FeedDocs }> {
    const am = await loadAutomerge(init.automergeWasm)
    let actorBytes = await storage.get('meta', meta.actor)
    if (actorBytes === undefined) {
      // this device's Automerge actor: random, kept, never tied to the identity
      actorBytes = new TextEncoder().encode(toHex(crypto.getRandomValues(new Uint8Array(16))))
      await storage.write([{ type: 'put', table: 'meta', key: meta.actor, value: actorBytes }])
    }
    const docs: FeedDocs = createFeedDocs({
      storage, am, actor: new TextDecoder().decode(actorBytes), me,
      // in its own turn after the write that made it due; a failure only postpones it
      onCompactionDue: (author) => void ctx.exclusive(() => docs.compact(author)).catch(() => undefined),
    })
    if (me !== undefined && init.secret !== undefined) {
      privateFeed = createPrivateFeed({ am, secret: init.secret, actor: new TextDecoder().decode(actorBytes) })
      privateFeed.load(await docs.get(me))
      for (const author of privateFeed.view().follows.keys()) homeSet.add(author)
    }
    if (me !== undefined) for (const author of readFollows(await docs.get(me)).keys()) homeSet.add(author)
    await visibility()
    return { am, docs }
  }

  const ctx: StoreContext = {
    init,
    me,
    now,
    started() {
      if (closed) fail('E_STORAGE', 'store is closed')
      starting ??= boot()
      return starting
    },
    exclusive<T>(run: () => Promise<T>): Promise<T> {
      const locks = init.crossTabLock === undefined ? undefined : (globalThis.navigator as Navigator | undefined)?.locks
      const guarded = locks === undefined ? run : () => locks.request(init.crossTabLock!, run) as Promise<T>
      const result = queue.then(guarded)
      queue = result.catch(() => undefined)
      return result
    },
    async commit(events, docPlans, local) {
      const { docs } = await ctx.started()
      if (init.crossTabLock !== undefined && me !== undefined) await refreshHomeSet(docs, me)
      const eventPlan = await planEvents(storage, events, homeSet, me)
      const ops: WriteOp[] = [...eventPlan.ops]
      const purged: EventId[] = []
      const homeChanges: Array<{ added: AuthorId[]; removed: AuthorId[] }> = []
      const privatePlans = []
      for (const plan of docPlans) {
        ops.push(...plan.ops)
        // my own document may carry private follows: they change my home timeline too
        const mine = plan.author === me && privateFeed !== undefined ? privateFeed.plan(plan.doc, plan.delta) : undefined
        if (mine !== undefined) privatePlans.push(mine)
        const d = await planDelta(storage, plan.author, mine?.delta ?? plan.delta, me)
        ops.push(...d.ops)
        purged.push(...d.purged)
        homeChanges.push({ added: d.homeAdded, removed: d.homeRemoved })
      }
      try {
        await storage.write(ops)
      } catch (error) {
        for (const plan of docPlans) docs.forget(plan.author)
        throw error
      }
      for (const plan of docPlans) plan.commit()
      for (const p of privatePlans) p.commit()
      for (const { added, removed } of homeChanges) {
        for (const a of added) homeSet.add(a)
        for (const a of removed) homeSet.delete(a)
      }
      if (eventPlan.added.length > 0) ctx.emit({ type: 'events', events: eventPlan.added, local })
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
  }

  // Another tab may have followed or unfollowed: the home set follows my stored document.
  let homeHeads = ''
  async function refreshHomeSet(docs: FeedDocs, self: AuthorId): Promise<void> {
    const heads = (await docs.heads(self)).join()
    if (heads === homeHeads) return
    const doc = await docs.fresh(self)
    const follows = readFollows(doc)
    privateFeed?.load(doc)
    homeSet.clear()
    homeSet.add(self)
    for (const author of follows.keys()) homeSet.add(author)
    for (const author of privateFeed?.view().follows.keys() ?? []) homeSet.add(author)
    homeHeads = heads
  }

  /** Stores the opened events of a batch in one transaction; per item: stored, duplicate or why not. */
  async function ingestOpened(opened: readonly OpenResult[]): Promise<IngestResult[]> {
    const events = opened.flatMap((r) => (r.ok ? [r.event] : []))
    const { outcomes } = events.length > 0 ? await ctx.exclusive(() => ctx.commit(events, [], false)) : { outcomes: [] }
    let j = 0
    return opened.map((r): IngestResult => {
      if (!r.ok) return r
      const outcome = outcomes[j++]
      if (outcome === 'retracted') return { ok: false, code: 'E_RETRACTED', message: 'E_RETRACTED: its author has retracted this event' }
      return { ok: true, id: r.event.id, duplicate: outcome === 'duplicate' }
    })
  }

  async function ingestChanges(list: readonly Uint8Array[], owner?: AuthorId): Promise<IngestResult[]> {
    const results: IngestResult[] = new Array<IngestResult>(list.length)
    const opened = await Promise.all(list.map(async (bytes, i) => {
      try {
        return { i, envelope: await openChangeEnvelope(bytes, owner ?? decodeChangeEnvelope(bytes).author) }
      } catch (error) {
        results[i] = failure(error)
        return undefined
      }
    }))
    const byAuthor = new Map<AuthorId, Array<{ i: number; envelope: ChangeEnvelope }>>()
    for (const item of opened) if (item) byAuthor.set(item.envelope.author, [...(byAuthor.get(item.envelope.author) ?? []), item])
    if (byAuthor.size === 0) return results
    const { docs, am } = await ctx.started()
    await ctx.exclusive(async () => {
      const plans: DocPlan[] = []
      const accepted = new Map<AuthorId, Uint8Array[]>()
      for (const [author, items] of byAuthor) {
        const { plan, results: r } = await docs.planRemote(author, items.map((x) => x.envelope))
        plans.push(plan)
        items.forEach((item, j) => {
          const outcome = r[j]!
          if (outcome === 'new' || outcome === 'duplicate') results[item.i] = { ok: true, id: am.decodeChange(item.envelope.change).hash ?? '', duplicate: outcome === 'duplicate' }
          else results[item.i] = { ok: false, code: 'E_BAD_CHANGE', message: `E_BAD_CHANGE: ${outcome}` }
          if (outcome === 'new' && plan.applied.length > 0) accepted.set(author, [...(accepted.get(author) ?? []), item.envelope.bytes])
        })
      }
      try {
        await ctx.commit([], plans, false)
      } catch (error) {
        for (const item of opened) if (item && results[item.i]?.ok) results[item.i] = failure(error)
        return
      }
      for (const [author, envelopes] of accepted) ctx.emit({ type: 'changes', author, envelopes, local: false })
    })
    return results
  }

  const actions = createLocalActions(ctx)
  const privateActions = createPrivateActions(ctx, () => privateFeed)
  let dms: ReturnType<typeof openDirectMessages> | undefined

  return {
    me,
    async start() {
      await ctx.started()
    },
    async close() {
      if (closed) return
      await queue
      closed = true
      listeners.clear()
      await storage.close()
    },

    async ingestEvents(list) {
      return ingestOpened(await openEvents(list, { now: now() }))
    },
    async ingestOpenedEvents(events) {
      return ingestOpened(events.map((event) => ({ ok: true as const, event })))
    },
    async ingestChange(bytes, owner) {
      return (await ingestChanges([bytes], owner))[0]!
    },
    ingestChanges,

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
        const tombstones = await storage.getMany('retracted', missing.map((id) => tombstoneKey(id, author)))
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

    async getEvent(id) {
      return (await q.getEvents(storage, [id]))[0]
    },
    async getProfile(author) {
      return readProfile(await (await ctx.started()).docs.get(author))
    },
    async getFollows(author) {
      if (!isAuthorId(author)) fail('E_BAD_KEY', 'not an author id')
      const follows = [...readFollows(await (await ctx.started()).docs.get(author)).keys()]
      // my own follows include the private ones (only my devices can read them)
      const hidden = author === me ? [...(privateFeed?.view().follows.keys() ?? [])].filter((a) => !follows.includes(a)) : []
      return [...follows, ...hidden]
    },
    async getFollowers(author) {
      const prefix = idx.followerPrefix(author)
      return (await storage.rangeKeys('idx', { prefix })).map((k) => k.slice(prefix.length) as AuthorId)
    },

    homeTimeline: async (options) => q.homeTimeline(storage, await visibility(), options),
    authorPosts: async (author, options) => q.authorPosts(storage, await visibility(), author, options),
    thread: async (root, options) => q.thread(storage, await visibility(), root, options),
    notifications: async (options) => (me === undefined ? { items: [], cursor: undefined } : q.notifications(storage, await visibility(), me, options)),
    hashtag: async (tag, options) => q.hashtag(storage, await visibility(), tag, options),
    search: async (query, options) => q.search(storage, await visibility(), query, options),

    ...actions,
    ...privateActions,
    directMessages: () => (dms ??= openDirectMessages(ctx, privateState, homeSet, () => privateFeed)),

    mute: async (author) => privateChange(() => privateState.setMuted(author, true)),
    unmute: async (author) => privateChange(() => privateState.setMuted(author, false)),
    block: async (author) => privateChange(() => privateState.setBlocked(author, true)),
    unblock: async (author) => privateChange(() => privateState.setBlocked(author, false)),
    listMuted: async () => (await visibility(), privateState.listMuted()),
    listBlocked: async () => (await visibility(), privateState.listBlocked()),
    bookmark: async (id) => privateChange(() => privateState.setBookmarked(id, true, now())),
    unbookmark: async (id) => privateChange(() => privateState.setBookmarked(id, false, now())),
    bookmarks: async (options) => q.bookmarks(storage, await visibility(), options),
    getSetting: (name) => privateState.getSetting(name),
    setSetting: async (name, value) => privateChange(() => privateState.setSetting(name, value)),

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }

  async function privateChange(run: () => Promise<void>): Promise<void> {
    await visibility()
    await ctx.exclusive(run)
    ctx.emit({ type: 'private' })
  }
}

function failure(error: unknown): { ok: false; code: WildgrassError['code']; message: string } {
  if (error instanceof WildgrassError) return { ok: false, code: error.code, message: error.message }
  return { ok: false, code: 'E_STORAGE', message: `E_STORAGE: ${String(error)}` }
}
