// The feed document: one Automerge document per author (protocol/feed-document.md). This file
// is the schema, the deterministic genesis every copy starts from, the sharding, and
// defensive readers. No storage here (feed-docs.ts), no signing (core/feed-envelope.ts).
import { sha256 } from '@noble/hashes/sha2.js'
import { countGraphemes } from '../core/text.ts'
import { utf8Encode, toHex } from '../core/bytes.ts'
import { isAuthorId } from '../core/did-key.ts'
import { isEventId } from '../core/event-wire.ts'
import { fail } from '../core/errors.ts'
import type { AuthorId, EventId } from '../core/types.ts'
import type { Doc } from '@automerge/automerge/slim'
import type { AutomergeApi } from './automerge.ts'
import type { Profile } from './types.ts'

import { MAX_PROFILE_BIO_GRAPHEMES, MAX_PROFILE_NAME_GRAPHEMES } from '../core/limits.ts'
/** a data: URL, e.g. a 96×96 WebP; must fit one change (MAX_CHANGE_BYTES) with room to spare */
export const MAX_PROFILE_AVATAR_CHARS = 32 * 1024
/** control characters other than tab and newline (protocol/feed-document.md §1): C0, DEL, C1 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
/** a bound on UTF-16 units per grapheme before counting graphemes of untrusted text */
const MAX_UNITS_PER_GRAPHEME = 32
/** the only avatar form (protocol/feed-document.md §1): writers check it, readers too */
const AVATAR_URL = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/

/** Leaf maps keyed by hex strings ("00".."ff"). A change to a flat map costs O(keys) (docs/architecture.md "Platform facts the code relies on"). */
export const SHARDS = 256

type Shard<V> = Record<string, V>
type Sharded<V> = Record<string, Shard<V>>

export interface FeedDoc {
  v: number
  profile: { name?: string; bio?: string; avatar?: string }
  /** follows[shardOfAuthor(id)][id] = since (ms) */
  follows: Sharded<number>
  /** events[id.slice(0, 2)][id] = ts (ms): the author's signed index of every event published (any kind) */
  events: Sharded<number>
  /** retracted[id.slice(0, 2)][id] = ts (ms) of the retraction */
  retracted: Sharded<number>
}

/**
 * Genesis: every feed document starts from this one change, made with a fixed actor and
 * time 0, so its bytes (and hash) are the same everywhere. It creates the shard maps up front:
 * two devices creating the same nested map concurrently would conflict and one map (with its
 * contents) would be lost. It is never sent or signed: every implementation recreates it.
 */
export const GENESIS_ACTOR = toHex(sha256(utf8Encode('wildgrass/feed/genesis/v1')).slice(0, 16))

export function shardKeys(): string[] {
  return Array.from({ length: SHARDS }, (_, i) => i.toString(16).padStart(2, '0'))
}

let genesis: { change: Uint8Array; hash: string } | undefined

export function getGenesisChange(am: AutomergeApi): { change: Uint8Array; hash: string } {
  if (genesis) return genesis
  const doc = am.change(am.init<FeedDoc>({ actor: GENESIS_ACTOR }), { time: 0 }, (d) => {
    d.v = 1
    d.profile = {}
    d.follows = {}
    d.events = {}
    d.retracted = {}
    for (const k of shardKeys()) {
      d.follows[k] = {}
      d.events[k] = {}
      d.retracted[k] = {}
    }
  })
  const change = am.getLastLocalChange(doc)!
  genesis = { change, hash: am.getHeads(doc)[0]! }
  am.free(doc)
  return genesis
}

/** A fresh copy of the genesis state, for `actor` (a device's own actor id, or random). */
export function createFeedDoc(am: AutomergeApi, actor?: string): Doc<FeedDoc> {
  return am.load<FeedDoc>(getGenesisChange(am).change, actor === undefined ? undefined : { actor })
}

export function shardOfEvent(id: EventId): string {
  return id.slice(0, 2)
}

export function shardOfAuthor(author: AuthorId): string {
  return toHex(sha256(utf8Encode(author)).slice(0, 1))
}

// --- local edits (validated here: the owner's own client must not write junk) ---

