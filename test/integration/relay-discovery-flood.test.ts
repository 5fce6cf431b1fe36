// A peer floods the peer-discovery topic with 200 KiB and malformed announcements through a
// relay process. The relay validates the topic like the data topics (src/net/gossip.ts): none of
// it reaches a listener behind the relay, the sender is banned, and an honest announcement
// still gets through.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { Message } from '@libp2p/gossipsub'
import { createNode, type WildgrassNode } from '../../src/net/node.ts'
import { decodeAnnouncement, encodeAnnouncement } from '../../src/net/peer-announcer.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { TOPIC_DISCOVERY } from '../../src/net/topics.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'

const ATTACKER = fileURLToPath(new URL('../support/relay-attacker.ts', import.meta.url))
const nodes: WildgrassNode[] = []

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => Promise.resolve(n.stop()).catch(() => {})))
  await cleanupRelays()
})

function attack(addr: string, count: number): Promise<{ peer: string; sent: number; bytes: number }> {
  const child = spawn(process.execPath, [ATTACKER, addr, String(count), 'discovery'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (d: string) => (out += d))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as { peer: string; sent: number; bytes: number }) : reject(new Error(`attacker exited ${code}`)),
    )
  })
}

/** A plain node on the relay that takes everything on the discovery topic (no validator of its own). */
async function startListener(addr: string): Promise<{ node: WildgrassNode; bytes: () => number; announced: () => string[] }> {
  const node = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  nodes.push(node)
  let bytes = 0
  const announced: string[] = []
  node.services.pubsub.addEventListener('message', (evt: CustomEvent<Message>) => {
    if (evt.detail.topic !== TOPIC_DISCOVERY) return
    bytes += evt.detail.data.length
    const peer = decodeAnnouncement(evt.detail.data)
    if (peer !== undefined) announced.push(peer.id.toString())
  })
  node.services.pubsub.subscribe(TOPIC_DISCOVERY)
  await node.dial(multiaddr(addr))
  return { node, bytes: () => bytes, announced: () => announced }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('relay: the peer-discovery topic under a flood', () => {
  it('oversized and malformed announcements are rejected at the relay, the sender banned, honest ones delivered', async () => {
    const relay = await startRelayProcess()
    const addr = relay.wsAddrs()[0]!
    const listener = await startListener(addr)
    await waitUntil(() => listener.node.services.pubsub.getSubscribers(TOPIC_DISCOVERY).length > 0, 10_000)

    const report = await attack(addr, 60)
    // an honest peer announces itself after the flood
    const honest = await startListener(addr)
    await waitUntil(() => honest.node.services.pubsub.getSubscribers(TOPIC_DISCOVERY).length > 0, 10_000)
    const key = honest.node.peerId.publicKey!
    await honest.node.services.pubsub.publish(
      TOPIC_DISCOVERY,
      encodeAnnouncement(
        publicKeyToProtobuf(key),
        honest.node.getMultiaddrs().map((a) => a.bytes),
        1,
      ),
    )
    await waitUntil(() => listener.announced().includes(honest.node.peerId.toString()), 10_000)

    console.info(
      `discovery flood: ${report.sent} messages, ${(report.bytes / 2 ** 20).toFixed(1)} MiB sent; the listener received ${listener.bytes()} bytes on the topic`,
    )
    // only the honest announcement (well under 8 KiB) reached the listener
    expect(listener.bytes()).toBeLessThan(8 * 1024)
    const metrics = await relay.fetchText('/metrics')
    const rejected = Number(/wg_gossip_messages_validated_total\{topic="wg\/1\/peer-discovery",result="reject"\} (\d+)/.exec(metrics)?.[1] ?? 0)
    expect(rejected).toBeGreaterThan(0)
    expect(metrics).toMatch(/wg_gossip_messages_validated_total\{topic="wg\/1\/peer-discovery",result="accept"\} [1-9]/)
    expect(await readMetric(relay, 'wg_peers_banned_total')).toBe(1)
    expect(relay.stderr()).toContain(`peer ${report.peer} disconnected`)
  })
})
