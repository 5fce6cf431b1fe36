// Relays stay connected to the relays given with --peer: dial at start, redial
// with backoff when the connection drops, until the node stops.
import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const MIN_DELAY_MS = 500
const MAX_DELAY_MS = 30_000

export function startRelayPeering(node: Libp2p, peers: readonly Multiaddr[]): void {
  for (const addr of peers) keepConnected(node, addr)
}

function keepConnected(node: Libp2p, addr: Multiaddr): void {
  let delay = MIN_DELAY_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  const schedule = (ms: number): void => {
    if (node.status !== 'started') return
    timer = setTimeout(() => void attempt(), ms)
  }
  const attempt = async (): Promise<void> => {
    if (node.status !== 'started') return
    try {
      await node.dial(addr, { signal: AbortSignal.timeout(10_000) })
      delay = MIN_DELAY_MS
      schedule(5_000) // check again: the disconnect listener is the fast path
    } catch {
      delay = Math.min(delay * 2, MAX_DELAY_MS)
      schedule(delay)
    }
  }
  const peerId = addr.getComponents().findLast((c) => c.name === 'p2p')?.value
  node.addEventListener('peer:disconnect', (evt) => {
    if (evt.detail.toString() !== peerId) return
    clearTimeout(timer)
    schedule(MIN_DELAY_MS)
  })
  node.addEventListener('stop', () => clearTimeout(timer))
  void attempt()
}
