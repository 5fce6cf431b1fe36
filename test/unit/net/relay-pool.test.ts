// The relay pool's bound (src/net/relay-pool.ts): learned relays never take a chosen relay's
// place, and a flood of records cannot keep the person from adding one.
import { identify } from '@libp2p/identify'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { createRelayPool, MAX_KNOWN_RELAYS } from '../../../src/net/relay-pool.ts'

const stops: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})

const relayAddr = async (port: number): Promise<string> =>
  `/ip4/127.0.0.1/tcp/${port}/ws/p2p/${peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()}`

describe('relay pool bound', () => {
  it('70 learned records fill the pool, and the person can still add a relay; chosen relays are never listed as learned', async () => {
    const node = await createLibp2p({ services: { identify: identify() } })
    stops.push(() => node.stop())
    const chosen = await relayAddr(1000)
    const pool = createRelayPool(node, { relays: [chosen], privacy: 'relay-only' })
    const junk = await Promise.all(Array.from({ length: 70 }, (_, i) => relayAddr(2000 + i)))
    const kept = junk.map((a) => pool.learnRelay(a))
    expect(kept.filter(Boolean).length).toBe(MAX_KNOWN_RELAYS - 1)
    expect(pool.status().known).toBe(MAX_KNOWN_RELAYS)
    // a learned newcomer takes no untried relay's place...
    expect(pool.learnRelay(await relayAddr(3000))).toBe(false)
    // ...but the person's choice always gets one
    const honest = await relayAddr(4000)
    expect(pool.addRelay(honest)).toBe(true)
    expect(pool.status().known).toBe(MAX_KNOWN_RELAYS)
    const learned = pool.learned().map((l) => l.addr)
    expect(learned).not.toContain(chosen)
    expect(learned).not.toContain(honest)
    expect(learned.length).toBe(MAX_KNOWN_RELAYS - 2)
    // a learned relay the person approves is chosen from then on
    expect(pool.addRelay(learned[0]!)).toBe(true)
    expect(pool.learned().map((l) => l.addr)).not.toContain(learned[0])
  })
})
