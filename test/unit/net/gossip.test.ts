// Gossip validation (src/net/gossip.ts) on a real gossipsub instance of a libp2p node without
// transports: each message is handed to the topic validator the way gossipsub hands it, and an
// accepted one is dispatched as gossipsub dispatches it. Verdicts, counters, the verdict hook,
// rate limits and trusted peers, and delivery of the opened object (decoded and verified once).
import { identify } from '@libp2p/identify'
import type { Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { createEvent, generateSecretKey, isVerifiedEvent, signChange } from '../../../src/core/index.ts'
import type { VerifiedChangeEnvelope, VerifiedEvent } from '../../../src/core/index.ts'
import { createGossipsub } from '../../../src/net/gossip-config.ts'
import type { GossipSub } from '../../../src/net/gossip-config.ts'
import { startGossip } from '../../../src/net/gossip.ts'
import type { Gossip, GossipInit, GossipVerdict } from '../../../src/net/gossip.ts'
import { encodeAnnouncement } from '../../../src/net/peer-announcer.ts'
import { TOPIC_CHANGES, TOPIC_DISCOVERY, TOPIC_EVENTS } from '../../../src/net/topics.ts'

const stops: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop()
})

interface Bench {
  gossip: Gossip
  events: VerifiedEvent[]
  changes: VerifiedChangeEnvelope[]
  verdicts: Array<[string, GossipVerdict]>
  /** what gossipsub does with a message from `from`: validate; if accepted, dispatch it */
  receive(topic: string, data: Uint8Array, from?: PeerId): Promise<string>
}

async function bench(init: Partial<GossipInit> = {}): Promise<Bench> {
  const node = await createLibp2p({ services: { identify: identify(), pubsub: createGossipsub({ relay: false }) } })
  stops.push(() => node.stop())
  const pubsub: GossipSub = node.services.pubsub
  const events: VerifiedEvent[] = []
  const changes: VerifiedChangeEnvelope[] = []
  const verdicts: Array<[string, GossipVerdict]> = []
  const gossip = startGossip(pubsub, {
    onEvent: (e) => events.push(e),
    onChange: (e) => changes.push(e),
    onValidated: (topic, _from, verdict) => verdicts.push([topic, verdict]),
    ...init,
  })
  stops.push(() => gossip.stop())
  const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return {
    gossip,
    events,
    changes,
    verdicts,
    async receive(topic, data, from = stranger) {
      const msg: Message = { type: 'unsigned', topic, data }
      const result = await pubsub.topicValidators.get(topic)!(from, msg)
      if (result === 'accept') {
        pubsub.dispatchEvent(new CustomEvent('message', { detail: msg }))
        await new Promise((r) => setTimeout(r, 0)) // delivery is a microtask after dispatch
      }
      return result
    },
  }
}

const secret = generateSecretKey()
const post = (text: string, ts?: number) =>
  createEvent(secret, { kind: 'post', body: { text }, ...(ts === undefined ? {} : { ts }) }, ts === undefined ? {} : { now: ts })

