// A worker thread of the propagation benchmark (bench/propagation.long.bench.ts): either one relay
// as the relay process runs it (startRelay: SQLite archive, gossip validation, filtered
// subscriptions, peer guard, rate limits), or a batch of phones (real libp2p client nodes
// running createNetwork with filtered delivery, as the app does). Every node on its own
// thread's event loop would be too many threads; a relay gets a thread of its own, phones share.
// Times are absolute (performance.timeOrigin + performance.now()), comparable across threads.
// Arrivals: [kind (0 ours, 1 bare), seq, receiver, at].
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parentPort, workerData } from 'node:worker_threads'
import { createEvent } from '../../src/core/index.ts'
import type { AuthorId, SecretKey, VerifiedEvent } from '../../src/core/index.ts'
import { TOPIC_EVENTS } from '../../src/net/topics.ts'
import { parseRelayConfig } from '../../src/relay/config.ts'
import { startRelay } from '../../src/relay/relay.ts'
import { startTestPeer, waitFor } from '../../test/support/net-harness.ts'
import type { TestPeer } from '../../test/support/net-harness.ts'

export type Arrival = [kind: 0 | 1, seq: number, receiver: number, at: number]

export type WorkerInit =
  | { role: 'relay'; receiver: number; dataDir: string; peers: string[]; rawTopic: string }
  | {
      role: 'phones'
      /** each phone's receiver number and its relay's address (through its delay link) */
      phones: Array<{ receiver: number; addr: string }>
      authors: AuthorId[]
      rawTopic: string
      /** the posts this worker's phones publish: signed here, before the clock runs */
      posts: Array<{ seq: number; phone: number; secret: SecretKey }>
    }

export type Command = { type: 'publish'; kind: 0 | 1; seq: number; phone: number; size: number } | { type: 'elu' } | { type: 'report' } | { type: 'stop' }

const init = workerData as WorkerInit
const port = parentPort!
const now = (): number => performance.timeOrigin + performance.now()
const arrivals: Arrival[] = []
/** event-loop utilisation since the last report (the publishing phase, when asked after it) */
let elu = performance.eventLoopUtilization()
const MARK = Buffer.from('prop#')

/** the sequence number a benchmark post carries in its text (`prop#<seq>#`), found in its bytes */
function seqOfEvent(data: Uint8Array): number {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const at = buf.indexOf(MARK)
  return at < 0 ? -1 : Number.parseInt(buf.toString('latin1', at + MARK.length, at + MARK.length + 10), 10)
}
const seqOfRaw = (data: Uint8Array): number => new DataView(data.buffer, data.byteOffset).getUint32(0)

if (init.role === 'relay') await runRelay(init)
else await runPhones(init)

async function runRelay(r: Extract<WorkerInit, { role: 'relay' }>): Promise<void> {
  const appDir = join(r.dataDir, 'app')
  mkdirSync(appDir, { recursive: true })
  const argv = ['--host', '127.0.0.1', '--port', '0', '--ws-port', '0', '--data', r.dataDir, '--app', appDir, '--no-build', '--no-webrtc-direct']
  const config = parseRelayConfig([...argv, ...r.peers.flatMap((p) => ['--peer', p])], {})!
  const relay = await startRelay(config, () => {})
  const pubsub = relay.node.services.pubsub
  // per-hop cost, from the run: the events validator (decode + signature + retraction lookup),
  // and the archive's writes (batched by the relay's sink; ms per event)
  const validateMs: number[] = []
  const storeMs: Array<[ms: number, events: number]> = []
  const validator = pubsub.topicValidators.get(TOPIC_EVENTS)!
  pubsub.topicValidators.set(TOPIC_EVENTS, async (peer, msg) => {
    const t = performance.now()
    const verdict = await validator(peer, msg)
    validateMs.push(performance.now() - t)
    return verdict
  })
  const archive = relay.archive as { ingestOpenedEvents(events: readonly VerifiedEvent[]): Promise<unknown> }
  const ingest = archive.ingestOpenedEvents.bind(archive)
  archive.ingestOpenedEvents = async (events) => {
    const t = performance.now()
    const results = await ingest(events)
    storeMs.push([performance.now() - t, events.length])
    return results
  }
  pubsub.subscribe(r.rawTopic)
  // 'message' is dispatched after validation, before the forward: the same moment for both kinds
  pubsub.addEventListener('message', (evt) => {
    const { topic, data } = evt.detail
    if (topic === TOPIC_EVENTS) arrivals.push([0, seqOfEvent(data), r.receiver, now()])
    else if (topic === r.rawTopic) arrivals.push([1, seqOfRaw(data), r.receiver, now()])
  })
  const wsPort = Number(/\/tcp\/(\d+)\/ws/.exec(relay.info.multiaddrs.join(' '))?.[1])
  port.postMessage({ type: 'ready', wsPort })
  port.on('message', (cmd: Command) => {
    if (cmd.type === 'elu') elu = performance.eventLoopUtilization()
    else if (cmd.type === 'report') {
      const remote = relay.node.getConnections().map((c) => c.remoteAddr.toString())
      const peers = pubsub.getSubscribers(r.rawTopic).length
      port.postMessage({ type: 'report', elu: performance.eventLoopUtilization(elu).utilization, arrivals, validateMs, storeMs, connections: remote, peers })
    } else if (cmd.type === 'stop') {
      void relay.stop().then(() => port.postMessage({ type: 'stopped' }))
    }
  })
}

