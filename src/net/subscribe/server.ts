// The serving side of /wildgrass/subscribe/1.0.0 (protocol/subscribe.md §Flow): a subscriber
// sends its filter; it gets what it missed since its cursor (when the source can tell), then,
// live, every new event and feed change that matches. Relays serve their archive and the
// gossip they accept; a browser serves its direct peers what it publishes and receives.
//
// Matching is by index, not by scanning subscriptions: buckets, keys and thread roots map to the
// subscriptions that asked for them. A subscriber that cannot keep up (more than MAX_QUEUED_BYTES
// waiting) is cut off with E_RATE_LIMITED: it comes back with its cursor and catches up from the
// archive, so a slow phone costs the relay memory for a bounded queue, never more.
import { lpStream } from '@libp2p/utils'
import type { Libp2p, Stream } from '@libp2p/interface'
import { isWildgrassError } from '../../core/index.ts'
import type { AuthorId, EventId, SignedEvent } from '../../core/index.ts'
import { bucketAt, cachedBucketOf, isCommunityPost, referencedIds, threadOf } from './filter.ts'
import type { Filter } from './filter.ts'
import {
  decodeSubscribeFrame,
  encodeSubscribeFrame,
  MAX_CATCH_UP_LIMIT,
  MAX_ITEMS_PER_SUBSCRIBE_FRAME,
  MAX_SUBSCRIBE_FRAME_BYTES,
  SUBSCRIBE_PROTOCOL,
} from './frames.ts'
import type { SubscribeFrame } from './frames.ts'

/** What a node serves subscriptions from (a relay: src/relay/subscribe-index.ts). */
export interface SubscriptionSource {
  /** authors this node knows: a subscriber chooses its bucket width by it */
  authorCount(): number
  /** the cursor now: every event stored up to it has been offered live */
  mark?(): string
  /** stored events that match `filter`, after `since`, oldest first, at most `limit` */
  catchUp?(filter: Filter, since: string | undefined, limit: number): Promise<{ events: Uint8Array[]; cursor: string | undefined; more: boolean }>
  /** the author of an event this node holds, to match replies and reactions `about` someone */
  authorOf?(id: EventId): AuthorId | undefined
  /** events it stored that did not come by gossip (reconciliation) are offered live through this */
  onStored?(listener: (events: readonly SignedEvent[]) => void): void
  /** feed changes it stored that made their author follow someone: offered to subscribers `about` them */
  onFollowed?(listener: (author: AuthorId, followed: readonly AuthorId[], envelopes: readonly Uint8Array[]) => void): void
}

export interface SubscriptionServerLimits {
  /** subscriptions served at once, all peers together */
  maxSubscriptions: number
  /** subscription streams one connection may open */
  maxPerConnection: number
  /** community stream per subscriber: posts and bytes per minute */
  communityPerMinute?: number
  communityBytesPerMinute?: number
  /** how often a live subscriber is sent the current mark (default 30 s) */
  markIntervalMs?: number
}

export interface SubscriptionCounters {
  active: number
  /** items pushed live, and subscribers cut off for falling behind */
  pushed: number
  cutOff: number
  refused: number
}

export interface SubscriptionServer {
  /** a new event this node accepted: pushed to every subscription it matches */
  offerEvent(event: SignedEvent): void
  /** a new signed feed change of `author` */
  offerChange(author: AuthorId, bytes: Uint8Array): void
  /** stored changes of `author` that follow `followed`: to whoever asked `about` them (new followers) */
  offerFollow(author: AuthorId, followed: readonly AuthorId[], envelopes: readonly Uint8Array[]): void
  readonly counters: Readonly<SubscriptionCounters>
  stop(): Promise<void>
}

const MAX_QUEUED_BYTES = 1024 * 1024
const READ_IDLE_MS = 24 * 3600_000
/** ids offered recently: the same event offered twice (gossip, then the archive) is pushed once */
const RECENT_OFFERS = 20_000

interface Subscription {
  filter: Filter | undefined
  /** live items wait here while a catch-up runs, and while a write is in flight */
  queue: Array<['e' | 'c', Uint8Array] | ['m', string]>
  queuedBytes: number
  live: boolean
  writing: boolean
  community: { tokens: number; bytes: number; at: number }
  write(frame: SubscribeFrame): Promise<void>
  cutOff(code: string, message: string): void
  lastMark: string | undefined
}

