// Gossipsub topic names of protocol v1 (protocol/gossip.md §Topics). Versioned so that a
// future v2 runs beside v1 without either side rejecting the other's messages.

/** Signed events (post, reaction, repost): the wire bytes of protocol/events.md. */
export const TOPIC_EVENTS = 'wg/1/events'
/** Signed feed-document change envelopes (protocol/feed-envelope.md). */
export const TOPIC_CHANGES = 'wg/1/changes'
/** Signed relay records (protocol/relays.md): how clients learn new relays. */
export const TOPIC_RELAYS = 'wg/1/relays'
/** Peer announcements (peer id + multiaddrs, protocol/gossip.md "Peer announcements"), validated like the data topics. */
export const TOPIC_DISCOVERY = 'wg/1/peer-discovery'

/** The topics carrying Wildgrass data, each with a validator (src/net/gossip.ts). */
export const DATA_TOPICS = [TOPIC_EVENTS, TOPIC_CHANGES, TOPIC_RELAYS] as const
export type DataTopic = (typeof DATA_TOPICS)[number]

/** Every topic a relay subscribes to: relays are the backbone mesh (docs/architecture.md "The network"). */
export const ALL_TOPICS = [...DATA_TOPICS, TOPIC_DISCOVERY] as const
/** Every topic a node may subscribe to; each has a validator (src/net/gossip.ts). */
export type GossipTopic = (typeof ALL_TOPICS)[number]
