// What the person does: posts, replies, reactions, follows, profile, mutes and blocks. Every
// signed result goes through the outbox, which sends it now or when a relay is reachable.
import { extractHashtags, fail, MAX_MENTIONS, MAX_TAGS } from '../../core/index.ts'
import type { AuthorId, ImageRef } from '../../core/types.ts'
import type { Published, Store } from '../../store/types.ts'
import type { AppBackend } from '../state/backend.ts'
import type { DraftPhoto, PostDraft } from '../state/view-types.ts'
import type { BlobTransport } from './blob-transport.ts'
import type { Outbox, OutboxItem } from './outbox.ts'
import type { PostViews } from './post-views.ts'

export type BackendActions = Pick<
  AppBackend,
  'post' | 'editPost' | 'react' | 'repost' | 'deletePost' | 'imageUrl' | 'setBookmarked' | 'follow' | 'unfollow' | 'editProfile' | 'setMuted' | 'setBlocked'
>

/** Queues what the store signed: its feed-document changes, then its event. */
export function sendThrough(outbox: Outbox): (published: Published) => Promise<void> {
  return async (published) => {
    const items: OutboxItem[] = published.envelopes.map((bytes) => ({ kind: 'change', bytes }))
    if (published.event) items.push({ kind: 'event', bytes: published.event.bytes, id: published.event.id })
    await outbox.enqueue(items)
  }
}

function postBody(draft: PostDraft) {
  const tags = extractHashtags(draft.text).slice(0, MAX_TAGS)
  // a reply also mentions its parent's author (store local-actions): keep room for it
  const mentions = [...new Set(draft.mentions ?? [])].slice(0, MAX_MENTIONS - (draft.reply ? 1 : 0))
  return {
    text: draft.text,
    ...(draft.cw ? { cw: draft.cw } : {}),
    ...(draft.lang ? { lang: draft.lang } : {}),
    ...(draft.quote ? { quote: draft.quote } : {}),
    ...(tags.length ? { tags } : {}),
    ...(mentions.length ? { mentions } : {}),
  }
}

export function createBackendActions(init: {
  store: Store
  me: AuthorId
  views: PostViews
  send(published: Published): Promise<void>
  blobs: BlobTransport
}): BackendActions {
  const { store, send, blobs } = init

  /** Each photo and its thumbnail to my relays, one after the other; then what the post names. */
  async function upload(photos: readonly DraftPhoto[]): Promise<ImageRef[]> {
    const images: ImageRef[] = []
    for (const { encoded, alt } of photos) {
      await blobs.upload(encoded.bytes, encoded.sha256)
      await blobs.upload(encoded.thumb.bytes, encoded.thumb.sha256)
      const trimmed = alt.trim()
      images.push({
        sha256: encoded.sha256,
        type: encoded.type,
        size: encoded.bytes.length,
        w: encoded.width,
        h: encoded.height,
        ...(trimmed ? { alt: trimmed } : {}),
        blurhash: encoded.blurhash,
        thumb: encoded.thumb.sha256,
      })
    }
    return images
  }

  return {
    async post(draft) {
      const images = await upload(draft.photos ?? [])
      const body = { ...postBody(draft), ...(images.length ? { images } : {}) }
      const published = draft.reply ? await store.reply(draft.reply.parent, body) : await store.post(body)
      await send(published)
      if (!published.event) fail('E_STORAGE', 'the store made no event')
      return published.event.id
    },
    async editPost(id, draft) {
      const { quote: _quote, ...editable } = postBody(draft)
      await send(await store.edit(id, editable))
    },
    async react(target, emoji) {
      await send(await store.react(target, emoji))
    },
    async repost(target) {
      await send(await store.repost(target))
    },
    imageUrl: (sha256, type) => blobs.url(sha256, type),
    async deletePost(id) {
      await send(await store.retract(id))
    },
    async setBookmarked(id, bookmarked) {
      await (bookmarked ? store.bookmark(id) : store.unbookmark(id))
    },
    async follow(author) {
      // their feed comes at once: the subscription asks for them, then the network syncs them
      // (protocol/subscribe.md §Flow 4)
      await send(await ((await store.privateView()).privateFollows ? store.followPrivately(author) : store.follow(author)))
    },
    async unfollow(author) {
      await send(await store.unfollowEverywhere(author))
    },
    async editProfile(draft) {
      await send(await store.editProfile({ name: draft.name, bio: draft.bio, avatar: draft.avatar ?? '' }))
      init.views.forget(init.me)
    },
    async setMuted(author, muted) {
      await (muted ? store.mute(author) : store.unmute(author))
    },
    async setBlocked(author, blocked) {
      await (blocked ? store.block(author) : store.unblock(author))
    },
  }
}
