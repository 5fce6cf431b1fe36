// Gossip of events, change envelopes, relay records and peer announcements (protocol/gossip.md).
// Every message passes validation in a gossipsub topic validator BEFORE it is delivered or forwarded:
// Reject (the sender's score pays) for invalid bytes, Ignore for what may be valid to a newer
// peer, for retracted events and for a peer over its rate. Each message is decoded and verified
// once, here; what is delivered is the object core opened.
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import {
  isWildgrassError,
  MAX_CHANGE_ENVELOPE_BYTES,
  MAX_EVENT_BYTES,
  MAX_RELAY_RECORD_BYTES,
  openChangeEnvelope,
  openEvent,
  openRelayRecord,
  WildgrassError,
} from '../core/index.ts'
import type { ErrorCode, EventId, SignatureVerifier, VerifiedChangeEnvelope, VerifiedEvent } from '../core/index.ts'
import type { GossipSub } from './gossip-config.ts'
import { createRateLimiter } from './rate-limiter.ts'
import type { RateLimit } from './rate-limiter.ts'
import { decodeAnnouncement, MAX_ANNOUNCEMENT_BYTES } from './peer-announcer.ts'
import { ALL_TOPICS, TOPIC_CHANGES, TOPIC_DISCOVERY, TOPIC_EVENTS, TOPIC_RELAYS } from './topics.ts'
import type { DataTopic, GossipTopic } from './topics.ts'

/**
 * Codes an honest peer may produce (a newer version, a skewed clock, other Unicode tables counting
 * graphemes differently): not forwarded, not penalised.
 */
const IGNORED_CODES: ReadonlySet<ErrorCode> = new Set([
  'E_UNKNOWN_VERSION',
  'E_UNKNOWN_KIND',
  'E_UNKNOWN_FIELD',
  'E_TIMESTAMP_FUTURE',
  'E_TOO_MANY_GRAPHEMES',
  'E_RETRACTED',
])

const RESULTS: Record<GossipVerdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  reject: TopicValidatorResult.Reject,
  ignore: TopicValidatorResult.Ignore,
}

/** Relay records are specified in protocol/relays.md; the relay's code supplies the opener. */
export interface RelayRecordOpener {
  maxBytes: number
  /** decode + verify; throws WildgrassError; resolves to the multiaddrs the record announces */
  open(bytes: Uint8Array): Promise<{ multiaddrs: string[] }>
}

/**
 * Core's relay-record check (protocol/relays.md): the default everywhere. A record names a
 * peer id; dialing it is authenticated by Noise, so a false address only fails to connect.
 */
