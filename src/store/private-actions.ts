// The person's private and list actions (protocol/lists.md): a change to the private document
// goes into my feed document as a sealed blob, together with any public edit it needs (moving
// follows out of the public list), in one signed change and one storage batch. Lists are public
// edits of my feed document.
import { isAuthorId } from '../core/did-key.ts'
import { fail } from '../core/errors.ts'
import { signChange } from '../core/feed-envelope.ts'
import { toHex } from '../core/bytes.ts'
import type { AuthorId, SecretKey } from '../core/types.ts'
import type { StoreContext } from './store-context.ts'
import { readFollows, shardOfAuthor, type FeedDoc } from './feed-doc.ts'
import { applyListPatch, checkListPatch, LIST_PREFIX, readLists, type ListMap, type ListPatch, type SharedList } from './lists.ts'
import { coarseSince, overrideKey, subscriptionKey, type ListAction, type PrivateDoc, type PrivateView } from './private-doc.ts'
import type { Published } from './types.ts'

export type PrivateEdit =
  | { readonly type: 'read'; readonly peer: AuthorId; readonly ts: number }
  | { readonly type: 'subscribe'; readonly author: AuthorId; readonly list: string; readonly action: ListAction }
  | { readonly type: 'unsubscribe'; readonly author: AuthorId; readonly list: string }
  | { readonly type: 'override'; readonly author: AuthorId; readonly list: string; readonly entry: string; readonly on: boolean }
  | { readonly type: 'setting'; readonly name: 'refuseRequests'; readonly on: boolean }

export interface PrivateActions {
  /** my private document as this device holds it (empty before start, or without a secret) */
  privateView(): Promise<PrivateView>
  /** moves every follow into the private document (on) or back into the public list (off) */
  setPrivateFollows(on: boolean): Promise<Published>
  followPrivately(author: AuthorId): Promise<Published>
  /** removes the follow wherever it is, private or public */
  unfollowEverywhere(author: AuthorId): Promise<Published>
  editPrivate(edit: PrivateEdit): Promise<Published>
  /** the lists an author publishes (from their feed document as held here) */
  lists(author: AuthorId): Promise<SharedList[]>
  createList(patch: ListPatch & { name: string }): Promise<Published & { id: string }>
  editList(id: string, patch: ListPatch): Promise<Published>
  deleteList(id: string): Promise<Published>
  /** muted words of the lists I subscribe to, overrides left out (the authors they hide are left out of every query) */
  listMutedWords(): readonly string[]
}

const NO_VIEW: PrivateView = { follows: new Map(), read: new Map(), subscriptions: [], overrides: new Set(), privateFollows: false, refuseRequests: false }

