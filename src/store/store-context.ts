// What every part of the store shares (create-store.ts assembles the parts): the lazily started
// Automerge and feed documents, the one write queue, the commit of a batch, the subscribers, the
// private state that queries filter by, and my home set (me and whom I follow).
import { toHex } from '../core/bytes.ts'
import { encodeDidKey } from '../core/did-key.ts'
import { fail } from '../core/errors.ts'
import { getPublicKey } from '../core/keys.ts'
import type { AuthorId, EventId, SignedEvent } from '../core/types.ts'
import { loadAutomerge } from './automerge.ts'
import type { AutomergeApi } from './automerge.ts'
import { readFollows } from './feed-doc.ts'
import { createFeedDocs } from './feed-docs.ts'
import type { DocPlan, FeedDocs } from './feed-docs.ts'
import { meta } from './keys.ts'
import { planDelta } from './plan-delta.ts'
import { planEvents, type EventOutcome } from './plan-events.ts'
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
  /** mutes and blocks, loaded on first use */
  visibility(): Promise<Visibility>
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
  let privateLoaded: Promise<void> | undefined
  let starting: Promise<StoreParts> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  async function visibility(): Promise<Visibility> {
    privateLoaded ??= privateState.load()
    await privateLoaded
    return privateState
  }

  async function boot(): Promise<StoreParts> {
    const am = await loadAutomerge(init.automergeWasm)
    const docs: FeedDocs = createFeedDocs({
      storage, am, actor: await loadActor(), me,
      // in its own turn after the write that made it due; a failure only postpones it
      onCompactionDue: (author) => void ctx.exclusive(() => docs.compact(author)).catch(() => undefined),
    })
    if (me !== undefined) homeSet.follow(readFollows(await docs.get(me)).keys())
    await visibility()
    return { am, docs }
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

  async function planDocs(docPlans: readonly DocPlan[]): Promise<{ ops: WriteOp[]; purged: EventId[]; home: Array<{ added: AuthorId[]; removed: AuthorId[] }> }> {
    const ops: WriteOp[] = []
    const purged: EventId[] = []
    const home: Array<{ added: AuthorId[]; removed: AuthorId[] }> = []
    for (const plan of docPlans) {
      ops.push(...plan.ops)
      const d = await planDelta(storage, plan.author, plan.delta, me)
      ops.push(...d.ops)
      purged.push(...d.purged)
      home.push({ added: d.homeAdded, removed: d.homeRemoved })
    }
    return { ops, purged, home }
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
    exclusive<T>(run: () => Promise<T>): Promise<T> {
      const locks = init.crossTabLock === undefined ? undefined : (globalThis.navigator as Navigator | undefined)?.locks
      const guarded = locks === undefined ? run : () => locks.request(init.crossTabLock!, run) as Promise<T>
      const result = queue.then(guarded)
      queue = result.catch(() => undefined)
      return result
    },
    async commit(events, docPlans, local) {
      const { docs } = await ctx.started()
      if (init.crossTabLock !== undefined && me !== undefined) await homeSet.refresh(docs, me)
      const eventPlan = await planEvents(storage, events, homeSet.authors, me)
      const docEffects = await planDocs(docPlans)
      try {
        await storage.write([...eventPlan.ops, ...docEffects.ops])
      } catch (error) {
        for (const plan of docPlans) docs.forget(plan.author)
        throw error
      }
      for (const plan of docPlans) plan.commit()
      for (const { added, removed } of docEffects.home) homeSet.apply(added, removed)
      if (eventPlan.added.length > 0) ctx.emit({ type: 'events', events: eventPlan.added, local })
      if (docEffects.purged.length > 0) ctx.emit({ type: 'purged', ids: docEffects.purged })
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
  return ctx
}

interface HomeSet {
  /** me and whom I follow: whose posts go into the home timeline */
  readonly authors: ReadonlySet<AuthorId>
  follow(authors: Iterable<AuthorId>): void
  apply(added: readonly AuthorId[], removed: readonly AuthorId[]): void
  /** another tab may have followed or unfollowed: follow my stored document */
  refresh(docs: FeedDocs, self: AuthorId): Promise<void>
}

function createHomeSet(me: AuthorId | undefined): HomeSet {
  const authors = new Set<AuthorId>(me === undefined ? [] : [me])
  let heads = ''
  return {
    authors,
    follow(list) {
      for (const a of list) authors.add(a)
    },
    apply(added, removed) {
      for (const a of added) authors.add(a)
      for (const a of removed) authors.delete(a)
    },
    async refresh(docs, self) {
      const now = (await docs.heads(self)).join()
      if (now === heads) return
      const follows = readFollows(await docs.fresh(self))
      authors.clear()
      authors.add(self)
      for (const a of follows.keys()) authors.add(a)
      heads = now
    },
  }
}
