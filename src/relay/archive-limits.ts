// The archive's limits (src/relay/README.md "Quotas and retention"): per-author quotas counted
// in the arrival log, and the archive-wide cap on bytes, kept as a running total. Bytes of a
// batch are reserved before the store is awaited, so concurrent ingest calls cannot together
// pass the cap, and what was not stored is given back.
import { refuse } from '../store/ingest-result.ts'
import type { IngestRefusal } from '../store/types.ts'
import type { ArchiveLog } from './archive-log.ts'
import type { RelayQuotas } from './config.ts'

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

/** An author without standing (archive-standing.ts) may keep at most this much, whatever the quota. */
export const NEW_AUTHOR_MAX_EVENTS = 2_000
export const NEW_AUTHOR_MAX_BYTES = 8 * 1024 * 1024
/** Authors without standing together may fill the archive only to this share of its cap by default. */
export const NEW_AUTHOR_CAP_SHARE = 0.75

export interface ArchiveLimits {
  /** bytes changes may go past an author's byte quota */
  readonly changeHeadroom: number
  /** bytes changes may go past the archive-wide cap */
  readonly capChangeHeadroom: number
  /** `events` and `bytes` more of this author (pending in this batch included) must fit its quota (a small one without standing) */
  quotaError(author: string, events: number, bytes: number, headroom?: number, standing?: boolean): IngestRefusal | undefined
  /** `bytes` more (this batch so far, plus the item) must fit the cap (its share for authors without standing) */
  capError(bytes: number, headroom?: number, standing?: boolean): IngestRefusal | undefined
  /** an item was refused for the cap (stats: capRefusals) */
  countCapRefusal(): void
  /** runs `write` with `bytes` reserved; what it `keep`s stays counted, the rest is given back */
  reserve<T>(bytes: number, write: (keep: (bytes: number) => void) => Promise<T>): Promise<T>
  /** bytes that left the archive (a retraction purged them) */
  release(bytes: number): void
  /** reads the running total from the relay's tables (at start; they are the truth) */
  load(): void
  readonly capRefusals: number
}

export function createArchiveLimits(log: ArchiveLog, quotas: RelayQuotas): ArchiveLimits {
  const changeHeadroom = quotas.changeHeadroomBytes ?? CHANGE_HEADROOM_BYTES
  const cap = quotas.maxArchiveBytes
  const newAuthorsCap = Math.floor(cap * (quotas.newAuthorCapShare ?? NEW_AUTHOR_CAP_SHARE))
  // the running total of counted bytes (= log.stats().bytes) and of what is reserved
  let used = 0
  let capRefusals = 0
  return {
    changeHeadroom,
    capChangeHeadroom: Math.max(changeHeadroom, Math.floor(cap * ARCHIVE_CHANGE_HEADROOM_SHARE)),
    quotaError(author, events, bytes, headroom = 0, standing = true) {
      const usage = log.usage(author)
      const maxEvents = standing ? quotas.maxEventsPerAuthor : Math.min(quotas.maxEventsPerAuthor, NEW_AUTHOR_MAX_EVENTS)
      const maxBytes = standing ? quotas.maxBytesPerAuthor : Math.min(quotas.maxBytesPerAuthor, NEW_AUTHOR_MAX_BYTES)
      const whose = standing ? 'limit' : 'limit for authors new here'
      if (usage.events + events > maxEvents) return refuse('E_QUOTA', `author ${author} is at this relay's ${whose} of ${maxEvents} events`)
      if (usage.bytes + bytes > maxBytes + headroom) return refuse('E_QUOTA', `author ${author} is at this relay's ${whose} of ${maxBytes} bytes`)
      return undefined
    },
    capError(bytes, headroom = 0, standing = true) {
      if (used + bytes <= (standing ? cap : newAuthorsCap) + headroom) return undefined
      if (!standing && used + bytes <= cap + headroom)
        return refuse('E_QUOTA', `this relay's archive is full for authors new here (the rest is kept for authors with standing)`)
      return refuse('E_QUOTA', `this relay's archive is full (limit ${cap} bytes)`)
    },
    async reserve(bytes, write) {
      used += bytes
      let kept = 0
      try {
        return await write((n) => {
          kept += n
        })
      } finally {
        used -= bytes - kept
      }
    },
    countCapRefusal() {
      capRefusals++
    },
    release(bytes) {
      used -= bytes
    },
    load() {
      used = log.stats().bytes
    },
    get capRefusals() {
      return capRefusals
    },
  }
}
