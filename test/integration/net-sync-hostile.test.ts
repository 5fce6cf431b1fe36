// A hostile sync server: forged change envelopes and events, events nobody asked for, and an
// answer that never ends. The client keeps only what verifies and was asked for, counts the
// rest against the server, notes what the signed index names but was not served, and gives
// up on an endless answer with a typed error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { createEvent, generateSecretKey, isWildgrassError, signChange } from '../../src/core/index.ts'
import { frameStream } from '../../src/net/sync/framed-stream.ts'
import { SYNC_PROTOCOL } from '../../src/net/sync/limits.ts'
import { createTestAuthor } from '../support/net-memory-store.ts'
import { startTestPeer } from '../support/net-harness.ts'
import type { TestPeer } from '../support/net-harness.ts'

const flipLast = (b: Uint8Array): Uint8Array => {
  const c = new Uint8Array(b)
  c[c.length - 1]! ^= 1
  return c
}

describe('hostile sync server', () => {
  let server: TestPeer
  let client: TestPeer
  const alice = createTestAuthor()
  const good = [0, 1, 2].map((i) => createEvent(alice.secret, { kind: 'post', body: { text: `good ${i}` } }))
  const stranger = createEvent(generateSecretKey(), { kind: 'post', body: { text: 'not asked for' } })
  const change = signChange(alice.secret, dagCbor.encode({ seq: 0, ids: good.map((e) => e.id) })).bytes
  const forgedChange = flipLast(signChange(alice.secret, dagCbor.encode({ seq: 0, ids: [stranger.id] })).bytes)
  let endless = false

  beforeAll(async () => {
    server = await startTestPeer([], { privacy: 'relay-only', listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
    await server.net.stop() // replace the honest sync server with ours
    await server.node.handle(SYNC_PROTOCOL, async (stream) => {
      const framed = frameStream(stream)
      for (;;) {
        const req = await framed.readRequest().catch(() => undefined)
        if (req === undefined) break
        if (req.t === 'get-heads') await framed.write({ t: 'heads', heads: req.authors.map((author) => ({ author, heads: ['ab'.repeat(32)] })) })
        if (req.t === 'get-changes') await framed.write({ t: 'changes', author: req.author, envelopes: [forgedChange, change], done: true })
        if (req.t === 'get-events') {
          if (endless) {
            for (let i = 0; i < 10_000; i++) await framed.write({ t: 'events', events: [good[0]!.bytes], done: false })
          }
          // as many items as ids asked, but one forged, one not asked for, one withheld
          await framed.write({ t: 'events', events: [flipLast(good[0]!.bytes), stranger.bytes], done: false })
          await framed.write({ t: 'events', events: [good[2]!.bytes], done: true })
        }
      }
      await stream.close().catch(() => {})
    })
    client = await startTestPeer([], { privacy: 'relay-only', net: { recentPages: 0 } })
  })
  afterAll(async () => {
    await client?.stop()
    await server?.stop()
  })

  it('keeps only verified, requested items and counts the rest', async () => {
    const addr = server.node.getMultiaddrs()[0]!
    await client.node.dial(addr)
    const report = await client.net.syncWith(server.node.peerId, { authors: [alice.id], recent: false })
    expect(report.changes).toBe(1)
    expect(report.events).toBe(1)
    expect(report.rejected).toBe(3) // forged change, forged event, the stranger's event
    expect([...client.store.events.keys()]).toEqual([good[2]!.id])
    // the signed index names three; two were not served (one forged, one withheld)
    expect(client.net.missingCount(alice.id)).toBe(2)
  })

  it('gives up on an answer that never ends, with a typed error', async () => {
    endless = true
    const fresh = await startTestPeer([], { privacy: 'relay-only', net: { recentPages: 0 } })
    try {
      await fresh.node.dial(server.node.getMultiaddrs()[0]!)
      const err = await fresh.net.syncWith(server.node.peerId, { authors: [alice.id], recent: false }).catch((e: unknown) => e)
      expect(isWildgrassError(err, 'E_OVERSIZE')).toBe(true)
    } finally {
      await fresh.stop()
    }
  })
})
