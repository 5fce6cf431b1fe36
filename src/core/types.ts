// The data model of protocol v1 (protocol/events.md, protocol/identity.md). Types only.

declare const brand: unique symbol
type Brand<T, B extends string> = T & { readonly [brand]: B }

/** 32-byte Ed25519 public key of an author. */
export type PublicKey = Brand<Uint8Array, 'PublicKey'>
/** 32-byte Ed25519 secret seed. Never leaves the device unencrypted, never logged. */
export type SecretKey = Brand<Uint8Array, 'SecretKey'>
/** An author's text form: `did:key:z6Mk…` (protocol/identity.md). */
export type AuthorId = Brand<string, 'AuthorId'>
/** An event id in text form: lowercase hex of the 32-byte SHA-256 (protocol/events.md). */
export type EventId = Brand<string, 'EventId'>

export type EventKind = 'post' | 'reaction' | 'repost' | 'edit'

export interface ReplyRef {
  /** the first post of the thread */
  readonly root: EventId
  /** the post being answered (equal to root for a direct reply) */
  readonly parent: EventId
}

export interface PostBody {
  readonly text: string
  readonly reply?: ReplyRef
  readonly quote?: EventId
  readonly mentions?: readonly AuthorId[]
  readonly tags?: readonly string[]
  /** content warning: the text stays folded behind it */
  readonly cw?: string
  /** BCP 47 language tag, e.g. `zh-Hans`, `zh-Hant`, `en` */
  readonly lang?: string
  /** photos, 1–4: blobs named by hash, fetched apart from the event (protocol/blobs.md) */
  readonly images?: readonly ImageRef[]
}

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp'

/** One image of a post: its blob's hash and what a reader needs before the blob arrives. */
export interface ImageRef {
  /** SHA-256 of the blob, 64 lowercase hex digits */
  readonly sha256: string
  readonly type: ImageType
  /** the blob's bytes */
  readonly size: number
  /** pixels, as shown (orientation applied) */
  readonly w: number
  readonly h: number
  readonly alt?: string
  /** a blurhash: painted while the blob is fetched */
  readonly blurhash?: string
  /** SHA-256 of a small thumbnail blob (JPEG), 64 lowercase hex digits */
  readonly thumb?: string
}

export interface ReactionBody {
  readonly target: EventId
  /** one emoji grapheme */
  readonly emoji: string
}

export interface RepostBody {
  readonly target: EventId
}

/**
 * A new version of one of the author's posts (protocol/events.md §10): what can be edited, whole.
 * The thread and the quote stay the original's, and so do replies, reactions and reposts.
 */
export interface EditBody {
  readonly target: EventId
  readonly text: string
  readonly mentions?: readonly AuthorId[]
  readonly tags?: readonly string[]
  readonly cw?: string
  readonly lang?: string
}

interface EventBase<K extends EventKind, B> {
  readonly v: 1
  readonly kind: K
  readonly author: AuthorId
  /** milliseconds since the Unix epoch, from the author's clock */
  readonly ts: number
  readonly body: B
}

export type UnsignedEvent = EventBase<'post', PostBody> | EventBase<'reaction', ReactionBody> | EventBase<'repost', RepostBody> | EventBase<'edit', EditBody>

/** A verified (or locally signed) event: fields plus id, signature and its exact wire bytes. */
export type SignedEvent = UnsignedEvent & {
  readonly id: EventId
  readonly sig: Uint8Array
  /** canonical wire encoding; what is stored and gossiped */
  readonly bytes: Uint8Array
}

export type Post = Extract<SignedEvent, { kind: 'post' }>
export type Edit = Extract<SignedEvent, { kind: 'edit' }>
