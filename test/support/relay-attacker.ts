// A malicious peer as its own process (an attacker is another machine: it must not starve
// the honest peers' event loop in the test process). Usage:
//   node test/support/relay-attacker.ts <relay multiaddr> <message count> [data|discovery]
// Connects with a real libp2p node that installs NO validators, floods the data topics with
// random bytes, forged events and oversized messages (or, with `discovery`, the peer-discovery
// topic with 200 KiB and malformed announcements), then prints one JSON line
// {"peer", "sent", "bytes", "connected"} and exits.
import { multiaddr } from '@multiformats/multiaddr'
import { createEvent } from '../../src/core/event-create.ts'
import { generateSecretKey } from '../../src/core/keys.ts'
import { createNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { TOPIC_CHANGES, TOPIC_DISCOVERY, TOPIC_EVENTS } from '../../src/net/topics.ts'

/** Garbage of every kind the validators must refuse: random bytes, tampered signatures, oversize. */
export function* badMessages(count: number): Generator<[string, Uint8Array]> {
  const secret = generateSecretKey()
  for (let i = 0; i < count; i++) {
    const kind = i % 10
    if (kind < 5) {
      yield [i % 2 ? TOPIC_EVENTS : TOPIC_CHANGES, crypto.getRandomValues(new Uint8Array(64 + (i % 4000)))]
    } else if (kind < 9) {
      const e = createEvent(secret, { kind: 'post', body: { text: `forged ${i}` } }).bytes.slice()
      e[e.indexOf(0x40) + 20]! ^= 0xff // somewhere inside: non-canonical, wrong signature or bad text
      yield [TOPIC_EVENTS, e]
    } else {
      // far beyond MAX_EVENT_BYTES (4 KiB), some beyond the gossip RPC limit (256 KiB) too
      yield [TOPIC_EVENTS, new Uint8Array(i % 20 === 9 ? 300 * 1024 : 64 * 1024).fill(i & 0xff)]
    }
  }
}

/** What the discovery topic must refuse: far past 8 KiB, or no announcement at all. */
export function* badAnnouncements(count: number): Generator<[string, Uint8Array]> {
  for (let i = 0; i < count; i++) {
    yield [TOPIC_DISCOVERY, i % 5 === 4 ? crypto.getRandomValues(new Uint8Array(600)) : new Uint8Array(200 * 1024).fill(i & 0xff)]
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [addr, countText, mode] = process.argv.slice(2)
  const node = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  for (const t of [TOPIC_EVENTS, TOPIC_CHANGES, TOPIC_DISCOVERY]) node.services.pubsub.subscribe(t)
  await node.dial(multiaddr(addr!))
  await new Promise((r) => setTimeout(r, 2000)) // subscriptions exchanged
  let sent = 0
  let bytes = 0
  const batch: Array<Promise<unknown>> = []
  const count = Number(countText ?? 20_000)
  for (const [topic, data] of mode === 'discovery' ? badAnnouncements(count) : badMessages(count)) {
    batch.push(node.services.pubsub.publish(topic, data).catch(() => {}))
    sent++
    bytes += data.length
    if (batch.length >= 500) await Promise.all(batch.splice(0))
  }
  await Promise.all(batch)
  const connected = node.getConnections().filter((c) => c.status === 'open').length
  process.stdout.write(JSON.stringify({ peer: node.peerId.toString(), sent, bytes, connected }) + '\n')
  await node.stop()
  process.exit(0)
}
