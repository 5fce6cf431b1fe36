// The meeting rule of protocol/reconcile.md §When: of two relays, exactly one starts sessions,
// and both compute which from the two peer ids alone.
import { describe, expect, it } from 'vitest'
import { generatePeerKey } from '../../../src/net/peer-key.ts'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { initiates } from '../../../src/relay/relay-reconcile.ts'

describe('who starts reconciliation', () => {
  it('exactly one of a pair, whichever side asks', async () => {
    for (let i = 0; i < 20; i++) {
      const [x, y] = await Promise.all([generatePeerKey(), generatePeerKey()])
      const [a, b] = [peerIdFromPrivateKey(x).toString(), peerIdFromPrivateKey(y).toString()]
      expect(initiates(a, b)).not.toBe(initiates(b, a))
    }
    expect(initiates('12D3KooWA', '12D3KooWB')).toBe(true)
  })
})
