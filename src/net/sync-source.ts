// What the network layer needs from a store (protocol/sync.md). The browser implements these
// over src/store; the relay implements them over its archive. Kept small and stable: the
// relay and app engineers code against these exact names.
//
// Trust boundary (DESIGN.md principle 3): every byte string the network hands to a SyncSink
// has ALREADY passed core validation at the network boundary — events through
// openEvents/openEvent, change envelopes through openChangeEnvelope(bytes, author) where
// author is the feed document's owner the peer claimed. A sink may verify again, but need not.
// Everything a SyncSource returns is sent to peers as-is, so it must be bytes the store holds
// (wire encodings), never re-encoded.
import type { AuthorId, EventId, SignedEvent } from '../core/index.ts'

/** Serves catch-up sync (both a relay archive and a browser can be a source). */
export interface SyncSource {
  /** Current Automerge heads (hex change hashes) of the author's feed document; [] if unknown. */
  getHeads(author: AuthorId): Promise<string[]>
  /**
   * Signed change-envelope bytes (protocol/feed-envelope.md) of the author's feed document that
   * a peer holding `heads` lacks, in an order that can be applied (dependencies first).
   * Heads the source does not know are ignored (then it returns what it would for []).
   */
  getChangesSince(author: AuthorId, heads: readonly string[]): Promise<Uint8Array[]>
  /** Signed event bytes for the ids it holds; missing (or purged/retracted) ones omitted. */
  getEvents(ids: readonly EventId[]): Promise<Uint8Array[]>
  /**
   * Store-and-forward of gossip and community timelines: events received after the opaque
   * `cursor` (undefined = from the oldest kept), at most `limit`, oldest first, and the cursor to
   * continue from (undefined when there is nothing more right now). Optional: browsers may omit it.
   */
  getRecentEvents?(after: string | undefined, limit: number): Promise<RecentEvents>
}

export interface RecentEvents {
  events: Uint8Array[]
  cursor: string | undefined
}

/** Receives what sync and gossip bring in (already validated, see above). */
export interface SyncSink {
  /** Verified change envelopes, possibly for several authors; may resolve to anything. */
  ingestChanges(envelopes: readonly Uint8Array[]): Promise<unknown>
  /** Verified event bytes; duplicates and retracted events are the sink's to drop. */
  ingestEvents(events: readonly Uint8Array[]): Promise<unknown>
  /**
   * Optional: events the network has just opened itself (decoded and signature-checked under
   * core's rules in a gossip validator, protocol/gossip.md §Validation), handed over as the
   * frozen objects core returned, so the sink need not decode or verify them again. Without it
   * the network calls ingestEvents with their bytes. Same duty to drop duplicates and retracted.
   */
  ingestOpenedEvents?(events: readonly SignedEvent[]): Promise<unknown>
  /** Ids named by the author's signed index (feed document) as the sink now holds it. */
  indexedEventIds(author: AuthorId): Promise<EventId[]>
  /**
   * The subset of `ids` whose event bytes the sink does not hold (retracted ones excluded).
   * With `author`, only that author's retractions count: ids named by one author's index must
   * not be hidden by another author "retracting" them (protocol/feed-document.md).
   */
  missingEventIds(ids: readonly EventId[], author?: AuthorId): Promise<EventId[]>
}

/** The authors a client syncs: itself, whom it follows, its community. Called before each sync. */
export type AuthorsOfInterest = () => Promise<readonly AuthorId[]> | readonly AuthorId[]