export function checkProfilePatch(patch: Partial<Profile>): void {
  const limits: Record<keyof Profile, number> = { name: MAX_PROFILE_NAME_GRAPHEMES, bio: MAX_PROFILE_BIO_GRAPHEMES, avatar: 0 }
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in limits)) fail('E_UNKNOWN_FIELD', `profile: unknown field ${key}`)
    if (typeof value !== 'string') fail('E_MALFORMED', `profile.${key}: not text`)
    if (key === 'avatar') {
      if (value !== '' && !AVATAR_URL.test(value)) fail('E_MALFORMED', 'profile.avatar: not a data:image URL')
      if (value.length > MAX_PROFILE_AVATAR_CHARS) fail('E_OVERSIZE', 'profile.avatar: too large')
    } else if (countGraphemes(value) > limits[key as keyof Profile]) {
      fail('E_TOO_MANY_GRAPHEMES', `profile.${key}: too long`)
    }
    if (CONTROL.test(value)) fail('E_BAD_TEXT', `profile.${key}: control characters`)
  }
}

// --- defensive readers: a signed change is the owner's word, but not necessarily well-formed ---

export function readProfile(doc: FeedDoc): Profile {
  const p: unknown = doc.profile
  const get = (k: string): string => {
    if (typeof p !== 'object' || p === null) return ''
    const v: unknown = (p as Record<string, unknown>)[k]
    return typeof v === 'string' ? v : ''
  }
  // the limits writers check (§1) hold for readers too: text past them is shown as nothing
  const text = (k: string, max: number): string => {
    const v = get(k)
    return v.length <= max * MAX_UNITS_PER_GRAPHEME && !CONTROL.test(v) && countGraphemes(v) <= max ? v : ''
  }
  const avatar = get('avatar')
  return {
    name: text('name', MAX_PROFILE_NAME_GRAPHEMES),
    bio: text('bio', MAX_PROFILE_BIO_GRAPHEMES),
    avatar: avatar.length <= MAX_PROFILE_AVATAR_CHARS && AVATAR_URL.test(avatar) ? avatar : '',
  }
}

function* entries(sharded: unknown): Generator<[string, number]> {
  if (typeof sharded !== 'object' || sharded === null) return
  for (const shard of Object.values(sharded as Record<string, unknown>)) {
    if (typeof shard !== 'object' || shard === null) continue
    for (const [key, value] of Object.entries(shard as Record<string, unknown>)) {
      if (typeof value === 'number' && Number.isFinite(value)) yield [key, value]
    }
  }
}

export function readFollows(doc: FeedDoc): Map<AuthorId, number> {
  const out = new Map<AuthorId, number>()
  for (const [key, since] of entries(doc.follows)) if (isAuthorId(key)) out.set(key, since)
  return out
}

export function readIndexedEvents(doc: FeedDoc): Map<EventId, number> {
  const out = new Map<EventId, number>()
  for (const [key, ts] of entries(doc.events)) if (isEventId(key)) out.set(key, ts)
  return out
}

export function readRetracted(doc: FeedDoc): Map<EventId, number> {
  const out = new Map<EventId, number>()
  for (const [key, ts] of entries(doc.retracted)) if (isEventId(key)) out.set(key, ts)
  return out
}

/** What a set of changes did, from Automerge patches (cost proportional to the change). */
export interface FeedDocDelta {
  followed: Array<{ author: AuthorId; since: number }>
  unfollowed: AuthorId[]
  indexed: EventId[]
  retracted: EventId[]
  profile: boolean
  /** root keys put by the changes, besides the schema's (sealed blobs, lists: protocol/lists.md) */
  sealed: string[]
  lists: string[]
}

export function computeDelta(am: AutomergeApi, doc: Doc<FeedDoc>, before: string[], after: string[]): FeedDocDelta {
  const delta: FeedDocDelta = { followed: [], unfollowed: [], indexed: [], retracted: [], profile: false, sealed: [], lists: [] }
  for (const patch of am.diff(doc, before, after)) {
    const [root, shard, key] = patch.path
    if (root === 'profile') {
      delta.profile = true
      continue
    }
    if (typeof root === 'string' && root.startsWith('sealed/')) {
      if (patch.path.length === 1 && patch.action === 'put') delta.sealed.push(root)
      continue
    }
    if (typeof root === 'string' && root.startsWith('list/')) {
      if (!delta.lists.includes(root)) delta.lists.push(root)
      continue
    }
    if (patch.path.length !== 3 || typeof shard !== 'string' || typeof key !== 'string') continue
    if (root === 'follows' && isAuthorId(key)) {
      if (patch.action === 'put' && typeof patch.value === 'number') delta.followed.push({ author: key, since: patch.value })
      else if (patch.action === 'del') delta.unfollowed.push(key)
    } else if (root === 'events' && isEventId(key) && patch.action === 'put') {
      delta.indexed.push(key)
    } else if (root === 'retracted' && isEventId(key) && patch.action === 'put') {
      delta.retracted.push(key)
    }
  }
  return delta
}
