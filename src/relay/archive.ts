// The relay's archive: the store (src/store) over SQLite, plus what only a relay needs —
// an arrival log for store-and-forward (getRecentEvents: what gossip brought while a peer
// was away), per-author quotas, retention and the archive-wide cap (archive-limits.ts, counted
// in archive-log.ts), and changes held until their dependencies arrive (archive-pending.ts). It
// is the SyncSource and SyncSink (src/net/sync-source.ts) that catch-up sync and gossip use.
//
// What the network hands over is already opened by core (decoded and verified in this process,
// src/net/sync-source.ts): the archive checks its limits on those objects and passes them to the
// store's opened path, so a gossiped event or change is decoded and verified once on a relay.
import { fail } from '../core/errors.ts'
import { openEvents, type VerifiedEvent } from '../core/event-verify.ts'
import { openChangeEnvelope, type VerifiedChangeEnvelope } from '../core/feed-envelope.ts'
import type { AuthorId, EventId } from '../core/types.ts'
import type { RecentEvents, SyncSink, SyncSource } from '../net/sync-source.ts'
import { refuse, refusalOf } from '../store/ingest-result.ts'
import type { IngestResult, Store } from '../store/types.ts'
import type { RelayQuotas } from './config.ts'
import { createArchiveLimits } from './archive-limits.ts'
import { createArchiveLog } from './archive-log.ts'
import { createArchiveStanding, hasStanding } from './archive-standing.ts'
import { createPendingChanges } from './archive-pending.ts'
import type { SqliteStorage } from './sqlite-storage.ts'

/** The part of the store the archive uses (createStore from src/store gives all of it). */
export type ArchiveStore = Pick<
  Store,
  | 'start'
  | 'close'
  | 'ingestOpenedEvents'
  | 'ingestOpenedChanges'
  | 'getHeads'
  | 'getChangesSince'
  | 'getEvents'
  | 'listAuthors'
  | 'indexedEventIds'
  | 'missingEventIds'
  | 'subscribe'
  | 'getFollowers'
>

export interface ArchiveInit {
  readonly storage: SqliteStorage
  readonly store: ArchiveStore
  readonly quotas: RelayQuotas
  readonly now?: () => number
}

export interface ArchiveStats {
  readonly events: number
  readonly authors: number
  readonly bytes: number
  /** the archive-wide cap (RelayQuotas.maxArchiveBytes) */
  readonly capBytes: number
  /** items refused since start because the archive was at its cap */
  readonly capRefusals: number
}

export interface Archive extends SyncSource, SyncSink {
  start(): Promise<void>
  close(): Promise<void>
  /** event bytes from anywhere: opened here, then as ingestOpenedEvents */
  ingestEvents(list: readonly Uint8Array[]): Promise<IngestResult[]>
  /** change-envelope bytes from anywhere: opened here, then as ingestOpenedChanges */
  ingestChanges(list: readonly Uint8Array[]): Promise<IngestResult[]>
  getRecentEvents(after: string | undefined, limit: number): Promise<RecentEvents>
  listAuthors(): Promise<AuthorId[]>
  /** drop events past the retention age from the arrival log; returns how many */
  prune(): number
  stats(): ArchiveStats
}

/** At most this many events per getRecentEvents page, whatever a peer asks for. */
export const MAX_RECENT_PAGE = 500

/** An author first stored here this long ago has standing, by default (RelayQuotas.establishedAfterMs). */
export const ESTABLISHED_AFTER_MS = 3 * 24 * 3600_000

/** Rounds of retrying held changes after one of their author's was stored. */
const MAX_RETRY_ROUNDS = 16