describe('gossip validation', () => {
  it('accepts a valid event and delivers the opened object; rejects forged and malformed bytes', async () => {
    const b = await bench()
    const good = post('valid')
    expect(await b.receive(TOPIC_EVENTS, good.bytes)).toBe('accept')
    expect(b.events.map((e) => e.id)).toEqual([good.id])
    expect(isVerifiedEvent(b.events[0]!)).toBe(true) // the sink need not verify again
    const forged = good.bytes.slice()
    forged[Buffer.from(forged).indexOf('valid')] = 'V'.charCodeAt(0)
    expect(await b.receive(TOPIC_EVENTS, forged)).toBe('reject')
    expect(await b.receive(TOPIC_EVENTS, new Uint8Array([0xa1, 0x61]))).toBe('reject')
    expect(await b.receive(TOPIC_EVENTS, new Uint8Array(5000).fill(0xa1))).toBe('reject') // oversize
    expect(b.events.length).toBe(1)
    expect(b.gossip.counters).toEqual({ accepted: 1, rejected: 3, ignored: 0 })
    expect(b.verdicts).toEqual([
      [TOPIC_EVENTS, 'accept'],
      [TOPIC_EVENTS, 'reject'],
      [TOPIC_EVENTS, 'reject'],
      [TOPIC_EVENTS, 'reject'],
    ])
  })

  it('ignores, without penalty, what an honest peer may send: a timestamp ahead of our clock, a retracted event', async () => {
    const retracted = post('deleted by its author')
    const b = await bench({ isRetracted: (id) => id === retracted.id })
    expect(await b.receive(TOPIC_EVENTS, post('from the future', Date.now() + 3_600_000).bytes)).toBe('ignore')
    expect(await b.receive(TOPIC_EVENTS, retracted.bytes)).toBe('ignore')
    expect(b.events).toEqual([])
    expect(b.gossip.counters).toEqual({ accepted: 0, rejected: 0, ignored: 2 })
  })

  it('opens a change envelope once, for the document of the author who signed it', async () => {
    const b = await bench()
    const env = signChange(secret, new Uint8Array([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3]))
    expect(await b.receive(TOPIC_CHANGES, env.bytes)).toBe('accept')
    expect(b.changes.map((c) => c.author)).toEqual([env.author])
    const forged = env.bytes.slice()
    forged[forged.length - 1]! ^= 0xff
    expect(await b.receive(TOPIC_CHANGES, forged)).toBe('reject')
  })

  it('a peer over its rate is ignored; a trusted peer (a relay of the backbone) is not limited', async () => {
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const flooder = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const b = await bench({ rateLimit: { perSecond: 1, burst: 2 }, isTrusted: (p) => p.equals(relay) })
    const posts = Array.from({ length: 4 }, (_, i) => post(`burst ${i}`))
    const fromFlooder = []
    for (const p of posts) fromFlooder.push(await b.receive(TOPIC_EVENTS, p.bytes, flooder))
    expect(fromFlooder).toEqual(['accept', 'accept', 'ignore', 'ignore'])
    const fromRelay = []
    for (const p of posts) fromRelay.push(await b.receive(TOPIC_EVENTS, p.bytes, relay))
    expect(fromRelay).toEqual(['accept', 'accept', 'accept', 'accept'])
  })

  it('peer announcements: well-formed and within 8 KiB accepted; oversized or malformed rejected; a flood over the discovery rate ignored', async () => {
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const b = await bench({ discoveryRateLimit: { perSecond: 1, burst: 3 }, isTrusted: (p) => p.equals(relay) })
    const key = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
    const addr = new Uint8Array([4, 127, 0, 0, 1, 6, 0x0f, 0xa1]) // /ip4/127.0.0.1/tcp/4001
    const good = (nonce: number) => encodeAnnouncement(key, [addr], nonce)
    expect(await b.receive(TOPIC_DISCOVERY, good(1))).toBe('accept')
    // padded past 8 KiB by addresses: still well-formed protobuf, refused for its size
    expect(
      await b.receive(
        TOPIC_DISCOVERY,
        encodeAnnouncement(
          key,
          Array.from({ length: 1100 }, () => addr),
          2,
        ),
      ),
    ).toBe('reject')
    expect(await b.receive(TOPIC_DISCOVERY, new Uint8Array(600).fill(0x0a))).toBe('reject')
    const flood = []
    for (let i = 0; i < 3; i++) flood.push(await b.receive(TOPIC_DISCOVERY, good(10 + i)))
    expect(flood).toEqual(['ignore', 'ignore', 'ignore']) // the burst of 3 is spent (1 accepted, 2 rejected)
    expect(await b.receive(TOPIC_DISCOVERY, good(20), relay)).toBe('accept')
    expect(b.verdicts.filter(([t]) => t === TOPIC_DISCOVERY).map(([, v]) => v)).toEqual(['accept', 'reject', 'reject', 'ignore', 'ignore', 'ignore', 'accept'])
  })

  it('after stop, nothing is validated as valid any more (so nothing unvalidated is forwarded)', async () => {
    const b = await bench()
    b.gossip.stop()
    expect(await b.receive(TOPIC_EVENTS, post('after stop').bytes)).toBe('ignore')
    expect(await b.receive(TOPIC_DISCOVERY, new Uint8Array(600))).toBe('ignore')
    expect(b.events).toEqual([])
  })
})