export const defaultRelayRecordOpener: RelayRecordOpener = {
  maxBytes: MAX_RELAY_RECORD_BYTES,
  async open(bytes) {
    const record = await openRelayRecord(bytes)
    return { multiaddrs: record.addrs.map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${record.peer}`)) }
  },
}

/** What validation decided about one message: accept (delivered, forwarded), reject (penalised), ignore. */
export type GossipVerdict = 'accept' | 'reject' | 'ignore'

export interface GossipInit {
  onEvent(event: VerifiedEvent): void
  /** `from`: the peer that forwarded it, who can serve what it depends on (protocol/sync.md) */
  onChange(envelope: VerifiedChangeEnvelope, from: PeerId): void
  onRelayRecord?(record: { multiaddrs: string[]; bytes: Uint8Array }): void
  /** after every validation of a message on any topic (a relay's metrics, its flood guard) */
  onValidated?(topic: GossipTopic, from: PeerId, verdict: GossipVerdict): void
  /** default: defaultRelayRecordOpener */
  relayRecords?: RelayRecordOpener
  /** events retracted by their author are neither delivered nor forwarded */
  isRetracted?(id: EventId): boolean | Promise<boolean>
  /** per propagating peer, all topics together (default 100/s, burst 500) */
  rateLimit?: RateLimit
  /**
   * per propagating peer, peer announcements only, on top of `rateLimit` (default 5/s, burst 20):
   * an honest peer announces itself every 10 s and forwards a few others'
   */
  discoveryRateLimit?: RateLimit
  /** peers exempt from the rate limits: other relays forward everyone's messages */
  isTrusted?(peer: PeerId): boolean
  /** a synchronous signature backend (src/net/verify-node.ts on Node); default: core's (WebCrypto or noble) */
  verifier?: SignatureVerifier
  /**
   * the topics to subscribe to (default all three); a client that receives by subscription
   * (protocol/subscribe.md) takes relay records only, and still publishes on the others
   */
  subscribe?: readonly DataTopic[]
}

export interface GossipCounters {
  accepted: number
  rejected: number
  ignored: number
}

export interface Gossip {
  publishEvent(bytes: Uint8Array): Promise<number>
  publishChange(bytes: Uint8Array): Promise<number>
  publishRelayRecord(bytes: Uint8Array): Promise<number>
  readonly counters: GossipCounters
  stop(): void
}

/** Subscribes to the data topics and installs their validators. */
export function startGossip(pubsub: GossipSub, init: GossipInit): Gossip {
  const limiter = createRateLimiter(init.rateLimit ?? { perSecond: 100, burst: 500 })
  const discoveryLimiter = createRateLimiter(init.discoveryRateLimit ?? { perSecond: 5, burst: 20 })
  const counters: GossipCounters = { accepted: 0, rejected: 0, ignored: 0 }
  const opened = new WeakMap<Message, () => void>()

  const decide = async (topic: GossipTopic, peer: PeerId, msg: Message, open: () => Promise<() => void>): Promise<GossipVerdict> => {
    if (init.isTrusted?.(peer) !== true) {
      if (!limiter.take(peer.toString())) return 'ignore'
      if (topic === TOPIC_DISCOVERY && !discoveryLimiter.take(peer.toString())) return 'ignore'
    }
    try {
      opened.set(msg, await open())
      return 'accept'
    } catch (err) {
      return isWildgrassError(err) && IGNORED_CODES.has(err.code) ? 'ignore' : 'reject'
    }
  }
  const judge = async (topic: GossipTopic, peer: PeerId, msg: Message, open: () => Promise<() => void>): Promise<TopicValidatorResult> => {
    const verdict = await decide(topic, peer, msg, open)
    counters[verdict === 'accept' ? 'accepted' : verdict === 'reject' ? 'rejected' : 'ignored']++
    init.onValidated?.(topic, peer, verdict)
    return RESULTS[verdict]
  }
  const verifier = init.verifier === undefined ? {} : { verifier: init.verifier }

  pubsub.topicValidators.set(TOPIC_EVENTS, (peer, msg) =>
    judge(TOPIC_EVENTS, peer, msg, async () => {
      if (msg.data.length > MAX_EVENT_BYTES) throw new RangeError('oversize event')
      // no copy here: gossip data is a view into the RPC buffer, but decoding returns copies
      const event = await openEvent(msg.data, verifier)
      // a failing lookup is no reason to punish the sender: treat as not retracted
      if ((await Promise.resolve(init.isRetracted?.(event.id)).catch(() => false)) === true) throw new WildgrassError('E_RETRACTED', 'retracted by its author')
      return () => init.onEvent(event)
    }),
  )
  pubsub.topicValidators.set(TOPIC_CHANGES, (peer, msg) =>
    judge(TOPIC_CHANGES, peer, msg, async () => {
      if (msg.data.length > MAX_CHANGE_ENVELOPE_BYTES) throw new RangeError('oversize change')
      // no owner claimed: the store applies it to the document of the author who signed it, so
      // that author's valid signature is exactly the right check
      const envelope = await openChangeEnvelope(msg.data, undefined, verifier)
      return () => init.onChange(envelope, peer)
    }),
  )
  const relayRecords = init.relayRecords ?? defaultRelayRecordOpener
  pubsub.topicValidators.set(TOPIC_RELAYS, (peer, msg) =>
    judge(TOPIC_RELAYS, peer, msg, async () => {
      if (msg.data.length > relayRecords.maxBytes) throw new RangeError('oversize relay record')
      const record = await relayRecords.open(msg.data)
      return () => init.onRelayRecord?.({ multiaddrs: record.multiaddrs, bytes: new Uint8Array(msg.data) })
    }),
  )
  // Announcements are read by the peer announcer (or, on a relay, pubsub-peer-discovery) from
  // the 'message' event; here they are only judged, so that an oversized or malformed one is
  // neither delivered nor forwarded to phones, and costs its sender's score.
  const ANNOUNCED = (): void => {}
  pubsub.topicValidators.set(TOPIC_DISCOVERY, (peer, msg) =>
    judge(TOPIC_DISCOVERY, peer, msg, async () => {
      if (msg.data.length > MAX_ANNOUNCEMENT_BYTES) throw new RangeError('oversize announcement')
      if (decodeAnnouncement(msg.data) === undefined) throw new TypeError('malformed announcement')
      return ANNOUNCED
    }),
  )

  const onMessage = (evt: CustomEvent<Message>): void => {
    const deliver = opened.get(evt.detail)
    if (deliver === undefined) return // not one of our topics (e.g. peer discovery)
    opened.delete(evt.detail)
    // gossipsub dispatches 'message' synchronously and forwards right after: deliver in a
    // microtask, so the sink's synchronous work (decoding, a store write) runs after this
    // validated message went on to the mesh, not before
    queueMicrotask(deliver)
  }
  pubsub.addEventListener('message', onMessage)
  for (const topic of init.subscribe ?? [TOPIC_EVENTS, TOPIC_CHANGES, TOPIC_RELAYS]) pubsub.subscribe(topic)

  const publish = async (topic: string, bytes: Uint8Array): Promise<number> => (await pubsub.publish(topic, bytes)).recipients.length
  return {
    publishEvent: (bytes) => publish(TOPIC_EVENTS, bytes),
    publishChange: (bytes) => publish(TOPIC_CHANGES, bytes),
    publishRelayRecord: (bytes) => publish(TOPIC_RELAYS, bytes),
    counters,
    stop() {
      pubsub.removeEventListener('message', onMessage)
      // nothing unvalidated may be forwarded while the node keeps running without us
      for (const topic of ALL_TOPICS) pubsub.topicValidators.set(topic, () => TopicValidatorResult.Ignore)
    },
  }
}
