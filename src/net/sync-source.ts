// What the network layer needs from a store (protocol/sync.md). The browser implements these
// over src/store; the relay implements them over its archive. Kept small and stable: the
// relay and app engineers code against these exact names. test/support/sync-contract.ts is the
// contract every implementation passes.
//
// Trust boundary (src/net/README.md): the network hands a SyncSink only objects core has
// opened at the network boundary — events through openEvent/openEvents, change envelopes
// through openChangeEnvelope(bytes, owner) where owner is the feed document's owner the peer
// claimed (gossip: the author the envelope names). Core marks what it verified, so a sink that
// checks again (verifyEvents, verifyChangeEnvelope) pays nothing for these; nothing is decoded
// twice. Everything a SyncSource returns is sent to peers as-is, so it must be bytes the store
// holds (wire encodings), never re-encoded.
import type { AuthorId, EventId, VerifiedChangeEnvelope, VerifiedEvent } from '../core/index.ts'
import type { IngestResult } from '../store/types.ts'

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

/** Receives what sync and gossip bring in (opened by core, see above): one result per item, in order. */
export interface SyncSink {
  /** Opened events; duplicates and retracted events are the sink's to drop (with their reason). */
  ingestOpenedEvents(events: readonly VerifiedEvent[]): Promise<IngestResult[]>
  /**
   * Opened change envelopes, possibly of several authors, each for the document of its author.
   * One whose dependencies the sink lacks is refused with reason 'missing-dependencies'.
   */
  ingestOpenedChanges(envelopes: readonly VerifiedChangeEnvelope[]): Promise<IngestResult[]>
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
