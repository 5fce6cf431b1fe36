// The store's direct messages: kept in its own storage, sealed and opened with its identity,
// refusing what the person's state says to refuse (blocks, their own or a subscribed list's, and
// requests when the person chose so).
import { createDmIdentity } from '../core/dm-seal.ts'
import { fail } from '../core/errors.ts'
import type { StoreContext } from './store-context.ts'
import { createDirectMessages, createReceivePolicy, type DirectMessages } from './direct-messages.ts'

export async function openDirectMessages(ctx: StoreContext): Promise<DirectMessages> {
  if (ctx.init.secret === undefined) fail('E_BAD_KEY', 'this store has no local identity')
  await ctx.started()
  const visibility = await ctx.visibility()
  return createDirectMessages({
    storage: ctx.init.storage,
    identity: await createDmIdentity(ctx.init.secret),
    now: ctx.now,
    policy: createReceivePolicy({
      isBlocked: (a) => visibility.isBlocked(a),
      isFollowed: (a) => ctx.homeAuthors.has(a),
      refuseRequests: () => ctx.privateFeed()?.view().refuseRequests ?? false,
    }),
  })
}
