// The AppBackend over the real store (IndexedDB + Automerge feed documents) and network
// (libp2p). The only place besides start-app.ts that knows about store and net.
import { createInvite, equalBytes, extractHashtags, fail, MAX_INVITE_RELAYS, MAX_MENTIONS, MAX_TAGS, secretKeyToPhrase } from '../../core/index.ts'
import type { AuthorId, SecretKey, SignedEvent } from '../../core/types.ts'
import type { Published, Store } from '../../store/types.ts'
import type { AppBackend, AppSettings } from '../state/backend.ts'
import type { AuthorView, ConnectionView, PostDraft } from '../state/view-types.ts'
import type { AppDb } from './app-db.ts'
import { createCommunityIndex } from './community-index.ts'
import { saveSettings } from './device-settings.ts'
import { decodeExport, encodeExport, type ExportData } from './export-file.ts'
import { checkRelayAddress, choosePeerKey, peerIdOfAddress, startNetSession, type NetSession } from './net-session.ts'
import { createOutbox, type OutboxItem } from './outbox.ts'
import { createPostViews, shortId } from './post-views.ts'
import { loadVettedRelays } from './vetted-relays.ts'
import { createDmWiring } from './dm-wiring.ts'
import { createPrivateWiring } from './private-backend.ts'
import type { PeerKey } from '../../net/peer-key.ts'
import type { AppLockControl } from '../state/app-lock.ts'

export interface BackendInit {
  readonly db: AppDb
  readonly store: Store
  readonly secret: SecretKey
  readonly me: AuthorId
  readonly settings: AppSettings
  readonly peerKey: PeerKey
  /** erases the store's database (after close) */
  readonly eraseStore: () => Promise<void>
  readonly eraseApp: () => Promise<void>
  readonly appLock?: AppLockControl | undefined
}

const PAGE = 30
const pageSize = (limit: number): number => Math.max(1, Math.min(200, Math.floor(limit)))

/** The backend, plus the merge of an export file decoded already (onboarding decodes it once: scrypt is slow on phones). */
export type Backend = AppBackend & { mergeExport(data: ExportData): Promise<void> }

