// Signed relay records (protocol/relays.md): every vector, both verifier backends on the valid
// ones, libp2p's own parser on the peer ids, and properties.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import vectors from '../../../protocol/vectors/relay-records.json' with { type: 'json' }
import { fromHex, toHex } from '../../../src/core/bytes.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { generateSecretKey, getPublicKey, verifySignatureWith } from '../../../src/core/keys.ts'
import { createRelayRecord, decodeRelayRecord, openRelayRecord, MAX_RELAY_RECORD_BYTES } from '../../../src/core/relay-record.ts'

interface Case {
  description: string
  valid: boolean
  now: number
  bytesHex: string
  code?: string
  publicKeyHex?: string
  signedBytesHex?: string
  signatureHex?: string
  record?: { peer: string; addrs: string[]; ts: number }
}
const cases = vectors as Case[]
const PEER = cases[0]!.record!.peer
const NOW = cases[0]!.now

describe('relay record vectors', () => {
  it('cover at least 25 invalid cases', () => {
    expect(cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(25)
  })

  for (const v of cases) {
    it(`${v.valid ? 'valid' : v.code}: ${v.description}`, async () => {
      const bytes = fromHex(v.bytesHex)
      if (!v.valid) {
        await expect(openRelayRecord(bytes, { now: v.now })).rejects.toThrow(v.code)
        return
      }
      const r = await openRelayRecord(bytes, { now: v.now })
      expect({ peer: r.peer, addrs: r.addrs, ts: r.ts }).toEqual(v.record)
      expect(toHex(r.key)).toBe(v.publicKeyHex)
      expect(toHex(r.sig)).toBe(v.signatureHex)
      expect(toHex(r.bytes)).toBe(v.bytesHex)
      for (const backend of ['webcrypto', 'noble'] as const) {
        await verifySignatureWith(backend, fromHex(v.publicKeyHex!), fromHex(v.signedBytesHex!), fromHex(v.signatureHex!))
      }
      // what libp2p itself will do with the record
      expect(peerIdFromString(r.peer).toString()).toBe(r.peer)
      for (const a of r.addrs) expect(multiaddr(a).toString()).toBe(a)
    })
  }
})

describe('createRelayRecord', () => {
  it('creates records that open, and refuses what openRelayRecord would refuse', async () => {
    const secret = generateSecretKey()
    const r = createRelayRecord(secret, { peer: PEER, addrs: ['/ip4/127.0.0.1/tcp/9090/ws'] }, { now: NOW })
    expect(r.ts).toBe(NOW)
    expect(toHex(r.key)).toBe(toHex(getPublicKey(secret)))
    const opened = await openRelayRecord(r.bytes, { now: NOW })
    expect(opened).toEqual(r)
    expect(() => createRelayRecord(secret, { peer: PEER, addrs: [] }, { now: NOW })).toThrow('E_MALFORMED')
    expect(() => createRelayRecord(secret, { peer: 'nope', addrs: ['/ip4/127.0.0.1/tcp/1/ws'] }, { now: NOW })).toThrow('E_MALFORMED')
    expect(() => createRelayRecord(secret, { peer: PEER, addrs: ['/ip4/127.0.0.1/tcp/1/ws'], ts: NOW + 3_600_000 }, { now: NOW })).toThrow('E_TIMESTAMP_FUTURE')
  })

  it('maxAgeMs: Infinity accepts an old record that the default rejects as stale', async () => {
    const r = createRelayRecord(
      generateSecretKey(),
      { peer: PEER, addrs: ['/ip4/127.0.0.1/tcp/9090/ws'], ts: NOW - 30 * 86_400_000 },
      { now: NOW, maxAgeMs: Infinity },
    )
    await expect(openRelayRecord(r.bytes, { now: NOW })).rejects.toThrow('E_TIMESTAMP_PAST')
    await expect(openRelayRecord(r.bytes, { now: NOW, maxAgeMs: Infinity })).resolves.toEqual(r)
  })

  it('returned bytes are a copy: changing the input later changes nothing', async () => {
    const r = createRelayRecord(generateSecretKey(), { peer: PEER, addrs: ['/ip4/127.0.0.1/tcp/9090/ws'] }, { now: NOW })
    const input = r.bytes.slice()
    const opened = await openRelayRecord(input, { now: NOW })
    input.fill(0)
    await expect(openRelayRecord(opened.bytes, { now: NOW })).resolves.toBeTruthy()
  })
})

describe('relay record properties', () => {
  const secret = generateSecretKey()
  const good = createRelayRecord(secret, { peer: PEER, addrs: ['/ip4/127.0.0.1/tcp/9090/ws', `/ip4/127.0.0.1/tcp/9091/ws/p2p/${PEER}`] }, { now: NOW })

  it('any single-byte change to a record fails with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: good.bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const b = good.bytes.slice()
        b[i]! ^= x
        await expect(openRelayRecord(b, { now: NOW })).rejects.toSatisfy(isWildgrassError)
      }),
      { numRuns: 500, seed: 31 },
    )
  })

  it('random bytes only ever produce typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: MAX_RELAY_RECORD_BYTES + 10 }), (b) => {
        try {
          decodeRelayRecord(b, { now: NOW })
        } catch (e) {
          expect(isWildgrassError(e)).toBe(true)
        }
      }),
      { numRuns: 5000, seed: 32 },
    )
  })
})
