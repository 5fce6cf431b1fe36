// Gossipsub settings shared by browser/Node peers and relays (protocol/gossip.md).
import { gossipsub } from '@libp2p/gossipsub'
import type { GossipSub, GossipsubOpts } from '@libp2p/gossipsub'
import { createTopicScoreParams } from '@libp2p/gossipsub/score'
import type { PeerScoreThresholds } from '@libp2p/gossipsub/score'
import { sha256 } from '@noble/hashes/sha2.js'
import { ALL_TOPICS } from './topics.ts'

/** Largest gossip message we accept at the RPC level; topic validators apply tighter limits. */
export const MAX_GOSSIP_MESSAGE_BYTES = 256 * 1024

/**
 * Content-derived message id (protocol/gossip.md §Message ids): SHA-256 of topic ‖ 0x00 ‖ data.
 * With StrictNoSign there is no sender or sequence number, so the same bytes published by two
 * peers are one message, and nothing identifies the device that first sent it.
 */
export function computeMessageId(topic: string, data: Uint8Array): Uint8Array {
  const t = new TextEncoder().encode(topic)
  const input = new Uint8Array(t.length + 1 + data.length)
  input.set(t, 0)
  input.set(data, t.length + 1)
  return sha256(input)
}

const hexTable = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
function toHexString(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += hexTable[b]
  return s
}

/**
 * Score parameters for every topic, peer discovery included (protocol/gossip.md §Scoring): an invalid message costs
 * its sender (-20 × count², so two recent ones reach the graylist threshold of -80); no penalty
 * for a quiet mesh (a microblog topic is often idle, mesh-delivery penalties would prune
 * honest peers); IP co-location off because every browser behind one relay, and every test
 * peer on loopback, shares an address (docs/architecture.md "Platform facts the code relies on").
 */
const topicScore = createTopicScoreParams({
  topicWeight: 1,
  timeInMeshWeight: 0.01,
  timeInMeshQuantum: 1000,
  timeInMeshCap: 300,
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: 0.9,
  firstMessageDeliveriesCap: 50,
  meshMessageDeliveriesWeight: 0,
  meshFailurePenaltyWeight: 0,
  invalidMessageDeliveriesWeight: -20,
  invalidMessageDeliveriesDecay: 0.5,
})

export const scoreThresholds: Partial<PeerScoreThresholds> = {
  gossipThreshold: -40,
  publishThreshold: -60,
  graylistThreshold: -80,
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 5,
}

export interface GossipOptions {
  /** relays do peer exchange and forward everything; browsers do not hand out peers */
  relay: boolean
  /** other relays of the backbone, kept in every mesh (gossipsub "direct peers") */
  directPeers?: GossipsubOpts['directPeers']
}

export function createGossipsub(options: GossipOptions): ReturnType<typeof gossipsub> {
  const topics = Object.fromEntries(ALL_TOPICS.map((t) => [t, topicScore]))
  return gossipsub({
    globalSignaturePolicy: 'StrictNoSign',
    msgIdFn: (msg) => computeMessageId(msg.topic, msg.data),
    msgIdToStrFn: toHexString,
    allowPublishToZeroTopicPeers: true, // offline posting works; sync delivers later
    ignoreDuplicatePublishError: true,
    emitSelf: false,
    doPX: options.relay,
    // a relay keeps every subscribed client in its mesh (eager push to all of them) instead of
    // pruning to 12 and leaving the rest to lazy gossip a heartbeat later; clients keep defaults
    ...(options.relay ? { D: 12, Dlo: 4, Dhi: 2_000, Dscore: 4, Dout: 2 } : {}),
    directPeers: options.directPeers ?? [],
    maxInboundDataLength: MAX_GOSSIP_MESSAGE_BYTES + 1024,
    scoreParams: { IPColocationFactorWeight: 0, topics },
    scoreThresholds,
  })
}

export type { GossipSub }
