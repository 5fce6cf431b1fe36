// A Node libp2p peer in its own process, so it can trust a test certificate the way any Node
// program does (NODE_EXTRA_CA_CERTS, read at start: Node's WebSocket takes no CA option).
// `node wss-peer-main.ts <multiaddr>` dials the address and prints one JSON line per event on
// stdout; each line "ping" on stdin pings over the connection it holds and prints what it used.
import dns from 'node:dns'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'

// WG_LOOPBACK_SUFFIX=.wildgrass.test: names under it resolve to 127.0.0.1, as Chromium's
// --host-resolver-rules do for pages, so the certificate is checked against the name dialed
const suffix = process.env.WG_LOOPBACK_SUFFIX
if (suffix !== undefined && suffix !== '') {
  const lookup = dns.lookup
  dns.lookup = ((host: string, options: unknown, callback: unknown) => {
    if (!host.endsWith(suffix)) return (lookup as (...args: unknown[]) => void)(host, options, callback)
    const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true
    process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)))
  }) as typeof dns.lookup
}

const target = multiaddr(process.argv[2] ?? '')
const say = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n')
const node = await createLibp2p({
  transports: [webSockets()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionGater: { denyDialMultiaddr: () => false },
  services: { identify: identify(), ping: ping() },
})
let opened = 0
node.addEventListener('connection:open', () => opened++)
try {
  const connection = await node.dial(target, { signal: AbortSignal.timeout(15_000) })
  say({ connected: connection.id, remote: connection.remoteAddr.toString() })
} catch (err) {
  say({ error: String(err) })
  process.exit(1)
}
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'ping') continue
  const connections = node.getConnections()
  try {
    const ms = await node.services.ping.ping(target, { signal: AbortSignal.timeout(10_000) })
    say({ pong: ms, connections: node.getConnections().map((c) => ({ id: c.id, status: c.status })), before: connections.map((c) => c.id), opened })
  } catch (err) {
    say({ error: String(err), opened })
  }
}
await node.stop()
