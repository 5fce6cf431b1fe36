// The private document (protocol/lists.md §1): an Automerge document only the person's own
// devices can read — private follows, read markers of conversations, list subscriptions and
// their overrides, settings that follow the person. Its changes travel sealed inside the public
// feed document (feed-doc.ts, `sealed/<id>` keys), so they merge across devices like the rest
// of the feed document and reach a restored device with it. Schema, genesis and readers here;
// sealing and keeping it in memory in private-feed.ts.
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8Encode } from '../core/bytes.ts'
import { isAuthorId } from '../core/did-key.ts'
import type { AuthorId } from '../core/types.ts'
import type { Doc } from '@automerge/automerge/slim'
import type { AutomergeApi } from './automerge.ts'

export interface PrivateDoc {
  v: number
  /** follows[did] = since (ms, rounded down to the day) */
  follows: Record<string, number>
  /** read[did of the other person] = ts of the newest message read */
  read: Record<string, number>
  /** subs["<list author> <list id>"] = 'mute' | 'block' */
  subs: Record<string, string>
  /** overrides["<list author> <list id> <entry>"] = 1: an entry of that list I do not apply */
  overrides: Record<string, number>
  /** settings[name] = 1 | 0 */
  settings: Record<string, number>
}

export type ListAction = 'mute' | 'block'

export interface PrivateView {
  readonly follows: ReadonlyMap<AuthorId, number>
  readonly read: ReadonlyMap<AuthorId, number>
  readonly subscriptions: ReadonlyArray<{ readonly author: AuthorId; readonly list: string; readonly action: ListAction }>
  /** "<list author> <list id> <entry>" */
  readonly overrides: ReadonlySet<string>
  readonly privateFollows: boolean
  readonly refuseRequests: boolean
}

export const PRIVATE_GENESIS_ACTOR = toHex(sha256(utf8Encode('wildgrass/private/genesis/v1')).slice(0, 16))
const MAPS = ['follows', 'read', 'subs', 'overrides', 'settings'] as const

let genesis: Uint8Array | undefined

/** Like the feed document's genesis: every copy starts from this change, so the maps exist once. */
export function getPrivateGenesis(am: AutomergeApi): Uint8Array {
  if (genesis) return genesis
  const doc = am.change(am.init<PrivateDoc>({ actor: PRIVATE_GENESIS_ACTOR }), { time: 0 }, (d) => {
    d.v = 1
    for (const m of MAPS) d[m] = {}
  })
  genesis = am.getLastLocalChange(doc)!
  am.free(doc)
  return genesis
}

export function createPrivateDoc(am: AutomergeApi, actor: string): Doc<PrivateDoc> {
  return am.load<PrivateDoc>(getPrivateGenesis(am), { actor })
}

export function subscriptionKey(author: AuthorId, list: string): string {
  return `${author} ${list}`
}

export function overrideKey(author: AuthorId, list: string, entry: string): string {
  return `${author} ${list} ${entry}`
}

function numbers(map: unknown): Array<[string, number]> {
  if (typeof map !== 'object' || map === null) return []
  return Object.entries(map as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))
}

/** Defensive reader: a device of mine may be buggy, a reader never fails on what it wrote. */
export function readPrivateDoc(doc: PrivateDoc): PrivateView {
  const settings = new Map(numbers(doc.settings))
  const subscriptions: Array<{ author: AuthorId; list: string; action: ListAction }> = []
  if (typeof doc.subs === 'object' && doc.subs !== null) {
    for (const [key, action] of Object.entries(doc.subs as Record<string, unknown>)) {
      const [author, list, extra] = key.split(' ')
      if (extra !== undefined || author === undefined || list === undefined || !isAuthorId(author)) continue
      if (action === 'mute' || action === 'block') subscriptions.push({ author, list, action })
    }
  }
  return {
    follows: new Map(numbers(doc.follows).filter((e): e is [AuthorId, number] => isAuthorId(e[0]))),
    read: new Map(numbers(doc.read).filter((e): e is [AuthorId, number] => isAuthorId(e[0]))),
    subscriptions,
    overrides: new Set(
      numbers(doc.overrides)
        .filter(([, v]) => v === 1)
        .map(([k]) => k),
    ),
    privateFollows: settings.get('privateFollows') === 1,
    refuseRequests: settings.get('refuseRequests') === 1,
  }
}

/** One day: follow times are kept to the day, so they say little about when (feed-document.md). */
export const SINCE_GRANULARITY_MS = 24 * 3600_000

export function coarseSince(ts: number): number {
  return Math.floor(ts / SINCE_GRANULARITY_MS) * SINCE_GRANULARITY_MS
}
