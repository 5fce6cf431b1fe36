// A feed-document change whose dependencies a client never saw (an earlier change of that
// author was missed) is refused by the real store; the client then fetches that author's
// missing changes from the peer that forwarded it, at once — even for an author it does not
// follow, whom the periodic sync would never ask about (protocol/sync.md §Flow).
import { afterAll, expect, it } from 'vitest'
import { encodeDidKey, generateSecretKey, getPublicKey } from '../../src/core/index.ts'
import { createNetwork } from '../../src/net/network.ts'
import { createNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { TOPIC_CHANGES } from '../../src/net/topics.ts'
import { createRelayNode } from '../../src/relay/relay-node.ts'
import { createStore } from '../../src/store/create-store.ts'
import { createMemoryStorage } from '../../src/store/memory-storage.ts'
import { startTestPeer, waitFor, waitForMesh } from '../support/net-harness.ts'

const stops: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const stop of stops.reverse()) await stop()
})

it("a client that missed an author's earlier change repairs the gap from the forwarding relay", async () => {
  // the relay archives everything with a real store
  const relayNode = await createRelayNode({
    peerKey: await generatePeerKey(),
    host: '127.0.0.1',
    port: 0,
    webrtcDirect: false,
    peers: [],
    testing: { allowLoopback: true },
  })
  const archive = createStore({ storage: createMemoryStorage() })
  await archive.start()
  const relayNet = createNetwork({ node: relayNode, source: archive, sink: archive }, { role: 'relay' })
  await relayNet.start()
  stops.push(async () => {
    await relayNet.stop()
    await relayNode.stop()
    await archive.close()
  })
  const relayAddr = relayNode
    .getMultiaddrs()
    .map(String)
    .find((a) => a.includes('/ws/'))!

  // Bea edits her profile (change 1, only the relay gets it), then follows someone (change 2)
  const bea = generateSecretKey()
  const beaId = encodeDidKey(getPublicKey(bea))
  const beaStore = createStore({ storage: createMemoryStorage(), secret: bea })
  await beaStore.start()
  stops.push(() => beaStore.close())
  const first = await beaStore.editProfile({ name: 'Bea' })
  const followed = encodeDidKey(getPublicKey(generateSecretKey()))
  const second = await beaStore.follow(followed)
  expect((await archive.ingestChanges(first.envelopes)).every((r) => r.ok)).toBe(true)

  // Alan follows nobody; he is online only when change 2 is gossiped
  const alanStore = createStore({ storage: createMemoryStorage(), secret: generateSecretKey() })
  await alanStore.start()
  const alanNode = await createNode({ peerKey: await generatePeerKey() }, { relays: [relayAddr], privacy: 'relay-only', testing: { allowLoopback: true } })
  const alanNet = createNetwork(
    { node: alanNode, source: alanStore, sink: alanStore },
    { role: 'client', relays: [relayAddr], privacy: 'relay-only', authors: () => [], syncIntervalMs: 0, recentPages: 0 },
  )
  await alanNet.start()
  stops.push(async () => {
    await alanNet.stop()
    await alanNode.stop()
    await alanStore.close()
  })

  const publisher = await startTestPeer([relayAddr], { privacy: 'relay-only' })
  stops.push(() => publisher.stop())
  await waitForMesh(alanNode, TOPIC_CHANGES)
  await waitForMesh(publisher.node, TOPIC_CHANGES)
  for (const envelope of second.envelopes) await publisher.net.publishChange(envelope)

  // change 2 alone cannot apply; after the repair Alan has both, in Bea's order
  await waitFor(async () => (await alanStore.getFollows(beaId)).includes(followed), 15_000, 'repaired feed document')
  expect((await alanStore.getProfile(beaId)).name).toBe('Bea')
  expect(await alanStore.getHeads(beaId)).toEqual(await beaStore.getHeads(beaId))
})