export function createPrivateActions(ctx: StoreContext): PrivateActions {
  function identity(): { secret: SecretKey; me: AuthorId } {
    if (ctx.init.secret === undefined || ctx.me === undefined) fail('E_BAD_KEY', 'this store has no local identity')
    return { secret: ctx.init.secret, me: ctx.me }
  }

  /** one change of my feed document: a sealed private change (if any) and a public edit (if any) */
  async function publish(privateEdit: ((p: PrivateDoc) => void) | undefined, publicEdit?: (d: FeedDoc) => void): Promise<Published> {
    const { secret, me } = identity()
    const { docs } = await ctx.started()
    return ctx.exclusive(async () => {
      const feed = ctx.privateFeed()
      const sealed = privateEdit === undefined ? undefined : feed?.seal(privateEdit)
      const plan = await docs.planLocal(
        me,
        (d) => {
          if (sealed !== undefined) (d as unknown as Record<string, unknown>)[sealed.key] = sealed.blob
          publicEdit?.(d)
        },
        (change) => signChange(secret, change),
      )
      await ctx.commit([], [plan], true)
      const envelopes = plan.envelope ? [plan.envelope.bytes] : []
      if (envelopes.length > 0) ctx.emit({ type: 'changes', author: me, envelopes, local: true })
      return { envelopes }
    })
  }

  const checkAuthor = (a: AuthorId): void => {
    if (!isAuthorId(a)) fail('E_BAD_KEY', 'not an author id (did:key)')
  }

  async function myDoc(): Promise<FeedDoc> {
    const { me } = identity()
    return (await ctx.started()).docs.get(me)
  }

  async function privateView(): Promise<PrivateView> {
    await ctx.started()
    return ctx.privateFeed()?.view() ?? NO_VIEW
  }

  return {
    privateView,
    async setPrivateFollows(on) {
      const publicFollows = readFollows(await myDoc())
      const privateFollows = (await privateView()).follows
      const since = coarseSince(ctx.now())
      return publish(
        (p) => {
          p.settings.privateFollows = on ? 1 : 0
          if (on) {
            for (const [a, t] of publicFollows) if (!(a in p.follows)) p.follows[a] = coarseSince(t)
          } else {
            for (const a of Object.keys(p.follows)) delete p.follows[a]
          }
        },
        (d) => {
          if (on) {
            for (const a of publicFollows.keys()) delete d.follows[shardOfAuthor(a)]![a]
          } else {
            for (const [a, t] of privateFollows) d.follows[shardOfAuthor(a)]![a] = Math.min(coarseSince(t), since)
          }
        },
      )
    },
    async followPrivately(author) {
      checkAuthor(author)
      const since = coarseSince(ctx.now())
      return publish((p) => {
        if (p.follows[author] === undefined) p.follows[author] = since
      })
    },
    async unfollowEverywhere(author) {
      checkAuthor(author)
      const inPrivate = (await privateView()).follows.has(author)
      return publish(
        inPrivate
          ? (p) => {
              delete p.follows[author]
            }
          : undefined,
        (d) => {
          const shard = d.follows[shardOfAuthor(author)]!
          if (author in shard) delete shard[author]
        },
      )
    },
    async editPrivate(edit) {
      switch (edit.type) {
        case 'read':
          checkAuthor(edit.peer)
          return publish((p) => {
            if ((p.read[edit.peer] ?? 0) < edit.ts) p.read[edit.peer] = edit.ts
          })
        case 'subscribe':
          checkAuthor(edit.author)
          return publish((p) => {
            p.subs[subscriptionKey(edit.author, edit.list)] = edit.action
          })
        case 'unsubscribe':
          return publish((p) => {
            delete p.subs[subscriptionKey(edit.author, edit.list)]
          })
        case 'override': {
          const key = overrideKey(edit.author, edit.list, edit.entry)
          return publish((p) => {
            if (edit.on) p.overrides[key] = 1
            else delete p.overrides[key]
          })
        }
        case 'setting':
          return publish((p) => {
            p.settings[edit.name] = edit.on ? 1 : 0
          })
      }
    },
    async lists(author) {
      return readLists(author, await (await ctx.started()).docs.get(author))
    },
    async createList(patch) {
      checkListPatch(patch)
      const id = toHex(globalThis.crypto.getRandomValues(new Uint8Array(8)))
      const list: ListMap = {
        v: 1,
        name: patch.name,
        description: patch.description ?? '',
        keys: Object.fromEntries((patch.addKeys ?? []).map((k) => [k, 1])),
        words: Object.fromEntries((patch.addWords ?? []).map((w) => [w, 1])),
      }
      const published = await publish(undefined, (d) => {
        ;(d as unknown as Record<string, ListMap>)[`${LIST_PREFIX}${id}`] = list
      })
      return { ...published, id }
    },
    async editList(id, patch) {
      checkListPatch(patch)
      return publish(undefined, (d) => {
        const list = (d as unknown as Record<string, ListMap | undefined>)[`${LIST_PREFIX}${id}`]
        if (list === undefined) fail('E_MALFORMED', 'no such list')
        applyListPatch(list, patch)
      })
    },
    listMutedWords: () => ctx.listWords(),
    async deleteList(id) {
      return publish(undefined, (d) => {
        delete (d as unknown as Record<string, unknown>)[`${LIST_PREFIX}${id}`]
      })
    },
  }
}
