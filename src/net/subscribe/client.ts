// The subscribing side of /wildgrass/subscribe/1.0.0 (protocol/subscribe.md §Client): a browser
// receives what its filter names, from one relay at a time (the others hold a cursor to fail
// over to) and live from its direct peers. Everything received is decoded; what the device does
// not want (the rest of a bucket, protocol/subscribe.md §Privacy) is dropped before any signature
// check, what it already holds too; the rest is verified by core and handed to the sink as the
// objects core opened.
import { lpStream } from '@libp2p/utils'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { decodeChangeEnvelope, decodeEvent, fail, verifyChangeEnvelope, verifyEvents } from '../../core/index.ts'
import type { AuthorId, EventId, SignedEvent, VerifiedChangeEnvelope, VerifiedEvent } from '../../core/index.ts'
import type { IngestResult } from '../../store/types.ts'
import type { SyncSink, SyncSource } from '../sync-source.ts'
import { chooseBucketBits, filterFor, isCommunityPost, referencedIds, threadOf } from './filter.ts'
import { decodeSubscribeFrame, encodeSubscribeFrame, MAX_SUBSCRIBE_FRAME_BYTES, SUBSCRIBE_PROTOCOL } from './frames.ts'
import type { SubscribeFrame } from './frames.ts'

/** What this device wants to receive. */
export interface Interest {
  /** itself and whom it follows */
  readonly authors: readonly AuthorId[]
  /** its own key(s): what mentions, answers or reacts to them */
  readonly about: readonly AuthorId[]
  /** threads it has open */
  readonly threads: readonly EventId[]
  readonly community: boolean
}

export interface SubscriptionsInit {
  interest(): Promise<Interest> | Interest
  /**
   * authors per bucket the filter aims at (default 8; 1 names authors exactly): the superset a
   * relay sends, so that it cannot tell which of them we follow (protocol/subscribe.md §Privacy)
   */
  anonymity?: number
  /** relay cursors kept across sessions, by relay peer id */
  cursors?: { initial?: Readonly<Record<string, string>>; save?(peer: string, cursor: string): void }
  /** after an event went into the sink */
  onEvent(event: VerifiedEvent, from: PeerId): void
  /** after a change went into the sink (a refusal for missing dependencies asks for repair) */
  onChange(envelope: VerifiedChangeEnvelope, result: IngestResult | undefined, from: PeerId): void
  /**
   * A relay applied a filter naming these authors, and nothing brought what it stored of them
   * before: they are new to the filter its cursor was kept under, or there was no cursor. The
   * caller syncs them (their index names what they stored), so that nothing falls between that
   * sync and the live items.
   */
  needsSync?(authors: readonly AuthorId[]): void
  /** a subscription that failed */
  onError(): void
}

export interface SubscriptionCountersClient {
  /** bytes of frames received, items received, dropped unverified (not wanted, or held), verified, rejected */
  bytes: number
  items: number
  dropped: number
  verified: number
  rejected: number
}

export interface Subscriptions {
  relayConnected(peer: PeerId): void
  relayDisconnected(peer: string): void
  peerConnected(peer: PeerId): void
  /** the interest changed (a follow, a thread opened): every open subscription gets the new filter */
  refresh(): Promise<void>
  /**
   * The replies a relay holds in the thread of `root`, from its beginning (opening a thread of
   * someone we do not follow): a subscription of its own that ends when caught up. Returns how
   * many events were stored.
   */
  fetchThread(root: EventId): Promise<number>
  /** the relays we are not subscribed to: their cursor moves to now (we are up to date through another) */
  refreshCursors(): Promise<void>
  /** relay peer ids a live subscription runs on */
  live(): string[]
  readonly counters: SubscriptionCountersClient
  stop(): void
}

interface Open {
  peer: PeerId
  relay: boolean
  stream: Stream
  write(frame: SubscribeFrame): Promise<void>
  /** each `sub` sent and not yet answered by `caught-up`, oldest first: its authors, and whether it asked for a catch-up */
  unanswered: Array<{ authors: readonly AuthorId[]; since: boolean }>
  /** the authors of the last `sub` answered: those the relay's cursor covers */
  covered?: ReadonlySet<AuthorId>
}

