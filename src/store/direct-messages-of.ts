// The store's direct messages: kept in its own storage, sealed and opened with its identity,
// refusing what its private state says to refuse (blocks, and requests when the person chose so).
import { createDmIdentity } from '../core/dm-seal.ts'
import { fail } from '../core/errors.ts'
import type { AuthorId } from '../core/types.ts'
import type { StoreContext } from './create-store.ts'
import { createDirectMessages, createReceivePolicy, type DirectMessages } from './direct-messages.ts'
import type { PrivateFeed } from './private-feed.ts'
import type { PrivateState } from './private-state.ts'

export async function openDirectMessages(ctx: StoreContext, privateState: PrivateState, homeSet: ReadonlySet<AuthorId>, getFeed: () => PrivateFeed | undefined): Promise<DirectMessages> {
  if (ctx.init.secret === undefined) fail('E_BAD_KEY', 'this store has no local identity')
  await ctx.started()
  return createDirectMessages({
    storage: ctx.init.storage,
    identity: await createDmIdentity(ctx.init.secret),
    now: ctx.now,
    policy: createReceivePolicy({
      isBlocked: (a) => privateState.isBlocked(a),
      isFollowed: (a) => homeSet.has(a),
      refuseRequests: () => getFeed()?.view().refuseRequests ?? false,
    }),
  })
}
