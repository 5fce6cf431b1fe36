// Privacy mode "relay only" (docs/architecture.md): no direct WebRTC dials or accepts, posts still flow.
// Positive control: two direct-mode peers behind the same relay do open a WebRTC connection
// in the same time, so the absence of one for relay-only peers means something.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvent, generateSecretKey } from '../../src/core/index.ts'
import type { SignedEvent } from '../../src/core/index.ts'
import { isWebRTCAddress } from '../../src/net/relay-pool.ts'
import { TOPIC_EVENTS } from '../../src/net/topics.ts'
import { startTestPeer, startTestRelay, waitFor, waitForMesh } from '../support/net-harness.ts'
import type { TestPeer, TestRelay } from '../support/net-harness.ts'

const webrtcConnections = (p: TestPeer): number => p.node.getConnections().filter((c) => isWebRTCAddress(c.remoteAddr)).length

describe('privacy mode relay-only', () => {
  let relay: TestRelay
  let direct1: TestPeer, direct2: TestPeer, private1: TestPeer, private2: TestPeer

  beforeAll(async () => {
    relay = await startTestRelay()
    const opts = { discoveryIntervalMs: 500 }
    direct1 = await startTestPeer([relay.addr], { ...opts, privacy: 'direct' })
    direct2 = await startTestPeer([relay.addr], { ...opts, privacy: 'direct' })
    private1 = await startTestPeer([relay.addr], { ...opts, privacy: 'relay-only' })
    private2 = await startTestPeer([relay.addr], { ...opts, privacy: 'relay-only' })
  })
  afterAll(async () => {
    for (const p of [direct1, direct2, private1, private2]) await p?.stop()
    await relay?.stop()
  })

  it('direct peers find each other and connect over WebRTC (control)', async () => {
    await waitFor(() => webrtcConnections(direct1) > 0 && webrtcConnections(direct2) > 0, 20_000, 'WebRTC between direct peers')
    expect(direct1.net.status.get().peers).toContain(direct2.node.peerId.toString())
  })

  it('relay-only peers have no WebRTC connection, no WebRTC address, and posts still flow', async () => {
    expect(private1.node.getMultiaddrs().filter(isWebRTCAddress)).toEqual([])
    for (const p of [private1, private2, direct1, direct2]) await waitForMesh(p.node, TOPIC_EVENTS)
    const seen = new Map<string, SignedEvent[]>()
    for (const [name, p] of Object.entries({ private2, direct1, direct2 })) {
      seen.set(name, [])
      p.net.onEvent((e) => seen.get(name)!.push(e))
    }
    const post = createEvent(generateSecretKey(), { kind: 'post', body: { text: '只经过中继' } })
    await private1.net.publishEvent(post.bytes)
    await waitFor(() => [...seen.values()].every((l) => l.some((e) => e.id === post.id)), 10_000, 'post from a relay-only peer')
    const back = createEvent(generateSecretKey(), { kind: 'post', body: { text: 'reply path' } })
    const got: SignedEvent[] = []
    private1.net.onEvent((e) => got.push(e))
    await direct1.net.publishEvent(back.bytes)
    await waitFor(() => got.some((e) => e.id === back.id), 10_000, 'post to a relay-only peer')
    // after several discovery rounds, still nothing direct
    await new Promise((r) => setTimeout(r, 1500))
    for (const p of [private1, private2]) {
      expect(webrtcConnections(p)).toBe(0)
      expect(p.node.getConnections().map((c) => c.remotePeer.toString())).toEqual([relay.node.peerId.toString()])
    }
    // and nobody can dial one directly: it has no WebRTC listener and no reservation
    await expect(direct1.node.dial(private1.node.peerId, { signal: AbortSignal.timeout(3000) })).rejects.toThrow()
    expect(webrtcConnections(private1)).toBe(0)
  })
})