/** community posts this device keeps per minute at most, whatever a peer sends */
const COMMUNITY_PER_MINUTE = 60
/** changes of authors we do not follow (new followers) this device takes per minute at most */
const STRANGER_CHANGES_PER_MINUTE = 30
const RESUBSCRIBE_DELAY_MS = 1000
/** catch-up pages (1,000 events each) one thread fetch reads at most */
const MAX_THREAD_PAGES = 5

/** A token bucket refilled continuously to `perMinute`: whether one more may pass now. */
function takeToken(bucket: { tokens: number; at: number }, perMinute: number): boolean {
  const now = Date.now()
  bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute)
  bucket.at = now
  if (bucket.tokens < 1) return false
  bucket.tokens--
  return true
}

export function createSubscriptions(components: { node: Libp2p; sink: SyncSink; source: SyncSource }, init: SubscriptionsInit): Subscriptions {
  const { node, sink, source } = components
  const anonymity = init.anonymity ?? 8
  const cursors = new Map<string, string>(Object.entries(init.cursors?.initial ?? {}))
  const authorsKnown = new Map<string, number>()
  const open = new Map<string, Open>()
  const connectedRelays = new Map<string, PeerId>()
  const counters: SubscriptionCountersClient = { bytes: 0, items: 0, dropped: 0, verified: 0, rejected: 0 }
  let primary: string | undefined
  let running = true
  let interest: Interest = { authors: [], about: [], threads: [], community: false }
  let wantAuthors = new Set<string>()
  let wantAbout = new Set<string>()
  let wantThreads = new Set<string>()
  /** threads fetched from their beginning right now (fetchThread) */
  const fetchingThreads = new Map<string, number>()
  const community = { tokens: COMMUNITY_PER_MINUTE, at: Date.now() }
  const strangerChanges = { tokens: STRANGER_CHANGES_PER_MINUTE, at: Date.now() }

  let interestReads = 0
  const loadInterest = async (): Promise<void> => {
    // reads may end out of order: an older one must not undo a newer one (a follow just made)
    const read = ++interestReads
    const next = await init.interest()
    if (read !== interestReads) return
    interest = next
    wantAuthors = new Set(interest.authors)
    wantAbout = new Set(interest.about)
    wantThreads = new Set(interest.threads)
  }
  const filterForPeer = (peer: string) =>
    filterFor({
      authors: interest.authors,
      bits: chooseBucketBits(authorsKnown.get(peer) ?? 0, anonymity),
      about: interest.about,
      threads: interest.threads,
      community: interest.community,
    })
  const setCursor = (peer: string, cursor: string | undefined): void => {
    if (cursor === undefined || cursors.get(peer) === cursor) return
    cursors.set(peer, cursor)
    init.cursors?.save?.(peer, cursor)
  }

  const takeCommunity = (): boolean => takeToken(community, COMMUNITY_PER_MINUTE)

  /** (Re)sets the filter of a subscription to the current interest, catching up from `since` on a relay. */
  const sendSub = async (entry: Open, since: string | undefined): Promise<void> => {
    entry.unanswered.push({ authors: interest.authors, since: since !== undefined })
    await entry.write({ t: 'sub', filter: filterForPeer(entry.peer.toString()), ...(since === undefined ? {} : { since }) })
  }
  /** A relay answered the oldest `sub` still open: the authors no catch-up covered need a sync. */
  const answered = (entry: Open): void => {
    const sent = entry.unanswered.shift()
    if (sent === undefined) return
    // a first cursor (kept from an earlier session) is taken to cover its own filter
    const uncovered = sent.since ? sent.authors.filter((a) => !(entry.covered?.has(a) ?? true)) : sent.authors
    entry.covered = new Set(sent.authors)
    // a direct peer keeps no archive: what it had before is not asked of it
    if (entry.relay && uncovered.length > 0) init.needsSync?.(uncovered)
  }

  /** Whether the device wants this event; held events' authors answer the `about` question. */
  const wanted = async (e: SignedEvent): Promise<boolean> => {
    if (wantAuthors.has(e.author)) return true
    if (e.kind === 'post' && (e.body.mentions ?? []).some((m) => wantAbout.has(m))) return true
    const root = threadOf(e)
    if (root !== undefined && (wantThreads.has(root) || fetchingThreads.has(root))) return true
    const targets = referencedIds(e)
    if (wantAbout.size > 0 && targets.length > 0) {
      for (const bytes of await source.getEvents(targets)) {
        try {
          if (wantAbout.has(decodeEvent(bytes, { now: Number.MAX_SAFE_INTEGER }).author)) return true
        } catch {
          // a stored event we cannot read says nothing about anyone
        }
      }
    }
    return interest.community && isCommunityPost(e) && takeCommunity()
  }

  async function take(frame: Extract<SubscribeFrame, { t: 'items' }>, from: PeerId): Promise<void> {
    counters.items += frame.events.length + frame.changes.length
    const decoded: SignedEvent[] = []
    for (const bytes of frame.events) {
      try {
        const e = decodeEvent(bytes)
        if (await wanted(e)) decoded.push(e)
        else counters.dropped++
      } catch {
        counters.rejected++
      }
    }
    // what we already hold (from the other relay, a direct peer, ourselves) costs no signature check
    const missing = new Set<string>(await sink.missingEventIds(decoded.map((e) => e.id)))
    const fresh = decoded.filter((e) => missing.has(e.id))
    counters.dropped += decoded.length - fresh.length
    const codes = await verifyEvents(fresh)
    const valid = fresh.filter((_, i) => codes[i] === null) as VerifiedEvent[]
    counters.verified += valid.length
    counters.rejected += fresh.length - valid.length
    if (valid.length > 0) {
      await sink.ingestOpenedEvents(valid)
      for (const e of valid) init.onEvent(e, from)
    }
    for (const bytes of frame.changes) {
      let envelope
      try {
        envelope = decodeChangeEnvelope(bytes)
      } catch {
        counters.rejected++
        continue
      }
      // another author's change reaches us because it follows one of our keys (a new follower):
      // taken at a bounded rate, into the store's bounded cache of strangers' documents
      if (!wantAuthors.has(envelope.author) && !(wantAbout.size > 0 && takeToken(strangerChanges, STRANGER_CHANGES_PER_MINUTE))) {
        counters.dropped++
        continue
      }
      let verified: VerifiedChangeEnvelope
      try {
        verified = await verifyChangeEnvelope(envelope)
      } catch {
        counters.rejected++
        continue
      }
      counters.verified++
      const [result] = await sink.ingestOpenedChanges([verified])
      init.onChange(verified, result, from)
    }
  }

  async function openStream(peer: PeerId): Promise<{ stream: Stream; lp: ReturnType<typeof lpStream> }> {
    const conn = node.getConnections(peer).find((c) => c.status === 'open' && c.limits === undefined)
    const stream =
      conn !== undefined
        ? await conn.newStream(SUBSCRIBE_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
        : await node.dialProtocol(peer, SUBSCRIBE_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
    return { stream, lp: lpStream(stream, { maxDataLength: MAX_SUBSCRIBE_FRAME_BYTES, maxBufferSize: 4 * MAX_SUBSCRIBE_FRAME_BYTES }) }
  }
  const readFrame = async (lp: ReturnType<typeof lpStream>, timeoutMs?: number): Promise<SubscribeFrame> => {
    const bytes = (await lp.read(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) })).subarray()
    counters.bytes += bytes.length + 3
    const frame = decodeSubscribeFrame(bytes)
    if (frame.t === 'error') fail('E_MALFORMED', `subscribe: peer answered ${frame.code}: ${frame.message}`)
    return frame
  }

  /** How many authors the relay knows (our bucket width), and its cursor now. */
  async function askInfo(peer: PeerId): Promise<string | undefined> {
    const { stream, lp } = await openStream(peer)
    try {
      await lp.write(encodeSubscribeFrame({ t: 'info' }))
      const reply = await readFrame(lp, 10_000)
      if (reply.t !== 'info-reply') fail('E_MALFORMED', `subscribe: expected info-reply, got ${reply.t}`)
      authorsKnown.set(peer.toString(), reply.authors)
      await stream.close()
      return reply.cursor
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  /** A live subscription on `peer`: catch up from our cursor (relays), then receive until it ends. */
  async function subscribe(peer: PeerId, relay: boolean): Promise<void> {
    const key = peer.toString()
    if (relay) await askInfo(peer)
    await loadInterest()
    const { stream, lp } = await openStream(peer)
    const entry: Open = {
      peer,
      relay,
      stream,
      write: async (frame) => {
        await lp.write(encodeSubscribeFrame(frame))
      },
      unanswered: [],
    }
    open.set(key, entry)
    try {
      await sendSub(entry, relay ? cursors.get(key) : undefined)
      for (;;) {
        const frame = await readFrame(lp)
        if (frame.t === 'items') await take(frame, peer)
        else if (frame.t === 'caught-up' || frame.t === 'mark') {
          if (relay) setCursor(key, frame.cursor)
          if (frame.t === 'mark') continue
          answered(entry)
          // more to catch up: ask again from where this page ended
          if (frame.more) await sendSub(entry, frame.cursor)
        }
      }
    } finally {
      if (open.get(key) === entry) open.delete(key)
      stream.abort(new Error('subscription ended'))
    }
  }

  async function fetchThread(root: EventId): Promise<number> {
    const peer = (primary === undefined ? undefined : connectedRelays.get(primary)) ?? [...connectedRelays.values()][0]
    if (peer === undefined) fail('E_UNAVAILABLE', 'no relay connected to fetch the thread from')
    fetchingThreads.set(root, (fetchingThreads.get(root) ?? 0) + 1)
    const before = counters.verified
    const { stream, lp } = await openStream(peer)
    try {
      const filter = filterFor({ authors: [], bits: 32, threads: [root] })
      let since = '0'
      for (let page = 0; page < MAX_THREAD_PAGES; page++) {
        await lp.write(encodeSubscribeFrame({ t: 'sub', filter, since }))
        let frame = await readFrame(lp, 30_000)
        for (; frame.t === 'items'; frame = await readFrame(lp, 30_000)) await take(frame, peer)
        if (frame.t !== 'caught-up' || !frame.more || frame.cursor === undefined) break
        since = frame.cursor
      }
      await stream.close()
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      const n = fetchingThreads.get(root)! - 1
      if (n === 0) fetchingThreads.delete(root)
      else fetchingThreads.set(root, n)
    }
    return counters.verified - before
  }

  function startPrimary(): void {
    if (!running || primary !== undefined) return
    const next = [...connectedRelays.values()][0]
    if (next === undefined) return
    const key = next.toString()
    primary = key
    subscribe(next, true)
      .catch(() => init.onError())
      .finally(() => {
        if (primary === key) primary = undefined
        // the same relay again if it is still there (it cut us off, or the stream broke), else another
        setTimeout(startPrimary, RESUBSCRIBE_DELAY_MS)
      })
  }

  return {
    relayConnected(peer) {
      const key = peer.toString()
      connectedRelays.set(key, peer)
      if (primary === undefined) startPrimary()
      // not the one we subscribe on: hold its cursor from now, to fail over to
      else
        askInfo(peer).then(
          (cursor) => setCursor(key, cursor),
          () => init.onError(),
        )
    },
    relayDisconnected(key) {
      connectedRelays.delete(key)
      open.get(key)?.stream.abort(new Error('relay disconnected'))
    },
    peerConnected(peer) {
      const key = peer.toString()
      if (open.has(key) || connectedRelays.has(key)) return
      subscribe(peer, false).catch(() => undefined)
    },
    async refresh() {
      await loadInterest()
      await Promise.all(
        [...open.entries()].map(async ([key, o]) => {
          await sendSub(o, o.relay ? cursors.get(key) : undefined).catch(() => undefined)
        }),
      )
    },
    fetchThread,
    async refreshCursors() {
      await Promise.all(
        [...connectedRelays.entries()]
          .filter(([key]) => key !== primary)
          .map(async ([key, peer]) => {
            setCursor(key, await askInfo(peer).catch(() => undefined))
          }),
      )
    },
    live: () => [...open.values()].filter((o) => o.relay).map((o) => o.peer.toString()),
    counters,
    stop() {
      running = false
      for (const o of open.values()) o.stream.abort(new Error('stopped'))
      open.clear()
    },
  }
}
