// The relay on this machine: a real relay process (`src/relay/cli.ts
// --json` on loopback, temp data dir), measured from outside through /metrics.
// - relay.peers_held: light peers (raw libp2p: WebSockets + Noise + Yamux, nothing else)
//   dialled in batches until PEER_LIMIT, a time budget, or repeated dial failures; the figure
//   is the relay's own wg_connected_peers once they are all in.
// - relay.mem_per_peer_kb: (relay RSS with the peers − RSS before) / peers held.
// - relay.msgs_per_s: valid signed events published by one gossip peer, validated, forwarded
//   by the relay to another gossip peer AND stored in its archive; events / seconds until the
//   last was both delivered and stored (per-peer rate limit lifted with --gossip-rate: we
//   measure capacity, not policy). relay.forward_per_s: delivered / seconds until the last
//   delivery, archive not waited for (what relay.msgs_per_s measured before 2026-11-25).
// Conditions: everything on one 2-core machine, the bench process itself runs all the peers
// (their CPU competes with the relay's), so these are floors, not ceilings.
import { createLibp2p, type Libp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { generateSecretKey } from '../src/core/keys.ts'
import { createEvent } from '../src/core/event-create.ts'
import { createNode, type WildgrassNode } from '../src/net/node.ts'
import { generatePeerKey } from '../src/net/peer-key.ts'
import { TOPIC_EVENTS } from '../src/net/topics.ts'
import { cleanupRelays, readMetric, startRelayProcess, type RelayProcess } from '../test/support/relay-process.ts'
import { RELAY_LIMITS } from '../src/relay/relay-node.ts'
import { recordResults } from './lib/results.ts'

// above the relay's connection limit (RELAY_LIMITS.maxConnections), so the bound shows
const PEER_LIMIT = Number(process.env.WG_BENCH_PEERS ?? RELAY_LIMITS.maxConnections + 500)
const PEER_BUDGET_MS = 120_000
const BATCH = 25
const MESSAGES = Number(process.env.WG_BENCH_MESSAGES ?? 3000)
const AUTHORS = 20

async function lightPeer(): Promise<Libp2p> {
  return createLibp2p({
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
  })
}

async function measurePeers(relay: RelayProcess): Promise<{ held: number; memPerPeerKb: number }> {
  const addr = multiaddr(relay.wsAddrs()[0]!)
  const rssBefore = (await readMetric(relay, 'process_resident_memory_bytes')) ?? 0
  const peers: Libp2p[] = []
  const started = Date.now()
  let failuresInARow = 0
  while (peers.length < PEER_LIMIT && Date.now() - started < PEER_BUDGET_MS && failuresInARow < 3) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, PEER_LIMIT - peers.length) }, lightPeer))
    const results = await Promise.allSettled(batch.map((p) => p.dial(addr, { signal: AbortSignal.timeout(15_000) })))
    let ok = 0
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') {
        ok++
        peers.push(batch[i]!)
      } else {
        await batch[i]!.stop()
      }
    }
    failuresInARow = ok === 0 ? failuresInARow + 1 : 0
    // every bench peer dials from 127.0.0.1, and the relay accepts a bounded number of inbound
    // connections per host per second (RELAY_LIMITS): refused dials wait for the next second
    if (ok < batch.length) await new Promise((r) => setTimeout(r, 1100))
    if (ok > 0 && peers.length % 200 < BATCH)
      console.log(
        `  ${peers.length} peers connected (${Math.round((Date.now() - started) / 1000)} s); relay counts ${await readMetric(relay, 'wg_connected_peers')}`,
      )
  }
  const peak = (await readMetric(relay, 'wg_connected_peers')) ?? 0
  await new Promise((r) => setTimeout(r, 3000)) // held, not just opened: count again after a pause
  const held = (await readMetric(relay, 'wg_connected_peers')) ?? 0
  const rssAfter = (await readMetric(relay, 'process_resident_memory_bytes')) ?? 0
  // stay connected peers are what we count; a peer whose connection dropped is not held
  const stillOpen = peers.filter((p) => p.getConnections().length > 0).length
  console.log(
    `  dialled ${peers.length}, relay reported ${peak} at once, 3 s later ${held} (${stillOpen} open on our side)` +
      (held >= RELAY_LIMITS.maxConnections ? ` (the relay's configured maxConnections: a limit we set, not exhaustion)` : ''),
  )
  await Promise.all(peers.map(async (p) => p.stop()))
  return { held, memPerPeerKb: held > 0 ? (rssAfter - rssBefore) / held / 1024 : NaN }
}

