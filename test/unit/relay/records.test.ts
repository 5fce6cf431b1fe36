import { describe, expect, it } from 'vitest'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { generateSecretKey } from '../../../src/core/keys.ts'
import { createRelayRecord } from '../../../src/core/relay-record.ts'
import { relayRecordOpener } from '../../../src/relay/relay-records.ts'
import { selectInviteAddrs } from '../../../src/relay/relay.ts'

const PEER = '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'

describe('relay records on the relays topic', () => {
  it('opens a signed record into dialable multiaddrs ending in /p2p/<peer>', async () => {
    const record = createRelayRecord(generateSecretKey(), { peer: PEER, addrs: ['/ip4/10.0.0.1/tcp/8788/ws', `/dns4/relay.example/tcp/443/wss/p2p/${PEER}`] })
    expect(relayRecordOpener.maxBytes).toBeGreaterThanOrEqual(record.bytes.length)
    expect(await relayRecordOpener.open(record.bytes)).toEqual({
      multiaddrs: [`/ip4/10.0.0.1/tcp/8788/ws/p2p/${PEER}`, `/dns4/relay.example/tcp/443/wss/p2p/${PEER}`],
    })
  })

  it('refuses tampered and random bytes with typed errors', async () => {
    const record = createRelayRecord(generateSecretKey(), { peer: PEER, addrs: ['/ip4/10.0.0.1/tcp/8788/ws'] })
    const tampered = record.bytes.slice()
    tampered[Buffer.from(tampered).indexOf('10.0.0.1')] = '2'.charCodeAt(0)
    await expect(relayRecordOpener.open(tampered)).rejects.toSatisfy((e) => isWildgrassError(e, 'E_BAD_SIGNATURE'))
    for (let i = 0; i < 50; i++) {
      await expect(relayRecordOpener.open(crypto.getRandomValues(new Uint8Array(1 + i * 7)))).rejects.toSatisfy((e) => isWildgrassError(e))
    }
  })
})

describe('invite addresses', () => {
  it('puts WebSocket addresses first, then WebRTC-direct, keeps only /p2p ones, at most 8', () => {
    const ws = (n: number) => `/ip4/10.0.0.${n}/tcp/1/ws/p2p/${PEER}`
    const rtc = `/ip4/10.0.0.1/udp/1/webrtc-direct/certhash/uEiAx/p2p/${PEER}`
    expect(selectInviteAddrs([rtc, ws(1), '/ip4/10.0.0.9/tcp/1/ws', ws(2)])).toEqual([ws(1), ws(2), rtc])
    expect(selectInviteAddrs(Array.from({ length: 12 }, (_, i) => ws(i)))).toHaveLength(8)
    expect(selectInviteAddrs([`/dns4/${'x'.repeat(300)}/tcp/1/ws/p2p/${PEER}`])).toEqual([])
  })
})
