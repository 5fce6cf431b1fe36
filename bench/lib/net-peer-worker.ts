// A worker thread hosting some of the propagation benchmark's peers (bench/net.bench.ts), so
// that peers verify on their own event loops as real devices do, instead of queueing behind
// each other on one thread. Driven by messages from the main thread; times are absolute
// (performance.timeOrigin + performance.now()), comparable across threads.
import { parentPort, workerData } from 'node:worker_threads'
import { createEvent, generateSecretKey } from '../../src/core/index.ts'
import { TOPIC_EVENTS } from '../../src/net/topics.ts'
import { createNodeVerifier } from '../../src/net/verify-node.ts'
import { startTestPeer, waitFor } from '../../test/support/net-harness.ts'
import type { TestPeer } from '../../test/support/net-harness.ts'

interface Init {
  relays: string[]
  count: number
  rawTopic: string
  verify: 'node' | 'core'
  posts: Array<{ seq: number; peer: number }>
}
type Command = { type: 'publish'; kind: 'event' | 'raw'; seq: number; peer: number; size: number } | { type: 'report' } | { type: 'stop' }

const { relays, count, rawTopic, verify, posts } = workerData as Init
const port = parentPort!
const now = (): number => performance.timeOrigin + performance.now()
const peers: TestPeer[] = []
const secrets = Array.from({ length: count }, () => generateSecretKey())
// this worker's posts, signed now: publishing, not signing, is measured
const signed = new Map(
  posts.map(({ seq, peer }) => [seq, createEvent(secrets[peer]!, { kind: 'post', body: { text: `propagation ${seq} ${'x'.repeat(200)}` } }).bytes]),
)
const received: Array<[kind: 0 | 1 | 2, seq: number, at: number]> = []

for (let i = 0; i < count; i++) {
  // each peer its own verifier (and key cache), as each device has
  const verifier = verify === 'node' ? { verifier: createNodeVerifier() } : {}
  const p = await startTestPeer(relays, { privacy: 'relay-only', net: { recentPages: 0, ...verifier } })
  p.node.services.pubsub.subscribe(rawTopic)
  p.net.onEvent((e) => {
    const at = now()
    if (e.kind === 'post') received.push([0, Number(e.body.text.split(' ')[1]), at])
  })
  p.node.services.pubsub.addEventListener('message', (evt) => {
    if (evt.detail.topic !== rawTopic) return
    const seq = new DataView(evt.detail.data.buffer, evt.detail.data.byteOffset).getUint32(0)
    // gossipsub dispatches 'message' before it forwards the message to the mesh; Wildgrass
    // delivers in a microtask after that (src/net/gossip.ts). Bare is timed both ways: at
    // dispatch (kind 2), and after the forward like ours (kind 1, the one compared).
    received.push([2, seq, now()])
    queueMicrotask(() => received.push([1, seq, now()]))
  })
  peers.push(p)
}
await waitFor(() => peers.every((p) => p.net.status.get().relays.length === relays.length), 60_000, 'relays')
await waitFor(
  () =>
    peers.every(
      (p) =>
        p.node.services.pubsub.getSubscribers(TOPIC_EVENTS).length >= relays.length && p.node.services.pubsub.getSubscribers(rawTopic).length >= relays.length,
    ),
  60_000,
  'subscriptions',
)
port.postMessage({ type: 'ready' })

port.on('message', (cmd: Command) => {
  if (cmd.type === 'publish') {
    const peer = peers[cmd.peer]!
    if (cmd.kind === 'event') {
      const bytes = signed.get(cmd.seq)!
      const at = now()
      void peer.net.publishEvent(bytes)
      port.postMessage({ type: 'sent', kind: 0, seq: cmd.seq, at, size: bytes.length })
    } else {
      const data = crypto.getRandomValues(new Uint8Array(cmd.size))
      new DataView(data.buffer).setUint32(0, cmd.seq)
      const at = now()
      void peer.node.services.pubsub.publish(rawTopic, data)
      port.postMessage({ type: 'sent', kind: 1, seq: cmd.seq, at, size: cmd.size })
    }
  } else if (cmd.type === 'report') {
    port.postMessage({ type: 'report', received })
  } else {
    void Promise.all(peers.map((p) => p.stop())).then(() => port.postMessage({ type: 'stopped' }))
  }
})