async function gossipPeer(relay: RelayProcess): Promise<WildgrassNode> {
  const node = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  node.services.pubsub.subscribe(TOPIC_EVENTS)
  await node.dial(multiaddr(relay.wsAddrs()[0]!))
  return node
}

async function measureMessages(relay: RelayProcess): Promise<{ rate: number; forwardRate: number }> {
  const sender = await gossipPeer(relay)
  const receiver = await gossipPeer(relay)
  // wait until the relay is in both meshes (it subscribes to every topic)
  const deadline = Date.now() + 15_000
  while (
    Date.now() < deadline &&
    (sender.services.pubsub.getSubscribers(TOPIC_EVENTS).length === 0 || receiver.services.pubsub.getSubscribers(TOPIC_EVENTS).length === 0)
  ) {
    await new Promise((r) => setTimeout(r, 100))
  }
  await new Promise((r) => setTimeout(r, 1500)) // one heartbeat: GRAFT
  const secrets = Array.from({ length: AUTHORS }, () => generateSecretKey())
  const events = Array.from(
    { length: MESSAGES },
    (_, i) => createEvent(secrets[i % AUTHORS]!, { kind: 'post', body: { text: `bench post ${i} 野草 ${'x'.repeat(200)}` } }).bytes,
  )
  let received = 0
  let last = 0
  receiver.services.pubsub.addEventListener('message', (evt) => {
    if (evt.detail.topic !== TOPIC_EVENTS) return
    received++
    last = performance.now()
  })
  const t0 = performance.now()
  for (let i = 0; i < events.length; i += 100) {
    await Promise.all(events.slice(i, i + 100).map((e) => sender.services.pubsub.publish(TOPIC_EVENTS, e)))
  }
  // done when every event was delivered AND stored: a relay that forwards fast but lets its
  // archive fall behind is not keeping up (its backlog is bounded; past it, events go unarchived).
  // The stored count is a live counter on /metrics, polled every 25 ms.
  const until = Date.now() + 120_000
  let seen = -1
  let changedAt = Date.now()
  let archivedAt = 0
  while (Date.now() < until && (received < MESSAGES || archivedAt === 0)) {
    if (archivedAt === 0 && ((await readMetric(relay, STORED)) ?? 0) >= MESSAGES) archivedAt = performance.now()
    const progress = received + (archivedAt === 0 ? 0 : 1)
    if (progress !== seen) {
      seen = progress
      changedAt = Date.now()
    } else if (Date.now() - changedAt > 5000) {
      break // stalled: count what arrived
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  const delivered = received
  const forwardRate = delivered / ((last - t0) / 1000)
  const rate = archivedAt === 0 ? 0 : delivered / ((Math.max(last, archivedAt) - t0) / 1000)
  await new Promise((r) => setTimeout(r, 5500)) // archive figures are cached 5 s
  console.log(
    `  delivered ${delivered}/${MESSAGES} in ${Math.round(last - t0)} ms, all stored after ${archivedAt === 0 ? 'never' : Math.round(archivedAt - t0)} ms; relay archive holds ${await readMetric(relay, 'wg_archive_events')}`,
  )
  await Promise.all([sender, receiver].map(async (n) => n.stop()))
  return { rate, forwardRate }
}

const STORED = 'wg_archive_ingested_total{kind="event",result="stored"}'

try {
  // The per-peer gossip rate limit (default 100/s) is a policy, not the relay's capacity: lift it here.
  const relay = await startRelayProcess({ args: ['--no-webrtc-direct', '--gossip-rate', '1000000'] })
  console.log(`relay ${relay.ready.http} (pid ${relay.pid})`)
  const { rate: msgsPerS, forwardRate } = await measureMessages(relay)
  const { held, memPerPeerKb } = await measurePeers(relay)
  recordResults({ 'relay.peers_held': held, 'relay.msgs_per_s': msgsPerS, 'relay.forward_per_s': forwardRate, 'relay.mem_per_peer_kb': memPerPeerKb })
  await relay.stop()
} finally {
  await cleanupRelays()
}