export async function startSubscriptionServer(node: Libp2p, source: SubscriptionSource, limits: SubscriptionServerLimits): Promise<SubscriptionServer> {
  const counters: SubscriptionCounters = { active: 0, pushed: 0, cutOff: 0, refused: 0 }
  const byBucket = new Map<number, Map<number, Set<Subscription>>>() // bits → bucket → subs
  const byAbout = new Map<string, Set<Subscription>>()
  const byThread = new Map<string, Set<Subscription>>()
  const community = new Set<Subscription>()
  const all = new Set<Subscription>()
  const recentOffers = new Set<string>()
  const recentAuthors = new Map<string, AuthorId>()
  const perMinute = limits.communityPerMinute ?? 30
  const bytesPerMinute = limits.communityBytesPerMinute ?? 64 * 1024

  const addTo = <K>(map: Map<K, Set<Subscription>>, key: K, sub: Subscription): void => {
    const set = map.get(key) ?? new Set()
    set.add(sub)
    map.set(key, set)
  }
  const removeFrom = <K>(map: Map<K, Set<Subscription>>, key: K, sub: Subscription): void => {
    const set = map.get(key)
    set?.delete(sub)
    if (set?.size === 0) map.delete(key)
  }
  const unindex = (sub: Subscription): void => {
    const f = sub.filter
    if (f === undefined) return
    const buckets = byBucket.get(f.bits)
    if (buckets !== undefined) {
      for (const b of f.buckets) removeFrom(buckets, b, sub)
      if (buckets.size === 0) byBucket.delete(f.bits)
    }
    for (const a of f.about) removeFrom(byAbout, a, sub)
    for (const t of f.threads) removeFrom(byThread, t, sub)
    community.delete(sub)
  }
  const index = (sub: Subscription, f: Filter): void => {
    unindex(sub)
    sub.filter = f
    const buckets = byBucket.get(f.bits) ?? new Map<number, Set<Subscription>>()
    byBucket.set(f.bits, buckets)
    for (const b of f.buckets) addTo(buckets, b, sub)
    for (const a of f.about) addTo(byAbout, a, sub)
    for (const t of f.threads) addTo(byThread, t, sub)
    if (f.community) community.add(sub)
  }

  const byAuthor = (author: AuthorId, into: Set<Subscription>): void => {
    const bucket = cachedBucketOf(author)
    for (const [bits, buckets] of byBucket) for (const sub of buckets.get(bucketAt(bucket, bits)) ?? []) into.add(sub)
  }

  const enqueue = (sub: Subscription, kind: 'e' | 'c', bytes: Uint8Array): void => {
    if (sub.queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
      counters.cutOff++
      sub.cutOff('E_RATE_LIMITED', 'subscriber fell behind; catch up from your cursor')
      return
    }
    sub.queue.push([kind, bytes])
    sub.queuedBytes += bytes.length
    if (sub.live && !sub.writing) queueMicrotask(() => void flush(sub))
  }
  const flush = async (sub: Subscription): Promise<void> => {
    if (sub.writing || !sub.live) return
    sub.writing = true
    try {
      while (sub.queue.length > 0) {
        const head = sub.queue[0]!
        if (head[0] === 'm') {
          sub.queue.shift()
          await sub.write({ t: 'mark', cursor: head[1] })
          continue
        }
        // the items up to the next mark, one frame at a time
        let n = 0
        while (n < sub.queue.length && n < MAX_ITEMS_PER_SUBSCRIBE_FRAME && sub.queue[n]![0] !== 'm') n++
        const batch = sub.queue.splice(0, n) as Array<['e' | 'c', Uint8Array]>
        sub.queuedBytes -= batch.reduce((total, [, b]) => total + b.length, 0)
        counters.pushed += batch.length
        await sub.write({ t: 'items', events: batch.filter(([k]) => k === 'e').map(([, b]) => b), changes: batch.filter(([k]) => k === 'c').map(([, b]) => b) })
      }
    } catch {
      // the stream is gone; its handler cleans up
    } finally {
      sub.writing = false
    }
  }

  const takeCommunity = (sub: Subscription, size: number): boolean => {
    const now = Date.now()
    const c = sub.community
    const refill = (now - c.at) / 60_000
    c.tokens = Math.min(perMinute, c.tokens + refill * perMinute)
    c.bytes = Math.min(bytesPerMinute, c.bytes + refill * bytesPerMinute)
    c.at = now
    if (c.tokens < 1 || c.bytes < size) return false
    c.tokens--
    c.bytes -= size
    return true
  }

  const rememberOffer = (id: string): boolean => {
    if (recentOffers.has(id)) return false
    recentOffers.add(id)
    if (recentOffers.size > RECENT_OFFERS) recentOffers.delete(recentOffers.values().next().value!)
    return true
  }

  const authorOf = (id: EventId): AuthorId | undefined => recentAuthors.get(id) ?? source.authorOf?.(id)

  function offerEvent(event: SignedEvent): void {
    if (!rememberOffer(event.id)) return
    recentAuthors.set(event.id, event.author)
    if (recentAuthors.size > RECENT_OFFERS) recentAuthors.delete(recentAuthors.keys().next().value!)
    if (all.size === 0) return
    const to = new Set<Subscription>()
    byAuthor(event.author, to)
    if (event.kind === 'post') for (const m of event.body.mentions ?? []) for (const sub of byAbout.get(m) ?? []) to.add(sub)
    if (byAbout.size > 0) {
      for (const target of referencedIds(event)) {
        const author = authorOf(target)
        if (author !== undefined) for (const sub of byAbout.get(author) ?? []) to.add(sub)
      }
    }
    const root = threadOf(event)
    if (root !== undefined) for (const sub of byThread.get(root) ?? []) to.add(sub)
    if (community.size > 0 && isCommunityPost(event)) for (const sub of community) if (!to.has(sub) && takeCommunity(sub, event.bytes.length)) to.add(sub)
    for (const sub of to) enqueue(sub, 'e', event.bytes)
  }

  function offerChange(author: AuthorId, bytes: Uint8Array): void {
    if (all.size === 0) return
    const to = new Set<Subscription>()
    byAuthor(author, to)
    for (const sub of to) enqueue(sub, 'c', bytes)
  }

  function offerFollow(author: AuthorId, followed: readonly AuthorId[], envelopes: readonly Uint8Array[]): void {
    if (byAbout.size === 0) return
    // those who receive the author's changes by bucket had them already (offerChange)
    const already = new Set<Subscription>()
    byAuthor(author, already)
    const to = new Set<Subscription>()
    for (const key of followed) for (const sub of byAbout.get(key) ?? []) if (!already.has(sub)) to.add(sub)
    for (const sub of to) for (const bytes of envelopes) enqueue(sub, 'c', bytes)
  }

  async function serve(stream: Stream): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: MAX_SUBSCRIBE_FRAME_BYTES, maxBufferSize: 2 * MAX_SUBSCRIBE_FRAME_BYTES })
    let closed = false
    const sub: Subscription = {
      filter: undefined,
      queue: [],
      queuedBytes: 0,
      live: false,
      writing: false,
      lastMark: undefined,
      community: { tokens: perMinute, bytes: bytesPerMinute, at: Date.now() },
      write: async (frame) => {
        await lp.write(encodeSubscribeFrame(frame))
      },
      cutOff: (code, message) => {
        if (closed) return
        closed = true
        void lp
          .write(encodeSubscribeFrame({ t: 'error', code, message }))
          .catch(() => undefined)
          .finally(() => stream.abort(new Error(message)))
      },
    }
    all.add(sub)
    try {
      for (;;) {
        let frame: SubscribeFrame
        try {
          frame = decodeSubscribeFrame((await lp.read({ signal: AbortSignal.timeout(READ_IDLE_MS) })).subarray())
        } catch (err) {
          if (isWildgrassError(err) && !closed) await sub.write({ t: 'error', code: err.code, message: err.message.slice(0, 200) })
          break
        }
        if (frame.t === 'info') {
          const mark = source.mark?.()
          await sub.write({ t: 'info-reply', authors: source.authorCount(), ...(mark === undefined ? {} : { cursor: mark }) })
        } else if (frame.t === 'sub') {
          await subscribe(sub, frame.filter, frame.since, frame.limit)
        } else {
          await sub.write({ t: 'error', code: 'E_MALFORMED', message: `unexpected ${frame.t}` })
          break
        }
      }
      if (!closed) await stream.close()
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    } finally {
      closed = true
      unindex(sub)
      all.delete(sub)
    }
  }

  /** (Re)sets the filter: live items queue while the catch-up is sent, then flow. */
  async function subscribe(sub: Subscription, filter: Filter, since: string | undefined, limit: number | undefined): Promise<void> {
    sub.live = false
    index(sub, filter)
    let cursor = source.mark?.()
    let more = false
    if (since !== undefined && source.catchUp !== undefined) {
      const page = await source.catchUp(filter, since, Math.min(limit ?? MAX_CATCH_UP_LIMIT, MAX_CATCH_UP_LIMIT))
      for (let i = 0; i < page.events.length; i += 256) await sub.write({ t: 'items', events: page.events.slice(i, i + 256), changes: [] })
      cursor = page.cursor
      more = page.more
    }
    await sub.write({ t: 'caught-up', more, ...(cursor === undefined ? {} : { cursor }) })
    sub.lastMark = cursor
    sub.live = true
    void flush(sub)
  }

  await node.handle(
    SUBSCRIBE_PROTOCOL,
    (stream) => {
      if (counters.active >= limits.maxSubscriptions) {
        counters.refused++
        stream.abort(new Error('too many subscriptions'))
        return
      }
      counters.active++
      void serve(stream).finally(() => counters.active--)
    },
    { maxInboundStreams: limits.maxPerConnection },
  )

  // a live subscriber keeps a cursor it can come back with: the mark, now and then
  const markTimer =
    source.mark === undefined
      ? undefined
      : setInterval(() => {
          const mark = source.mark!()
          for (const sub of all) {
            if (!sub.live || sub.lastMark === mark) continue
            sub.lastMark = mark
            // behind the queued items: everything up to the mark was offered before it
            sub.queue.push(['m', mark])
            if (!sub.writing) void flush(sub)
          }
        }, limits.markIntervalMs ?? 30_000)
  markTimer?.unref?.()

  return {
    offerEvent,
    offerChange,
    offerFollow,
    counters,
    async stop() {
      clearInterval(markTimer)
      await node.unhandle(SUBSCRIBE_PROTOCOL)
    },
  }
}
