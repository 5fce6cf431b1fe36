// The device's peer key: persisted bytes round-trip to the same peer identity, and bytes that
// are not a key fail with a typed error.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { isWildgrassError } from '../../../src/core/index.ts'
import { deserializePeerKey, generatePeerKey, serializePeerKey } from '../../../src/net/peer-key.ts'

describe('peer key', () => {
  it('round-trips through its serialized bytes', async () => {
    const key = await generatePeerKey()
    const again = deserializePeerKey(serializePeerKey(key))
    expect(peerIdFromPrivateKey(again).toString()).toBe(peerIdFromPrivateKey(key).toString())
    expect(key.type).toBe('Ed25519')
  })
  it('rejects random bytes with E_BAD_KEY only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          deserializePeerKey(bytes)
        } catch (err) {
          expect(isWildgrassError(err, 'E_BAD_KEY')).toBe(true)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