export function createArchive(init: ArchiveInit): Archive {
  const { store, quotas } = init
  const now = init.now ?? Date.now
  const log = createArchiveLog(init.storage.db)
  const limits = createArchiveLimits(log, quotas)
  const held = createPendingChanges<VerifiedChangeEnvelope>({ now })
  const standing = createArchiveStanding({
    db: init.storage.db,
    policy: { seeds: quotas.seeds ?? [], establishedAfterMs: quotas.establishedAfterMs ?? ESTABLISHED_AFTER_MS },
    followers: (author) => store.getFollowers(author),
    now,
  })
  let unsubscribe: (() => void) | undefined

  /** Why an event may not go in, before the store sees it: retention, the author's quota, the cap (both by its standing). */
  function refusalOfEvent(event: VerifiedEvent, pending: { events: number; bytes: number }, batchBytes: number, known: boolean): IngestResult | undefined {
    const oldest = quotas.retentionMs > 0 ? now() - quotas.retentionMs : -Infinity
    if (event.ts < oldest) return refuse('E_QUOTA', `older than this relay's retention of ${Math.round(quotas.retentionMs / 86_400_000)} days`)
    const size = event.bytes.length
    const overQuota = limits.quotaError(event.author, pending.events + 1, pending.bytes + size, 0, known)
    const overCap = overQuota ? undefined : limits.capError(batchBytes + size, 0, known)
    const refused = overQuota ?? overCap
    if (refused === undefined) return undefined
    // one we already hold is a duplicate, not a refusal (gossip redelivers a lot)
    if (log.has(event.id)) return { ok: true, id: event.id, duplicate: true }
    if (overCap) limits.countCapRefusal()
    return refused
  }

  async function ingestOpenedEvents(events: readonly VerifiedEvent[]): Promise<IngestResult[]> {
    const results: Array<IngestResult | undefined> = new Array(events.length)
    const accepted: Array<{ index: number; event: VerifiedEvent }> = []
    const pending = new Map<string, { events: number; bytes: number }>()
    let batchBytes = 0
    const standings = await standing.of(events.map((e) => e.author))
    for (const [index, event] of events.entries()) {
      const p = pending.get(event.author) ?? { events: 0, bytes: 0 }
      const refused = refusalOfEvent(event, p, batchBytes, hasStanding(standings.get(event.author)))
      if (refused !== undefined) {
        results[index] = refused
        continue
      }
      batchBytes += event.bytes.length
      pending.set(event.author, { events: p.events + 1, bytes: p.bytes + event.bytes.length })
      accepted.push({ index, event })
    }
    if (accepted.length > 0) {
      await limits.reserve(batchBytes, async (keep) => {
        const stored = await store.ingestOpenedEvents(accepted.map((a) => a.event))
        const fresh: Array<{ id: string; author: string; ts: number; size: number }> = []
        for (const [i, r] of stored.entries()) {
          const { index, event } = accepted[i]!
          results[index] = r
          if (r.ok && !r.duplicate) fresh.push({ id: r.id, author: event.author, ts: event.ts, size: event.bytes.length })
        }
        log.append(fresh)
        standing.seen(fresh.map((f) => f.author))
        keep(fresh.reduce((n, f) => n + f.size, 0))
      })
    }
    return results as IngestResult[]
  }

  /**
   * Stores changes that passed the limits; counts what was stored, holds what lacks its
   * dependencies. Returns the store's result per change and the authors that progressed.
   */
  async function storeChanges(list: readonly VerifiedChangeEnvelope[], bytes: number): Promise<{ results: IngestResult[]; progressed: Set<string> }> {
    const progressed = new Set<string>()
    const results = await limits.reserve(bytes, async (keep) => {
      const stored = await store.ingestOpenedChanges(list)
      for (const [i, r] of stored.entries()) {
        const envelope = list[i]!
        if (r.ok && !r.duplicate) {
          log.addChangeBytes(envelope.author, envelope.bytes.length)
          keep(envelope.bytes.length)
          progressed.add(envelope.author)
        } else if (!r.ok && r.reason === 'missing-dependencies') {
          held.hold(envelope.author, envelope)
        }
      }
      return stored
    })
    return { results, progressed }
  }

  /** Retry the author's held changes while that stores more of them (archive-pending.ts). */
  async function retryHeld(author: string): Promise<void> {
    for (let round = 0; round < MAX_RETRY_ROUNDS; round++) {
      // held changes were checked against the quota when they came, not counted: check again
      let bytes = 0
      const list = held.take(author).filter((envelope) => {
        const size = bytes + envelope.bytes.length
        if (limits.quotaError(author, 0, size, limits.changeHeadroom) !== undefined) return false
        if (limits.capError(size, limits.capChangeHeadroom) !== undefined) return false
        bytes = size
        return true
      })
      if (list.length === 0) return
      const { progressed } = await storeChanges(list, bytes)
      if (progressed.size === 0) return
    }
  }

  async function ingestOpenedChanges(envelopes: readonly VerifiedChangeEnvelope[]): Promise<IngestResult[]> {
    const results: Array<IngestResult | undefined> = new Array(envelopes.length)
    const accepted: Array<{ index: number; envelope: VerifiedChangeEnvelope }> = []
    const pending = new Map<string, number>()
    let batchBytes = 0
    for (const [index, envelope] of envelopes.entries()) {
      const { author } = envelope
      const size = envelope.bytes.length
      const p = pending.get(author) ?? 0
      const overQuota = limits.quotaError(author, 0, p + size, limits.changeHeadroom)
      const overCap = overQuota ? undefined : limits.capError(batchBytes + size, limits.capChangeHeadroom)
      if (overCap) limits.countCapRefusal()
      const refused = overQuota ?? overCap
      if (refused) {
        results[index] = refused
        continue
      }
      batchBytes += size
      pending.set(author, p + size)
      accepted.push({ index, envelope })
    }
    if (accepted.length > 0) {
      const { results: stored, progressed } = await storeChanges(
        accepted.map((a) => a.envelope),
        batchBytes,
      )
      stored.forEach((r, i) => {
        results[accepted[i]!.index] = r
      })
      for (const author of progressed) await retryHeld(author)
    }
    return results as IngestResult[]
  }

  return {
    async start() {
      await store.start()
      limits.load()
      // A retraction purges the event in the store; forget it in the arrival log too, so
      // getRecentEvents never names it and it stops counting against the author's quota.
      unsubscribe = store.subscribe((change) => {
        if (change.type === 'purged') limits.release(log.remove(change.ids))
      })
    },
    async close() {
      unsubscribe?.()
      await store.close()
      await init.storage.close()
    },

    async ingestEvents(list) {
      const opened = await openEvents(list, { now: now() })
      const valid = opened.flatMap((o) => (o.ok ? [o.event] : []))
      const stored = await ingestOpenedEvents(valid)
      let j = 0
      return opened.map((o) => (o.ok ? stored[j++]! : refuse(o.code, o.message)))
    },
    ingestOpenedEvents,
    async ingestChanges(list) {
      const opened = await Promise.all(
        list.map((bytes) =>
          openChangeEnvelope(bytes).then(
            (envelope) => ({ envelope }),
            (error: unknown) => ({ error }),
          ),
        ),
      )
      const valid = opened.flatMap((o) => ('envelope' in o ? [o.envelope] : []))
      const stored = await ingestOpenedChanges(valid)
      let j = 0
      return opened.map((o) => ('envelope' in o ? stored[j++]! : refusalOf(o.error)))
    },
    ingestOpenedChanges,

    getHeads: (author) => store.getHeads(author),
    getChangesSince: (author, heads) => store.getChangesSince(author, heads),
    getEvents: (ids: readonly EventId[]) => store.getEvents(ids),
    indexedEventIds: (author) => store.indexedEventIds(author),
    missingEventIds: (ids, author) => store.missingEventIds(ids, author),
    listAuthors: () => store.listAuthors(),

    async getRecentEvents(after, limit) {
      let afterSeq = 0
      if (after !== undefined) {
        if (!/^\d{1,15}$/.test(after)) fail('E_MALFORMED', 'recent-events cursor: not one of ours')
        afterSeq = Number(after)
      }
      const n = Math.max(1, Math.min(MAX_RECENT_PAGE, Math.trunc(limit) || 1))
      const page = log.after(afterSeq, n)
      // nothing new: the cursor stays where it was ("0" for an empty log), so a client can keep it
      if (page.length === 0) return { events: [], cursor: String(afterSeq) }
      // Purged (retracted) events are omitted by the store; the cursor still moves past them.
      const events = await store.getEvents(page.map((r) => r.id as EventId))
      return { events, cursor: String(page[page.length - 1]!.seq) }
    },

    prune() {
      if (quotas.retentionMs <= 0) return 0
      return log.pruneOlderThan(now() - quotas.retentionMs)
    },

    stats: () => ({ ...log.stats(), capBytes: quotas.maxArchiveBytes, capRefusals: limits.capRefusals }),
  }
}
