// The store: createStore({ storage, secret?, now? }) → Store (types.ts), assembled from its
// parts: the shared context (store-context.ts: start, write queue, commit, subscribers), ingest
// (ingest.ts), reads and queries (store-reads.ts), the local author's actions
// (local-actions.ts), private state (private-state.ts), the private document and shared lists
// (private-actions.ts) and direct messages (direct-messages-of.ts). Writes are serialised (one at a
// time, each one storage batch); queries read storage directly and work before start() has
// loaded Automerge, so a cached timeline can paint before any wasm work (src/store/README.md).
import { loadAutomerge } from './automerge.ts'
import { getGenesisChange } from './feed-doc.ts'
import { openDirectMessages } from './direct-messages-of.ts'
import { keepAuthorOf } from './document-cache.ts'
import { priv } from './keys.ts'
import type { DirectMessages } from './direct-messages.ts'
import { createIngest } from './ingest.ts'
import { createLocalActions } from './local-actions.ts'
import { createPrivateActions } from './private-actions.ts'
import { indexStoredReferences, lacksReferenceIndex } from './reference-counts.ts'
import { foldStoredSearch, lacksSearchFold } from './search-fold.ts'
import { createStoreContext } from './store-context.ts'
import { createFeedReads, createQueries, createSyncReads } from './store-reads.ts'
import type { Store, StoreInit } from './types.ts'

/**
 * Loads Automerge and builds what every new store starts from (the feed document's genesis
 * change: hundreds of empty shards, the costliest part of a first start()), ahead of any store.
 * The app calls it while a newcomer writes the phrase down; their store then opens at once.
 */
export async function prepareStore(wasm?: Parameters<typeof loadAutomerge>[0]): Promise<void> {
  getGenesisChange(await loadAutomerge(wasm))
}

export function createStore(init: StoreInit & { automergeWasm?: Parameters<typeof loadAutomerge>[0] }): Store {
  const ctx = createStoreContext(init)
  const { privateState } = ctx
  let referencesIndexed: Promise<void> | undefined
  let searchFolded: Promise<void> | undefined
  let dms: Promise<DirectMessages> | undefined

  async function privateChange(run: () => Promise<void>): Promise<void> {
    await ctx.visibility()
    await ctx.exclusive(run)
    ctx.emit({ type: 'private' })
  }

  return {
    me: ctx.me,
    async start() {
      await ctx.started()
      // a database from before the reference index: indexed in the background, page by page
      if (ctx.me !== undefined && referencesIndexed === undefined && (await lacksReferenceIndex(init.storage))) {
        referencesIndexed = indexStoredReferences(init.storage, ctx.exclusive).catch(() => undefined)
      }
      // a database from before search folded 繁體 to 简体: its search rows folded the same way
      if (ctx.me !== undefined && searchFolded === undefined && (await lacksSearchFold(init.storage))) {
        searchFolded = foldStoredSearch(init.storage, ctx.exclusive).catch(() => undefined)
      }
    },
    close: () => ctx.close(),

    ...createIngest(ctx),
    ...createSyncReads(ctx),
    ...createFeedReads(ctx),
    ...createQueries(ctx),
    ...createLocalActions(ctx),
    ...createPrivateActions(ctx),
    directMessages: () => (dms ??= openDirectMessages(ctx)),

    mute: async (author) => privateChange(() => privateState.setMuted(author, true)),
    unmute: async (author) => privateChange(() => privateState.setMuted(author, false)),
    block: async (author) => privateChange(() => privateState.setBlocked(author, true)),
    unblock: async (author) => privateChange(() => privateState.setBlocked(author, false)),
    listMuted: async () => (await ctx.visibility(), privateState.listMuted()),
    listBlocked: async () => (await ctx.visibility(), privateState.listBlocked()),
    bookmark: async (id) =>
      privateChange(async () => {
        await privateState.setBookmarked(id, true, ctx.now())
        await keepAuthorOf(init.storage, id) // their name stays with the bookmark
      }),
    isBookmarked: async (id) => (await init.storage.get('private', priv.bookmark(id))) !== undefined,
    unbookmark: async (id) => privateChange(() => privateState.setBookmarked(id, false, ctx.now())),
    getSetting: (name) => privateState.getSetting(name),
    setSetting: async (name, value) => privateChange(() => privateState.setSetting(name, value)),

    subscribe: (listener) => ctx.subscribe(listener),
  }
}
