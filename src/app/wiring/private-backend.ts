// The PrivateBackend (state/private-backend.ts) over the store: conversations and requests,
// private follows, and shared lists. What the lists I subscribe to hide, the store applies
// (src/store/list-filters.ts): this file only edits subscriptions and shows lists.
import { fail } from '../../core/errors.ts'
import type { AuthorId } from '../../core/types.ts'
import type { DirectMessages } from '../../store/direct-messages.ts'
import type { SharedList } from '../../store/lists.ts'
import type { PrivateView } from '../../store/private-doc.ts'
import type { Published, Store } from '../../store/types.ts'
import type { ConversationView, ListView, PrivateBackend } from '../state/private-backend.ts'
import type { AuthorView } from '../state/view-types.ts'
import type { DmWiring } from './dm-wiring.ts'

export interface PrivateWiring extends PrivateBackend {
  /** another device of mine followed someone publicly while I keep follows private: move them */
  keepFollowsPrivate(): Promise<void>
}

export async function createPrivateWiring(init: {
  store: Store
  me: AuthorId
  dms: DirectMessages
  wiring: DmWiring
  author(id: AuthorId): Promise<AuthorView>
  /** hands signed changes to the outbox */
  send(published: Published): Promise<void>
  onChange(): void
}): Promise<PrivateWiring> {
  const { store, me, dms } = init

  async function view(): Promise<PrivateView> {
    return store.privateView()
  }

  async function isFollowed(peer: AuthorId): Promise<boolean> {
    return (await store.getFollows(me)).includes(peer)
  }

  async function listView(list: SharedList, v: PrivateView): Promise<ListView> {
    const sub = v.subscriptions.find((s) => s.author === list.author && s.list === list.id)
    const prefix = `${list.author} ${list.id} `
    return {
      author: await init.author(list.author),
      id: list.id,
      name: list.name,
      description: list.description,
      keys: await Promise.all(list.keys.map(init.author)),
      words: list.words,
      subscribed: sub?.action,
      overridden: [...v.overrides].filter((o) => o.startsWith(prefix)).map((o) => o.slice(prefix.length)),
    }
  }

  async function publishAnd(work: Promise<Published>): Promise<void> {
    await init.send(await work)
    init.onChange()
  }

  async function conversations(): Promise<ConversationView[]> {
    const [list, v, follows] = await Promise.all([dms.conversations(), view(), store.getFollows(me)])
    const blocked = new Set(await store.listBlocked())
    const followed = new Set(follows)
    const out: ConversationView[] = []
    for (const c of list) {
      if (blocked.has(c.peer)) continue
      out.push({
        peer: await init.author(c.peer),
        preview: c.preview,
        last: c.last,
        lastOut: c.lastOut,
        unread: !c.lastOut && c.last > (v.read.get(c.peer) ?? 0),
        request: !followed.has(c.peer) && c.outCount === 0 && c.peer !== me,
      })
    }
    return out
  }

  return {
    async keepFollowsPrivate() {
      const v = await view()
      if (!v.privateFollows) return
      const all = await store.getFollows(me)
      if (all.some((a) => !v.follows.has(a))) await init.send(await store.setPrivateFollows(true))
    },

    conversations,
    async conversation(peer) {
      const [messages, conversations, muted, blocked, followed] = await Promise.all([
        dms.messages(peer),
        dms.conversations(),
        store.listMuted(),
        store.listBlocked(),
        isFollowed(peer),
      ])
      const c = conversations.find((x) => x.peer === peer)
      return {
        peer: await init.author(peer),
        messages: messages.map((m) => ({ id: m.id, out: m.out, text: m.text, ts: m.ts, pending: m.pending })),
        request: c !== undefined && !followed && c.outCount === 0 && peer !== me,
        muted: muted.includes(peer),
        blocked: blocked.includes(peer),
      }
    },
    async sendMessage(peer, text) {
      if (text.trim() === '') fail('E_BAD_TEXT', 'an empty message')
      await dms.send(peer, text)
      init.onChange()
      void init.wiring.flush()
    },
    async markRead(peer) {
      const newest = (await dms.messages(peer, 1))[0]
      const v = await view()
      // one sealed change only when something new was read: each one is a change others can count
      if (newest === undefined || newest.out || newest.ts <= (v.read.get(peer) ?? 0)) return
      await init.send(await store.editPrivate({ type: 'read', peer, ts: newest.ts }))
      init.onChange()
    },
    delivery: () => init.wiring.delivery(),
    async unreadConversations() {
      return (await conversations()).filter((c) => c.unread && !c.request).length
    },

    async privateSettings() {
      const v = await view()
      return { privateFollows: v.privateFollows, refuseRequests: v.refuseRequests }
    },
    setPrivateFollows: (on) => publishAnd(store.setPrivateFollows(on)),
    setRefuseRequests: (on) => publishAnd(store.editPrivate({ type: 'setting', name: 'refuseRequests', on })),

    async listsOf(author) {
      const v = await view()
      return Promise.all((await store.lists(author)).map((l) => listView(l, v)))
    },
    async subscribedLists() {
      const v = await view()
      const out: ListView[] = []
      for (const sub of v.subscriptions) {
        const list = (await store.lists(sub.author)).find((l) => l.id === sub.list)
        if (list !== undefined) out.push(await listView(list, v))
      }
      return out
    },
    subscribeList: (author, id, action) =>
      publishAnd(store.editPrivate(action === undefined ? { type: 'unsubscribe', author, list: id } : { type: 'subscribe', author, list: id, action })),
    setListOverride: (author, id, entry, skip) => publishAnd(store.editPrivate({ type: 'override', author, list: id, entry, on: skip })),
    async createList(name, description) {
      const published = await store.createList({ name, description })
      await init.send(published)
      init.onChange()
      return published.id
    },
    editList: (id, patch) => publishAnd(store.editList(id, patch)),
    deleteList: (id) => publishAnd(store.deleteList(id)),
    async blockAndAddToList(author, id) {
      await store.block(author)
      await publishAnd(store.editList(id, { addKeys: [author] }))
    },
  }
}
