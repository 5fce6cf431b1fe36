// Links with a one-way delay, for benchmarks on loopback: each link is a TCP proxy in front of
// a node's WebSocket port, and every chunk crossing it, in either direction, is written out
// `delayMs` after it arrived. The delay is a pipe, not a queue: chunks in flight overlap, as on
// a long link (@libp2p/memory's `latency` waits per buffer, one after another, which turns a
// burst of small frames into a sum of delays). No bandwidth limit. Same delay, same timer list:
// Node runs timers of one duration in the order they were set, so bytes keep their order.
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface DelayLink {
  /** the proxy's port on 127.0.0.1: dial /ip4/127.0.0.1/tcp/<port>/ws/p2p/<target's id> */
  readonly port: number
  readonly delayMs: number
  /** connections that came through */
  accepted(): number
  close(): Promise<void>
}

/** `target`: the port behind the link, or a lookup of it (undefined until the node listens: the connection is refused, the dialer retries) */
export async function openDelayLink(target: number | (() => number | undefined), delayMs: number): Promise<DelayLink> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const pipe = (from: Socket, to: Socket): void => {
    let lastAt = 0
    from.on('data', (chunk: Buffer) => {
      lastAt = Date.now() + delayMs
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk)
      }, delayMs)
    })
    // the end after the last delayed chunk, not before it
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastAt - Date.now()) + 1))
    from.on('error', () => to.destroy())
    from.on('close', () => {
      sockets.delete(from)
      setTimeout(() => to.destroy(), delayMs + 1)
    })
  }
  const server: Server = createServer((inbound) => {
    const targetPort = typeof target === 'number' ? target : target()
    if (targetPort === undefined) {
      inbound.destroy()
      return
    }
    accepted++
    const outbound = connect(targetPort, '127.0.0.1')
    for (const s of [inbound, outbound]) {
      s.setNoDelay(true)
      sockets.add(s)
    }
    pipe(inbound, outbound)
    pipe(outbound, inbound)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('delay link: no port')
  return {
    port: address.port,
    delayMs,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
