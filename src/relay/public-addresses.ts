// A relay announces the addresses it listens on, public ones included. libp2p treats a public
// interface address as unverified until AutoNAT has peers dial it back, and leaves it out of
// identify, relay records and invites until then; a relay has no such peers to ask. It is a
// server whose operator opened its ports (src/relay/README.md, "Firewall"), so it confirms its
// own listen addresses on public interfaces. Private and loopback ones libp2p already trusts.
import { isNetworkAddress, isPrivate } from '@libp2p/utils'
import type { Libp2pEvents, TypedEventTarget } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

interface Components {
  events: TypedEventTarget<Libp2pEvents>
  transportManager: { getAddrs(): Multiaddr[] }
  addressManager: { confirmObservedAddr(addr: Multiaddr, options?: { type?: 'transport'; ttl?: number }): void }
}

export interface PublicListenAddresses {
  start(): void
  afterStart(): void
  stop(): void
}

export function confirmPublicListenAddresses(): (components: Components) => PublicListenAddresses {
  return (components) => {
    const confirm = (): void => {
      for (const ma of components.transportManager.getAddrs()) {
        if (isNetworkAddress(ma) && !isPrivate(ma)) components.addressManager.confirmObservedAddr(ma, { type: 'transport' })
      }
    }
    return {
      start: () => components.events.addEventListener('transport:listening', confirm),
      afterStart: confirm,
      stop: () => components.events.removeEventListener('transport:listening', confirm),
    }
  }
}
