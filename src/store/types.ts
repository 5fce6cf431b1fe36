// The store's public API: what the app and the network layer call. createStore() in
// create-store.ts returns a Store. It structurally satisfies src/net/sync-source.ts
// (SyncSource + SyncSink) so the network layer can hand it to catch-up sync directly.
import type { ErrorCode } from '../core/errors.ts'
import type { VerifiedEvent } from '../core/event-verify.ts'
import type { VerifiedChangeEnvelope } from '../core/feed-envelope.ts'
import type { AuthorId, EditBody, EventId, PostBody, SecretKey, SignedEvent } from '../core/types.ts'
import type { CommunityCacheLimits } from './community-cache.ts'
import type { DocumentCacheLimits } from './document-cache.ts'
import type { Storage } from './storage.ts'
import type { PrivateActions } from './private-actions.ts'
import type { DirectMessages } from './direct-messages.ts'

export interface StoreInit {
  readonly storage: Storage
  /** the local identity; without it the store is read/ingest-only (local actions throw E_BAD_KEY) */
  readonly secret?: SecretKey
  /** clock for timestamps and validation (tests, benchmarks) */
  readonly now?: () => number
  /**
   * Browsers: a Web Locks name (e.g. the database name). Writes then take that lock, so two
   * tabs or windows on one database write one after the other (each starts from what the
   * other stored). Without it, one store per database at a time.
   */
  readonly crossTabLock?: string
  /**
   * Bounds of the community cache (community-cache.ts): events of people I neither follow nor
   * that concern me, evicted oldest first. Default COMMUNITY_CACHE_LIMITS.
   */
  readonly communityCache?: CommunityCacheLimits
  /**
   * Bounds of the document cache (document-cache.ts): feed documents of people I neither follow
   * nor that concern me, evicted oldest first. Default DOCUMENT_CACHE_LIMITS.
   */
  readonly documentCache?: DocumentCacheLimits
}

/**
 * Why an item was not stored; `code` (protocol/errors.md) says exactly what was wrong.
 * - invalid: failed decoding, validation or the signature or owner check; never retried
 * - missing-dependencies: a feed-document change that needs earlier changes of its document
 *   first (gossip does not keep order): the same bytes are accepted once those are in
 * - retracted: its author has retracted it
 * - over-limit: a quota, the archive's cap or its backlog (relays): the item itself was fine
 * - storage: the write failed; the input was fine and may be offered again
 */
export type IngestReason = 'invalid' | 'missing-dependencies' | 'retracted' | 'over-limit' | 'storage'

export interface IngestRefusal {
  readonly ok: false
  readonly code: ErrorCode
  readonly reason: IngestReason
  readonly message: string
}

/** Per-item outcome of ingestEvents / ingestChanges. Bad input is dropped with its reason. */
export type IngestResult =
  /** id: the event id, or the Automerge change hash of a change envelope */
  { readonly ok: true; readonly id: string; readonly duplicate: boolean } | IngestRefusal

export interface PageOptions {
  /** opaque cursor from a previous page's `cursor` */
  readonly cursor?: string
  /** items per page (default 20, at most 200) */
  readonly limit?: number
}

/** One page of a query, for the app too (one definition). */
export interface Page<T> {
  readonly items: readonly T[]
  /** pass back to get the next page; undefined when there is nothing more */
  readonly cursor: string | undefined
}

export interface Profile {
  readonly name: string
  readonly bio: string
  /** a small `data:image/…` URL, or '' (protocol/feed-document.md bounds it) */
  readonly avatar: string
}

export type NotificationType = 'reply' | 'mention' | 'reaction' | 'repost' | 'quote' | 'follow'

export interface Notification {
  readonly type: NotificationType
  readonly from: AuthorId
  readonly ts: number
  /** the event behind it (absent for 'follow', which comes from a feed document) */
  readonly event?: SignedEvent
}

/** Drafts for local actions; signing, ids and timestamps are the store's job. */
export type PostDraft = Omit<PostBody, 'reply'>
/** A post's new version: what an edit may change (its thread and quote stay). */
export type EditDraft = Omit<EditBody, 'target'>

/** Reactions to one event, by emoji: how many people, and whether I am one of them. */
export interface ReactionCount {
  readonly emoji: string
  readonly count: number
  readonly mine: boolean
  /** my reaction with this emoji (retract it to take it back) */
  readonly myId?: EventId
}

/** What refers to one event, as this store holds it (referenceCounts). */
export interface ReferenceCounts {
  /** direct replies (posts whose reply.parent is the event) */
  readonly replies: number
  /** people who reposted it */
  readonly reposts: number
  /** my repost of it (retract it to undo) */
  readonly myRepost?: EventId
  readonly reactions: readonly ReactionCount[]
}

/** What a local action produced: the network layer gossips these bytes as they are. */
export interface Published {
  /** the new event (post, reply, reaction, repost), if the action made one */
  readonly event?: SignedEvent
  /** signed change envelopes (protocol/feed-document.md) of the local feed document */
  readonly envelopes: Uint8Array[]
}

export type StoreChange =
  | { readonly type: 'events'; readonly events: readonly SignedEvent[]; readonly local: boolean }
  | {
      readonly type: 'changes'
      readonly author: AuthorId
      readonly envelopes: readonly Uint8Array[]
      readonly local: boolean
      /** whom these changes made the author follow (a relay tells them, protocol/subscribe.md §Filter) */
      readonly followed?: readonly AuthorId[]
    }
  | { readonly type: 'purged'; readonly ids: readonly EventId[] }
  | { readonly type: 'private' }

export interface Store extends PrivateActions {
  start(): Promise<void>
  close(): Promise<void>
  /** the local author, if the store has a secret */
  readonly me: AuthorId | undefined

