// One libp2p key per network session in relay-only mode (src/app/wiring/net-session.ts): the
// relays see a different peer id every session, so the id cannot link them.
import { describe, expect, it } from 'vitest'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generatePeerKey } from '../../../src/net/peer-key.ts'
import { choosePeerKey } from '../../../src/app/wiring/net-session.ts'

describe('the peer key of a session', () => {
  it('relay-only: a fresh key every session; direct: the saved one', async () => {
    const saved = await generatePeerKey()
    const id = (k: Awaited<ReturnType<typeof generatePeerKey>>) => peerIdFromPrivateKey(k).toString()
    const first = await choosePeerKey('relay-only', saved)
    const second = await choosePeerKey('relay-only', saved)
    expect(new Set([id(saved), id(first), id(second)]).size).toBe(3)
    expect(id(await choosePeerKey('direct', saved))).toBe(id(saved))
  })
})
