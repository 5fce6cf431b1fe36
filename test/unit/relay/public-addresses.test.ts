// public-addresses.ts: a relay confirms its own listen addresses on public interfaces (libp2p
// would wait for AutoNAT), and only those: private and loopback ones libp2p trusts already,
// and a public IP cannot be had on this machine's loopback, so the libp2p parts are stood in
// for by the two calls the service makes.
import { describe, expect, it } from 'vitest'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Libp2pEvents, TypedEventTarget } from '@libp2p/interface'
import { confirmPublicListenAddresses } from '../../../src/relay/public-addresses.ts'

describe('public listen addresses', () => {
  it('confirms public ones at start and whenever a transport listens again', () => {
    const bus = new EventTarget()
    const events = bus as unknown as TypedEventTarget<Libp2pEvents>
    let listening = ['/ip4/127.0.0.1/tcp/4002/ws', '/ip4/10.1.2.3/tcp/4002/ws', '/ip4/198.18.0.1/tcp/4002/ws', '/ip4/8.8.4.4/tcp/4002/ws']
    const confirmed: string[] = []
    const service = confirmPublicListenAddresses()({
      events,
      transportManager: { getAddrs: () => listening.map((a) => multiaddr(a)) },
      addressManager: { confirmObservedAddr: (ma: Multiaddr, options) => void confirmed.push(`${ma.toString()} ${options?.type}`) },
    })
    service.start()
    service.afterStart()
    expect(confirmed).toEqual(['/ip4/8.8.4.4/tcp/4002/ws transport'])
    listening = [...listening, '/ip6/2001:4860::8888/udp/4002/webrtc-direct']
    bus.dispatchEvent(new CustomEvent('transport:listening'))
    expect(confirmed.slice(1)).toEqual(['/ip4/8.8.4.4/tcp/4002/ws transport', '/ip6/2001:4860::8888/udp/4002/webrtc-direct transport'])
    service.stop()
    bus.dispatchEvent(new CustomEvent('transport:listening'))
    expect(confirmed).toHaveLength(3)
  })
})
