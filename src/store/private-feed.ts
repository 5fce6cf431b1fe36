// My private document in memory (protocol/lists.md §1): rebuilt from the sealed blobs of my
// feed document, changed by sealing one Automerge change into a new blob, and told about every
// commit of my feed document — which may carry blobs from my other devices — so that private
// follows change the home timeline like public ones. Only the store of the identity's own
// devices has one (it needs the secret).
import { toHex } from '../core/bytes.ts'
import { privateDocKeyOf } from '../core/dm-keys.ts'
import { openPrivateChange, sealPrivateChange } from '../core/private-seal.ts'
import { getPublicKey } from '../core/keys.ts'
import type { AuthorId, SecretKey } from '../core/types.ts'
import type { Doc } from '@automerge/automerge/slim'
import type { AutomergeApi } from './automerge.ts'
import { readFollows, type FeedDoc, type FeedDocDelta } from './feed-doc.ts'
import { createPrivateDoc, readPrivateDoc, type PrivateDoc, type PrivateView } from './private-doc.ts'

/** Root keys of the feed document that hold sealed blobs: `sealed/<32 hex digits>`. */
export const SEALED_PREFIX = 'sealed/'

export interface PrivatePlan {
  readonly delta: FeedDocDelta
  commit(): void
}

export interface PrivateFeed {
  /** rebuilds the private document from every sealed blob of my feed document */
  load(feed: FeedDoc): void
  view(): PrivateView
  /** one change to the private document, sealed: put `blob` at `key` in my feed document */
  seal(edit: (d: PrivateDoc) => void): { key: string; blob: Uint8Array } | undefined
  /** what a commit of my feed document does, private follows included (applied on commit()) */
  plan(feed: FeedDoc, delta: FeedDocDelta): PrivatePlan
}

export function sealedKeysOf(feed: FeedDoc): string[] {
  return Object.keys(feed).filter((k) => k.startsWith(SEALED_PREFIX))
}

export function createPrivateFeed(init: { am: AutomergeApi; secret: SecretKey; actor: string }): PrivateFeed {
  const { am } = init
  const key = privateDocKeyOf(init.secret)
  const owner = getPublicKey(init.secret)
  let doc: Doc<PrivateDoc> = createPrivateDoc(am, init.actor)
  let view = readPrivateDoc(doc)

  /** the changes inside the blobs at `keys`; a blob that does not open is skipped (my own bug) */
  function changesOf(feed: FeedDoc, keys: readonly string[]): Uint8Array[] {
    const out: Uint8Array[] = []
    for (const k of keys) {
      const blob: unknown = (feed as unknown as Record<string, unknown>)[k]
      if (!(blob instanceof Uint8Array)) continue
      try {
        out.push(openPrivateChange(key, owner, blob))
      } catch {
        // written by a buggy device of mine, or not a blob: ignored like other junk (feed-document.md §1)
      }
    }
    return out
  }

  function applied(base: Doc<PrivateDoc>, changes: Uint8Array[]): Doc<PrivateDoc> {
    const copy = am.clone(base, { actor: init.actor })
    if (changes.length === 0) return copy
    try {
      return am.applyChanges(copy, changes)[0]
    } catch {
      // one bad change poisons a call: apply one by one, keeping the good ones
      let d = am.clone(base, { actor: init.actor })
      for (const c of changes) {
        try {
          d = am.applyChanges(d, [c])[0]
        } catch {
          // skipped
        }
      }
      return d
    }
  }

  return {
    load(feed) {
      doc = applied(createPrivateDoc(am, init.actor), changesOf(feed, sealedKeysOf(feed)))
      view = readPrivateDoc(doc)
    },
    view: () => view,
    seal(edit) {
      const draft = am.clone(doc, { actor: init.actor })
      const before = am.getHeads(draft)
      // time 0: the change says nothing about when (protocol/lists.md §1)
      const next = am.change(draft, { time: 0 }, edit)
      if (am.getHeads(next).every((h) => before.includes(h))) return undefined
      const change = am.getLastLocalChange(next)!
      const id = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)))
      return { key: `${SEALED_PREFIX}${id}`, blob: sealPrivateChange(key, owner, change) }
    },
    plan(feed, delta) {
      const changes = changesOf(feed, delta.sealed)
      const followsTouched = delta.followed.length > 0 || delta.unfollowed.length > 0
      if (changes.length === 0 && !followsTouched) return { delta, commit() {} }
      const next = changes.length === 0 ? doc : applied(doc, changes)
      const after = changes.length === 0 ? view : readPrivateDoc(next)
      const publicAfter = readFollows(feed)
      const followed = [...delta.followed]
      const unfollowed = delta.unfollowed.filter((a) => !after.follows.has(a))
      for (const [author, since] of after.follows) if (!view.follows.has(author)) followed.push({ author, since })
      for (const author of view.follows.keys()) if (!after.follows.has(author) && !publicAfter.has(author)) unfollowed.push(author as AuthorId)
      return {
        delta: { ...delta, followed, unfollowed },
        commit() {
          doc = next
          view = after
        },
      }
    },
  }
}