async function runPhones(p: Extract<WorkerInit, { role: 'phones' }>): Promise<void> {
  const interest = { authors: p.authors, about: [], threads: [], community: false }
  const signed = new Map(
    p.posts.map(({ seq, secret }) => [seq, createEvent(secret, { kind: 'post', body: { text: `prop#${seq}# ${'x'.repeat(200)}` } }).bytes]),
  )
  const phones: TestPeer[] = []
  for (const [i, { receiver, addr }] of p.phones.entries()) {
    const phone = await startTestPeer([addr], { privacy: 'relay-only', authors: p.authors, net: { delivery: 'filtered', interest: () => interest } })
    phone.net.onEvent((e) => {
      if (e.kind === 'post') arrivals.push([0, seqOfEvent(e.bytes), receiver, now()])
    })
    phone.node.services.pubsub.subscribe(p.rawTopic)
    phone.node.services.pubsub.addEventListener('message', (evt) => {
      if (evt.detail.topic === p.rawTopic) arrivals.push([1, seqOfRaw(evt.detail.data), receiver, now()])
    })
    phones.push(phone)
    // a relay takes at most 200 new connections a second from one address (all of loopback)
    if (i % 20 === 19) await new Promise((r) => setTimeout(r, 200))
  }
  const ready = (x: TestPeer): boolean => (x.net.subscriptionLive?.() ?? []).length === 1 && x.node.services.pubsub.getSubscribers(p.rawTopic).length >= 1
  await waitFor(() => phones.every(ready), 120_000, 'phones subscribed')
  port.postMessage({ type: 'ready' })
  port.on('message', (cmd: Command) => {
    if (cmd.type === 'publish') {
      const phone = phones[cmd.phone]!
      if (cmd.kind === 0) {
        const bytes = signed.get(cmd.seq)!
        const at = now()
        void phone.net.publishEvent(bytes)
        port.postMessage({ type: 'sent', kind: 0, seq: cmd.seq, at, size: bytes.length })
      } else {
        const data = crypto.getRandomValues(new Uint8Array(cmd.size))
        new DataView(data.buffer).setUint32(0, cmd.seq)
        const at = now()
        void phone.node.services.pubsub.publish(p.rawTopic, data)
        port.postMessage({ type: 'sent', kind: 1, seq: cmd.seq, at, size: cmd.size })
      }
    } else if (cmd.type === 'elu') elu = performance.eventLoopUtilization()
    else if (cmd.type === 'report') {
      const live = phones.filter(ready).length
      const connected = phones.filter((x) => x.node.getConnections().length > 0).length
      const subscribed = phones.filter((x) => (x.net.subscriptionLive?.() ?? []).length === 1).length
      const errors = phones.reduce((n, x) => n + x.net.counters.syncErrors, 0)
      port.postMessage({ type: 'report', elu: performance.eventLoopUtilization(elu).utilization, arrivals, live, connected, subscribed, errors })
    } else if (cmd.type === 'stop') {
      void Promise.all(phones.map((x) => x.stop().catch(() => {}))).then(() => port.postMessage({ type: 'stopped' }))
    }
  })
}