  // --- ingest (verification happens here too; bad items get a typed reason) ---
  /** Event bytes from anywhere: decoded and verified here. */
  ingestEvents(list: readonly Uint8Array[]): Promise<IngestResult[]>
  /**
   * Events core has already opened (openEvent/openEvents, e.g. in a gossip validator or the
   * sync client): stored without decoding them again, and core's verified mark spares the
   * signature check. An object core did not verify (a copy) is verified here first.
   */
  ingestOpenedEvents(events: readonly VerifiedEvent[]): Promise<IngestResult[]>
  /**
   * Signed change envelopes. `owner`: the feed document the sender claimed they belong to
   * (E_WRONG_AUTHOR if signed by anyone else); omitted, each envelope's own author.
   */
  ingestChange(bytes: Uint8Array, owner?: AuthorId): Promise<IngestResult>
  ingestChanges(list: readonly Uint8Array[], owner?: AuthorId): Promise<IngestResult[]>
  /**
   * Change envelopes core has already opened (openChangeEnvelope, which checked the owner
   * where one was claimed): each goes into the document of the author who signed it, without a
   * second decode or signature check.
   */
  ingestOpenedChanges(envelopes: readonly VerifiedChangeEnvelope[]): Promise<IngestResult[]>

  // --- sync (src/net/sync-source.ts) ---
  getHeads(author: AuthorId): Promise<string[]>
  /** signed envelope bytes the holder of `heads` lacks, dependencies first */
  getChangesSince(author: AuthorId, heads: readonly string[]): Promise<Uint8Array[]>
  /** wire bytes of the events held (retracted/unknown ones omitted) */
  getEvents(ids: readonly EventId[]): Promise<Uint8Array[]>
  /** authors whose feed documents the store holds */
  listAuthors(): Promise<AuthorId[]>
  /** event ids named by the author's signed index, retracted ones excluded */
  indexedEventIds(author: AuthorId): Promise<EventId[]>
  /**
   * the subset of ids whose bytes the store lacks (retracted ones excluded). Pass `author` when
   * the ids are that author's (its signed index): then only that author's retractions count.
   * Without it a retraction of the id in anyone's document hides it, so another author could
   * keep this store from fetching an event by "retracting" its id in their own document.
   */
  missingEventIds(ids: readonly EventId[], author?: AuthorId): Promise<EventId[]>

  // --- reads ---
  getEvent(id: EventId): Promise<SignedEvent | undefined>
  /** a post and its author's edits of it, oldest first; empty when the post is not held */
  versions(id: EventId): Promise<readonly SignedEvent[]>
  /** getEvent, unless its author is muted or blocked: for quoted and reposted posts */
  getVisibleEvent(id: EventId): Promise<SignedEvent | undefined>
  getProfile(author: AuthorId): Promise<Profile>
  getFollows(author: AuthorId): Promise<AuthorId[]>
  /** authors whose feed documents (as held here) follow `author`: cheap, no Automerge */
  getFollowers(author: AuthorId): Promise<AuthorId[]>

  // --- queries: newest first unless said otherwise, mutes and blocks applied ---
  homeTimeline(options?: PageOptions): Promise<Page<SignedEvent>>
  authorPosts(author: AuthorId, options?: PageOptions): Promise<Page<SignedEvent>>
  /** root first, then replies (at any depth) oldest first */
  thread(root: EventId, options?: PageOptions): Promise<Page<SignedEvent>>
  notifications(options?: PageOptions): Promise<Page<Notification>>
  hashtag(tag: string, options?: PageOptions): Promise<Page<SignedEvent>>
  search(query: string, options?: PageOptions): Promise<Page<SignedEvent>>
  /**
   * Replies, reposts and reactions of an event, from the store's reference index: a retracted
   * one is gone with its event, muted and blocked people are not counted. Kept only by a store
   * with an identity (a relay's store has no reader for them and counts nothing).
   */
  referenceCounts(target: EventId): Promise<ReferenceCounts>

  // --- local actions: sign with the local secret, store, notify subscribers ---
  post(draft: PostDraft): Promise<Published>
  reply(parent: EventId, draft: PostDraft): Promise<Published>
  /** a new version of one of my posts (protocol/events.md §10); E_WRONG_AUTHOR for another's */
  edit(post: EventId, draft: EditDraft): Promise<Published>
  react(target: EventId, emoji: string): Promise<Published>
  repost(target: EventId): Promise<Published>
  follow(author: AuthorId): Promise<Published>
  unfollow(author: AuthorId): Promise<Published>
  editProfile(patch: Partial<Profile>): Promise<Published>
  /** deletes one of my events (a post with all its versions): signed retraction in my feed document, local purge */
  retract(id: EventId): Promise<Published>

  // --- private state: stays on this device, never published ---
  mute(author: AuthorId): Promise<void>
  unmute(author: AuthorId): Promise<void>
  block(author: AuthorId): Promise<void>
  unblock(author: AuthorId): Promise<void>
  listMuted(): Promise<AuthorId[]>
  listBlocked(): Promise<AuthorId[]>
  bookmark(id: EventId): Promise<void>
  unbookmark(id: EventId): Promise<void>
  bookmarks(options?: PageOptions): Promise<Page<SignedEvent>>
  isBookmarked(id: EventId): Promise<boolean>
  getSetting(name: string): Promise<unknown>
  setSetting(name: string, value: unknown): Promise<void>

  /** my direct messages (protocol/direct-messages.md): opened once, E_BAD_KEY without a secret */
  directMessages(): Promise<DirectMessages>

  /** called after every committed change; returns the unsubscribe function */
  subscribe(listener: (change: StoreChange) => void): () => void
}
