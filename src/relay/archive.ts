// The relay's archive: the store (src/store) over SQLite, plus what only a relay needs —
// an arrival log for store-and-forward (getRecentEvents: what gossip brought while a peer
// was away), per-author quotas and retention (in this file, counted in archive-log.ts). It is the SyncSource and
// SyncSink (src/net/sync-source.ts) that catch-up sync and gossip ingestion use.
//
// Everything handed to ingest* has passed core validation at the network boundary already
// (sync-source.ts); the store verifies bytes again, which is the store's own invariant.
// ingestOpenedEvents takes the event objects gossip validation produced (decoded and verified
// in this process), so a gossiped event is decoded and verified once on a relay, not three times.
import { decodeEvent } from '../core/event-decode.ts'
import { decodeChangeEnvelope } from '../core/feed-envelope.ts'
import { fail, isWildgrassError } from '../core/errors.ts'
import type { AuthorId, EventId, SignedEvent } from '../core/types.ts'
import type { RecentEvents, SyncSink, SyncSource } from '../net/sync-source.ts'
import type { IngestResult, Store } from '../store/types.ts'
import type { RelayQuotas } from './config.ts'
import { createArchiveLog } from './archive-log.ts'
import { createPendingChanges } from './archive-pending.ts'
import type { SqliteStorage } from './sqlite-storage.ts'

/** The part of the store the archive uses (createStore from src/store gives all of it). */
export type ArchiveStore = Pick<Store, 'start' | 'close' | 'ingestEvents' | 'ingestOpenedEvents' | 'ingestChanges' | 'getHeads' | 'getChangesSince' | 'getEvents' | 'listAuthors' | 'indexedEventIds' | 'missingEventIds' | 'subscribe'>

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
  ingestEvents(list: readonly Uint8Array[]): Promise<IngestResult[]>
  /** events that network validation decoded and verified in this process (sync-source.ts) */
  ingestOpenedEvents(events: readonly SignedEvent[]): Promise<IngestResult[]>
  ingestChanges(list: readonly Uint8Array[]): Promise<IngestResult[]>
  getRecentEvents(after: string | undefined, limit: number): Promise<RecentEvents>
  listAuthors(): Promise<AuthorId[]>
  /** drop events past the retention age from the arrival log; returns how many */
  prune(): number
  stats(): ArchiveStats
}

/**
 * Feed-document changes may go this far past the byte quota by default (RelayQuotas). An author whose events filled the
 * quota must still be able to retract them: otherwise this relay would keep serving an event
 * while refusing the signed retraction of it, and peers that sync here would take it back in.
 */
export const CHANGE_HEADROOM_BYTES = 1024 * 1024

/**
 * Signed feed-document changes may go this share of the archive-wide cap past it (at least
 * the per-author headroom): a full archive refuses new events, yet still takes retractions, so
 * it never keeps serving a post whose author deleted it. Bounded, so the disk stays bounded.
 */
export const ARCHIVE_CHANGE_HEADROOM_SHARE = 1 / 16

/** At most this many events per getRecentEvents page, whatever a peer asks for. */
export const MAX_RECENT_PAGE = 500

