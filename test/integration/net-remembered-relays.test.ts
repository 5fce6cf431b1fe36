// Relays reached in an earlier session come back to the next one as learned, never as chosen
// (src/app/wiring/vetted-relays.ts): relay-only mode dials only the person's relays, so a relay a
// stranger announced, once reached in direct mode, does not see a relay-only session later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestPeer, startTestRelay, waitFor } from '../support/net-harness.ts'
import type { TestRelay } from '../support/net-harness.ts'

describe('relays remembered from an earlier session', () => {
  let chosen: TestRelay, remembered: TestRelay

  beforeAll(async () => {
    chosen = await startTestRelay()
    remembered = await startTestRelay({ peers: [chosen.addr] })
  })
  afterAll(async () => {
    for (const r of [chosen, remembered]) await r?.stop()
  })

  it('are not dialled in relay-only mode, and are listed for the person to approve', async () => {
    const c = await startTestPeer([chosen.addr], { privacy: 'relay-only', net: { learnedRelays: [remembered.addr] } })
    try {
      await waitFor(() => c.net.status.get().relays.includes(chosen.node.peerId.toString()), 10_000, 'the chosen relay')
      // the pool checks every second: give it several chances to (wrongly) dial
      await new Promise((r) => setTimeout(r, 3_000))
      expect(c.node.getConnections(remembered.node.peerId)).toEqual([])
      expect(remembered.node.getConnections(c.node.peerId)).toEqual([])
      expect(c.net.learnedRelays().map((l) => l.addr)).toEqual([remembered.addr])
    } finally {
      await c.stop()
    }
  })

  it('are dialled in direct mode while fewer than two chosen relays answer', async () => {
    const d = await startTestPeer([chosen.addr], { privacy: 'direct', net: { learnedRelays: [remembered.addr] } })
    try {
      await waitFor(() => d.net.status.get().relays.length === 2, 10_000, 'the chosen relay and the remembered one')
      expect(d.net.status.get().relays).toContain(remembered.node.peerId.toString())
      // still learned: the person has not chosen it
      expect(d.net.learnedRelays().map((l) => l.addr)).toEqual([remembered.addr])
    } finally {
      await d.stop()
    }
  })
})