export async function createBackend(init: BackendInit): Promise<Backend> {
  const { db, store, me } = init
  let settings = init.settings
  let net: NetSession | undefined
  const listeners = new Set<() => void>()
  const notify = (): void => { for (const l of listeners) l() }
  const community = await createCommunityIndex(db)
  const outbox = await createOutbox({
    db,
    // navigator.onLine false: the device says it is offline; keep everything queued
    publish: async (item) => (net && navigator.onLine ? net.publish(item.kind, item.bytes) : false),
    onChange: notify,
  })
  // the lists I subscribe to mute words too; the authors they hide the store leaves out
  const views = createPostViews(store, { me, mutedWords: () => [...settings.mutedWords, ...store.listMutedWords()], pendingIds: outbox.pendingIds })
  // reply and reaction counts come from the store now; drop the copy earlier versions kept
  db.delete('refCounts').catch(() => undefined)
  const vetted = await loadVettedRelays(db)

  const dms = await store.directMessages()
  const dmWiring = await createDmWiring({ db, dms, secret: init.secret, onChange: notify })
  const priv = await createPrivateWiring({ store, me, dms, wiring: dmWiring, author: (id) => views.author(id), send: (p) => send(p), onChange: notify })

  store.subscribe((change) => {
    if (change.type === 'events') community.add(change.events)
    if (change.type === 'purged') community.remove(change.ids)
    if (change.type === 'changes') {
      views.forget(change.author)
      if (change.author === me && !change.local) void priv.keepFollowsPrivate()
    }
    notify()
  })

  async function startNet(): Promise<void> {
    // store-and-forward cursors per relay survive restarts: a reopened app asks each relay only
    // for what arrived since, instead of its last 2,000 events again
    const cursors = (await db.get<Record<string, string>>('syncCursors').catch(() => undefined)) ?? {}
    const syncCursors = {
      initial: cursors,
      save(peer: string, cursor: string) {
        cursors[peer] = cursor
        db.put('syncCursors', cursors).catch(() => undefined)
      },
    }
    // the relays in the settings first, then those reached before: the one that served the app may be gone
    const relays = [...new Set([...settings.relays, ...vetted.list()])]
    const peerKey = await choosePeerKey(settings.privacy, init.peerKey)
    const session = await startNetSession({ peerKey, store, me, relays, privacy: settings.privacy, syncCursors })
    net = session
    dmWiring.attach(session)
    session.network.status.subscribe(() => {
      vetted.remember(session.connectedRelayAddresses())
      notify()
      // give a fresh relay connection a moment to exchange subscriptions, then send the queue
      setTimeout(() => void outbox.flush(), 1000)
    })
  }
  async function restartNet(): Promise<void> {
    const old = net
    net = undefined
    dmWiring.detach()
    await old?.stop().catch(() => undefined)
    await startNet()
    notify()
  }
  // letters too: a deposit that failed (a relay went away mid-way) is tried again
  const flushTimer = setInterval(() => { void outbox.flush(); void dmWiring.flush() }, 5000)
  // removed on stop and wipe, so a backend that was replaced stops answering the browser's events
  const onOnline = (): void => { notify(); void outbox.flush() }
  addEventListener('online', onOnline)
  addEventListener('offline', notify)
  const stopTimers = (): void => {
    clearInterval(flushTimer)
    removeEventListener('online', onOnline)
    removeEventListener('offline', notify)
  }

  async function send(published: Published): Promise<void> {
    const items: OutboxItem[] = published.envelopes.map((bytes) => ({ kind: 'change', bytes }))
    if (published.event) items.push({ kind: 'event', bytes: published.event.bytes, id: published.event.id })
    await outbox.enqueue(items)
  }
  const update = async (next: AppSettings): Promise<void> => {
    settings = next
    await saveSettings(db, next)
  }

  await startNet()
  const fetchedProfiles = new Set<AuthorId>()
  // my display name, for invite links (which are made synchronously)
  let cachedName = ''

  const backend: Backend = {
    ...priv,
    me,
    appLock: init.appLock,
    revealPhrase: (language) => secretKeyToPhrase(init.secret, language),

    async homeTimeline(cursor, limit = PAGE) {
      const page = await store.homeTimeline({ limit: pageSize(limit), ...(cursor ? { cursor } : {}) })
      const items = await views.posts(page.items)
      // the snapshot painted at the next cold start, before Automerge or the store load
      if (!cursor) db.put('snapshot', items.slice(0, PAGE)).catch(() => undefined)
      return { items, cursor: page.cursor }
    },
    async communityTimeline(cursor, limit = PAGE) {
      const start = cursor ? Number(cursor) : 0
      const size = pageSize(limit)
      const ids = community.page(start, size)
      const events = (await Promise.all(ids.map((id) => store.getEvent(id)))).filter((e): e is SignedEvent => e !== undefined)
      return { items: await views.posts(events), cursor: ids.length === size ? String(start + size) : undefined }
    },
    async authorPosts(author, cursor, limit = PAGE) {
      const page = await store.authorPosts(author, { limit: pageSize(limit), ...(cursor ? { cursor } : {}) })
      return { items: await views.posts(page.items), cursor: page.cursor }
    },
    async thread(id) {
      const event = await store.getEvent(id)
      if (!event || event.kind !== 'post') return []
      const root = event.body.reply?.root ?? id
      const page = await store.thread(root, { limit: 200 })
      // depth of each reply below the root, for indentation (parents come before replies)
      const depth = new Map<string, number>()
      for (const e of page.items) {
        const parent = e.kind === 'post' ? e.body.reply?.parent : undefined
        depth.set(e.id, parent === undefined ? 0 : (depth.get(parent) ?? 0) + 1)
      }
      return (await views.posts(page.items)).map((p) => ({ ...p, depth: depth.get(p.id) ?? 0 }))
    },
    async notifications() {
      return views.notifications((await store.notifications({ limit: 50 })).items)
    },
    async search(query) {
      const q = query.trim()
      if (!q) return { posts: [], people: [] }
      const page = q.startsWith('#') ? await store.hashtag(q.slice(1), { limit: PAGE }) : await store.search(q, { limit: PAGE })
      const needle = q.normalize('NFKC').toLowerCase()
      const authors = (await store.listAuthors()).slice(0, 500)
      const people = (await Promise.all(authors.map(views.author)))
        .filter((a) => a.name.normalize('NFKC').toLowerCase().includes(needle) || a.id === q)
      return { posts: await views.posts(page.items), people: people.slice(0, 20) }
    },
    async mentionCandidates(prefix, limit = 8) {
      const needle = prefix.normalize('NFKC').toLowerCase()
      const [follows, followers, seen, blocked] = await Promise.all([
        store.getFollows(me), store.getFollowers(me), store.listAuthors(), store.listBlocked(),
      ])
      // the order says who comes first among equally good matches; bounded like search
      const ids = [...new Set([...follows, ...followers, ...seen.slice(0, 500)])].filter((a) => a !== me && !blocked.includes(a))
      const people = await Promise.all(ids.map(views.author))
      const name = (a: AuthorView): string => a.name.normalize('NFKC').toLowerCase()
      const starts = people.filter((a) => name(a).startsWith(needle))
      const contains = people.filter((a) => !name(a).startsWith(needle) && name(a).includes(needle))
      return [...starts, ...contains].slice(0, Math.min(limit, 20))
    },
    async profile(author) {
      // someone I do not follow: fetch their feed document (profile, lists) once, as opening any profile does
      if (author !== me && !fetchedProfiles.has(author)) {
        fetchedProfiles.add(author)
        void net?.network.syncNow({ authors: [author] }).then(() => { views.forget(author); notify() }, () => undefined)
      }
      const [profile, follows, followers, myFollows, muted, blocked] = await Promise.all([
        views.profileOf(author), store.getFollows(author), store.getFollowers(author), store.getFollows(me), store.listMuted(), store.listBlocked(),
      ])
      return {
        author: await views.author(author),
        bio: profile.bio,
        isMe: author === me,
        following: myFollows.includes(author),
        muted: muted.includes(author),
        blocked: blocked.includes(author),
        followingCount: follows.length,
        follows: await Promise.all(follows.slice(0, 50).map(views.author)),
        followerCount: followers.length,
        missingPosts: net?.network.missingCount(author) ?? 0,
      }
    },
    async blockedAndMuted() {
      const ids = [...new Set([...(await store.listBlocked()), ...(await store.listMuted())])]
      return Promise.all(ids.map(views.author))
    },

    async post(draft: PostDraft) {
      const tags = extractHashtags(draft.text).slice(0, MAX_TAGS)
      // a reply also mentions its parent's author (store local-actions): keep room for it
      const mentions = [...new Set(draft.mentions ?? [])].slice(0, MAX_MENTIONS - (draft.reply ? 1 : 0))
      const body = {
        text: draft.text,
        ...(draft.cw ? { cw: draft.cw } : {}),
        ...(draft.lang ? { lang: draft.lang } : {}),
        ...(draft.quote ? { quote: draft.quote } : {}),
        ...(tags.length ? { tags } : {}),
        ...(mentions.length ? { mentions } : {}),
      }
      const published = draft.reply ? await store.reply(draft.reply.parent, body) : await store.post(body)
      await send(published)
      if (!published.event) fail('E_STORAGE', 'the store made no event')
      return published.event.id
    },
    async react(target, emoji) { await send(await store.react(target, emoji)) },
    async repost(target) { await send(await store.repost(target)) },
    async deletePost(id) { await send(await store.retract(id)) },
    async follow(author) {
      await send(await ((await store.privateView()).privateFollows ? store.followPrivately(author) : store.follow(author)))
      // their feed now, not at the next periodic sync: a session in flight started without them
      void net?.network.syncNow({ authors: [author] }).catch(() => undefined)
    },
    async unfollow(author) { await send(await store.unfollowEverywhere(author)) },
    async editProfile(draft) {
      await send(await store.editProfile({ name: draft.name, bio: draft.bio, avatar: draft.avatar ?? '' }))
      views.forget(me)
    },
    async setMuted(author, muted) { await (muted ? store.mute(author) : store.unmute(author)) },
    async setBlocked(author, blocked) { await (blocked ? store.block(author) : store.unblock(author)) },

    settings: () => settings,
    async setMutedWords(words) { await update({ ...settings, mutedWords: [...words] }); notify() },
    async addRelay(address) {
      const clean = checkRelayAddress(address)
      if (settings.relays.includes(clean)) return
      await update({ ...settings, relays: [...settings.relays, clean] })
      if (!net?.network.addRelay(clean)) await restartNet()
      notify()
    },
    async removeRelay(address) {
      vetted.forget(address)
      await update({ ...settings, relays: settings.relays.filter((r) => r !== address) })
      await restartNet()
    },
    async setPrivacy(mode) {
      if (mode === settings.privacy) return
      await update({ ...settings, privacy: mode })
      await restartNet()
    },
    async setCommunity(name) { await update({ ...settings, community: name }); notify() },
    createInviteLink(appUrl, communityName) {
      if (settings.relays.length === 0) fail('E_BAD_INVITE', 'no relays to invite to')
      const community = communityName?.trim() || settings.community
      return createInvite(init.secret, {
        relays: settings.relays.slice(0, MAX_INVITE_RELAYS), name: cachedName || shortId(me), ...(community ? { community } : {}),
      }, appUrl)
    },

    async exportData(passphrase) {
      const changes = await store.getChangesSince(me, [])
      const events = await store.getEvents(await store.indexedEventIds(me))
      const data = { author: me, secret: init.secret, settings, muted: await store.listMuted(), blocked: await store.listBlocked(), changes, events }
      return encodeExport(data, passphrase)
    },
    async importData(bytes, passphrase) {
      await backend.mergeExport(await decodeExport(bytes, passphrase))
    },
    async mergeExport(data) {
      if (data.author !== me || (data.secret && !equalBytes(data.secret, init.secret))) fail('E_WRONG_AUTHOR', 'this export file belongs to another identity')
      await store.ingestChanges(data.changes)
      await store.ingestEvents(data.events)
      for (const a of data.muted) await store.mute(a)
      for (const a of data.blocked) await store.block(a)
      const relays = [...new Set([...settings.relays, ...data.settings.relays])]
      await update({ ...settings, relays, mutedWords: [...new Set([...settings.mutedWords, ...data.settings.mutedWords])] })
      if (relays.length !== settings.relays.length) await restartNet()
      notify()
    },
    async wipe() {
      stopTimers()
      dmWiring.detach()
      await net?.stop().catch(() => undefined)
      await store.close().catch(() => undefined)
      await init.eraseStore()
      await init.eraseApp()
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    connection(): ConnectionView {
      const status = net?.network.status.get()
      const connected = new Set(status?.relays ?? [])
      // the relays in the settings, and any other this device reached (vetted-relays.ts)
      const listed = new Set(settings.relays.map(peerIdOfAddress))
      const others = (net?.connectedRelayAddresses() ?? []).filter((a) => !listed.has(peerIdOfAddress(a)))
      const relays = [...settings.relays, ...others].map((address) => ({ address, connected: connected.has(peerIdOfAddress(address) ?? '') }))
      const online = typeof navigator === 'undefined' || navigator.onLine
      const state = !online ? 'offline' : connected.size > 0 ? 'online' : settings.relays.length > 0 ? 'connecting' : 'offline'
      return { state, relays, peers: status?.peers.length ?? 0, queued: outbox.size() }
    },
    async stop() {
      stopTimers()
      dmWiring.detach()
      await net?.stop()
      await store.close()
    },
  }
  cachedName = (await views.profileOf(me)).name
  store.subscribe((change) => {
    if (change.type === 'changes' && change.author === me) void views.profileOf(me).then((p) => { cachedName = p.name })
  })
  return backend
}