export function createArchive(init: ArchiveInit): Archive {
  const { store, quotas } = init
  const changeHeadroom = quotas.changeHeadroomBytes ?? CHANGE_HEADROOM_BYTES
  const now = init.now ?? Date.now
  const log = createArchiveLog(init.storage.db)
  let unsubscribe: (() => void) | undefined
  const held = createPendingChanges({ now })
  const cap = quotas.maxArchiveBytes
  const capChangeHeadroom = Math.max(changeHeadroom, Math.floor(cap * ARCHIVE_CHANGE_HEADROOM_SHARE))
  // Running total of counted bytes (= log.stats().bytes), read once from SQLite at start and
  // kept here: the tables are the truth, so a restart or kill -9 re-derives it from what was
  // committed. Bytes of a batch are added before the store is awaited (a reservation), so
  // concurrent ingest calls cannot together pass the cap, and given back if not stored.
  let used = 0
  let capRefusals = 0

  /** Retry the author's held changes while that stores more of them (archive-pending.ts). */
  async function retryHeld(author: string): Promise<void> {
    for (let round = 0; round < 16; round++) {
      // held changes were checked against the quota when they came, not counted: check again
      let bytes = 0
      const list = held.take(author).filter((change) => {
        if (quotaError(author, 0, bytes + change.length, changeHeadroom) !== undefined) return false
        if (capError(bytes + change.length, capChangeHeadroom) !== undefined) return false
        bytes += change.length
        return true
      })
      if (list.length === 0) return
      let progress = false
      used += bytes
      let kept = 0
      try {
        for (const [i, r] of (await store.ingestChanges(list)).entries()) {
          if (r.ok && !r.duplicate) {
            log.addChangeBytes(author, list[i]!.length)
            kept += list[i]!.length
            progress = true
          } else if (lacksDependencies(r)) {
            held.hold(author, list[i]!)
          }
        }
      } finally {
        used -= bytes - kept
      }
      if (!progress) return
    }
  }

  /** `headroom`: bytes allowed beyond the byte quota (feed-document changes: changeHeadroom) */
  function quotaError(author: string, events: number, bytes: number, headroom = 0): IngestResult | undefined {
    const used = log.usage(author)
    if (used.events + events > quotas.maxEventsPerAuthor) {
      return { ok: false, code: 'E_QUOTA', message: `author ${author} is at this relay's limit of ${quotas.maxEventsPerAuthor} events` }
    }
    if (used.bytes + bytes > quotas.maxBytesPerAuthor + headroom) {
      return { ok: false, code: 'E_QUOTA', message: `author ${author} is at this relay's limit of ${quotas.maxBytesPerAuthor} bytes` }
    }
    return undefined
  }

  /**
   * Quota, retention and cap checks on decoded events (failures from decoding pass through),
   * then `write` for the accepted ones, in one store batch; their arrivals go into the log.
   */
  async function ingestDecoded(items: ReadonlyArray<SignedEvent | IngestResult>, write: (events: SignedEvent[]) => Promise<IngestResult[]>): Promise<IngestResult[]> {
    const results: Array<IngestResult | undefined> = new Array(items.length)
    const accepted: Array<{ index: number; event: SignedEvent }> = []
    const pending = new Map<string, { events: number; bytes: number }>()
    const oldest = quotas.retentionMs > 0 ? now() - quotas.retentionMs : -Infinity
    let batchBytes = 0
    for (const [index, item] of items.entries()) {
      if ('ok' in item) {
        results[index] = item
        continue
      }
      const { author, ts, id } = item
      const size = item.bytes.length
      if (ts < oldest) {
        results[index] = { ok: false, code: 'E_QUOTA', message: `older than this relay's retention of ${Math.round(quotas.retentionMs / 86_400_000)} days` }
        continue
      }
      const p = pending.get(author) ?? { events: 0, bytes: 0 }
      const overQuota = quotaError(author, p.events + 1, p.bytes + size)
      const overCap = overQuota ? undefined : capError(batchBytes + size)
      const refused = overQuota ?? overCap
      if (refused) {
        // one we already hold is a duplicate, not a refusal (gossip redelivers a lot)
        if (log.has(id)) results[index] = { ok: true, id, duplicate: true }
        else {
          if (overCap) capRefusals++
          results[index] = refused
        }
        continue
      }
      batchBytes += size
      pending.set(author, { events: p.events + 1, bytes: p.bytes + size })
      accepted.push({ index, event: item })
    }
    if (accepted.length > 0) {
      used += batchBytes
      let kept = 0
      try {
        const stored = await write(accepted.map((a) => a.event))
        const fresh: Array<{ id: string; author: string; ts: number; size: number }> = []
        for (const [i, r] of stored.entries()) {
          const { index, event } = accepted[i]!
          results[index] = r
          if (r.ok && !r.duplicate) fresh.push({ id: r.id, author: event.author, ts: event.ts, size: event.bytes.length })
        }
        log.append(fresh)
        kept = fresh.reduce((n, f) => n + f.size, 0)
      } finally {
        used -= batchBytes - kept
      }
    }
    return results as IngestResult[]
  }

  /** the archive-wide cap: `bytes` more (this batch so far, plus the item) must fit */
  function capError(bytes: number, headroom = 0): IngestResult | undefined {
    if (used + bytes <= cap + headroom) return undefined
    return { ok: false, code: 'E_QUOTA', message: `this relay's archive is full (limit ${cap} bytes)` }
  }

  return {
    async start() {
      await store.start()
      used = log.stats().bytes
      // A retraction purges the event in the store; forget it in the arrival log too, so
      // getRecentEvents never names it and it stops counting against the author's quota.
      unsubscribe = store.subscribe((change) => {
        if (change.type === 'purged') used -= log.remove(change.ids)
      })
    },
    async close() {
      unsubscribe?.()
      await store.close()
      await init.storage.close()
    },

    async ingestEvents(list) {
      // decoded here for the quota checks only; the store opens (and verifies) the bytes itself
      const decoded = list.map((bytes) => {
        try {
          return decodeEvent(bytes, { now: now() })
        } catch (err) {
          return toFailure(err)
        }
      })
      return ingestDecoded(decoded, (events) => store.ingestEvents(events.map((e) => e.bytes)))
    },
    async ingestOpenedEvents(events) {
      return ingestDecoded(events, (accepted) => store.ingestOpenedEvents(accepted))
    },

    async ingestChanges(list) {
      const results: Array<IngestResult | undefined> = new Array(list.length)
      const accepted: Array<{ index: number; author: string; size: number }> = []
      const pending = new Map<string, number>()
      let batchBytes = 0
      for (const [index, bytes] of list.entries()) {
        let author: string
        try {
          author = decodeChangeEnvelope(bytes).author
        } catch (err) {
          results[index] = toFailure(err)
          continue
        }
        const p = pending.get(author) ?? 0
        const overQuota = quotaError(author, 0, p + bytes.length, changeHeadroom)
        const overCap = overQuota ? undefined : capError(batchBytes + bytes.length, capChangeHeadroom)
        if (overCap) capRefusals++
        const refused = overQuota ?? overCap
        if (refused) {
          results[index] = refused
          continue
        }
        batchBytes += bytes.length
        pending.set(author, p + bytes.length)
        accepted.push({ index, author, size: bytes.length })
      }
      if (accepted.length > 0) {
        used += batchBytes
        let kept = 0
        const progressed = new Set<string>()
        try {
          const stored = await store.ingestChanges(accepted.map((a) => list[a.index]!))
          for (const [i, r] of stored.entries()) {
            const a = accepted[i]!
            results[a.index] = r
            if (r.ok && !r.duplicate) {
              log.addChangeBytes(a.author, a.size)
              kept += a.size
              progressed.add(a.author)
            } else if (lacksDependencies(r)) {
              held.hold(a.author, list[a.index]!)
            }
          }
        } finally {
          used -= batchBytes - kept
        }
        for (const author of progressed) await retryHeld(author)
      }
      return results as IngestResult[]
    },

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

    stats: () => ({ ...log.stats(), capBytes: cap, capRefusals }),
  }
}

/** The store's refusal of a change that came before its dependencies (src/store/feed-docs.ts). */
function lacksDependencies(r: IngestResult): boolean {
  return !r.ok && r.code === 'E_BAD_CHANGE' && r.message.includes('missing dependencies')
}

function toFailure(err: unknown): IngestResult {
  if (isWildgrassError(err)) return { ok: false, code: err.code, message: err.message }
  return { ok: false, code: 'E_MALFORMED', message: String(err) }
}
