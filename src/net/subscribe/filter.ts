// What a subscription asks for (protocol/subscribe.md §Filter): authors by bucket, what
// concerns some keys, threads, and the community stream; and how an event or change is matched
// against it, the same way on the serving side (to choose) and on the receiving side (to keep).
import { sha256 } from '@noble/hashes/sha2.js'
import { decodeDidKey } from '../../core/index.ts'
import type { AuthorId, EventId, SignedEvent } from '../../core/index.ts'

export const MAX_FILTER_BUCKETS = 2048
export const MAX_FILTER_ABOUT = 4
export const MAX_FILTER_THREADS = 64

export interface Filter {
  /** author bucket width, 1–32 bits */
  readonly bits: number
  /** buckets at that width whose authors' events and feed changes are wanted */
  readonly buckets: readonly number[]
  /** keys (did:key) whose mentions, replies, reactions, reposts and quotes are wanted */
  readonly about: readonly AuthorId[]
  /** thread roots whose replies are wanted */
  readonly threads: readonly EventId[]
  /** the community stream: posts of anyone, bounded in rate (protocol/subscribe.md §Community) */
  readonly community: boolean
}

/** An author's bucket: the first four bytes of SHA-256(its 32-byte key), big-endian. */
export function bucketOf(author: AuthorId): number {
  const h = sha256(decodeDidKey(author))
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0
}

const bucketCache = new Map<string, number>()
/** bucketOf, cached (a relay matches every message against it) */
export function cachedBucketOf(author: AuthorId): number {
  let b = bucketCache.get(author)
  if (b === undefined) {
    b = bucketOf(author)
    if (bucketCache.size > 100_000) bucketCache.clear()
    bucketCache.set(author, b)
  }
  return b
}

/** The bucket at `bits` of width: its top bits. */
export function bucketAt(bucket: number, bits: number): number {
  return bits >= 32 ? bucket >>> 0 : bucket >>> (32 - bits)
}

/**
 * The bucket width for an anonymity target: each bucket we name holds at least about
 * `anonymity` of the `authors` the relay knows, so it cannot tell which of them we follow
 * (protocol/subscribe.md §Privacy). 32 bits names authors practically exactly.
 */
export function chooseBucketBits(authors: number, anonymity: number): number {
  if (anonymity <= 1) return 32
  const bits = Math.floor(Math.log2(Math.max(1, authors) / anonymity))
  return Math.max(1, Math.min(32, bits))
}

/** A filter for these authors at `bits` (buckets deduplicated, sorted). */
export function filterFor(init: {
  authors: readonly AuthorId[]
  bits: number
  about?: readonly AuthorId[]
  threads?: readonly EventId[]
  community?: boolean
}): Filter {
  const buckets = [...new Set(init.authors.map((a) => bucketAt(cachedBucketOf(a), init.bits)))].sort((a, b) => a - b)
  return {
    bits: init.bits,
    buckets: buckets.slice(0, MAX_FILTER_BUCKETS),
    about: [...(init.about ?? [])].slice(0, MAX_FILTER_ABOUT),
    threads: [...(init.threads ?? [])].slice(0, MAX_FILTER_THREADS),
    community: init.community ?? false,
  }
}

/** The references of an event whose authors a subscription `about` them wants to hear of. */
export function referencedIds(e: SignedEvent): EventId[] {
  if (e.kind === 'reaction' || e.kind === 'repost') return [e.body.target]
  if (e.kind === 'edit') return [] // of the author's own post: it reaches whoever follows the author
  const out: EventId[] = []
  if (e.body.reply !== undefined) out.push(e.body.reply.parent)
  if (e.body.quote !== undefined) out.push(e.body.quote)
  return out
}

/** The thread an event belongs to, if it is a reply. */
export function threadOf(e: SignedEvent): EventId | undefined {
  return e.kind === 'post' ? e.body.reply?.root : undefined
}

/** Is a post fit for the community stream: a post, not a reply (a bounded sample of the network's own voice). */
export function isCommunityPost(e: SignedEvent): boolean {
  return e.kind === 'post' && e.body.reply === undefined
}
