// A Node libp2p peer in its own process, so it can trust a test certificate the way any Node
// program does (NODE_EXTRA_CA_CERTS, read at start: Node's WebSocket takes no CA option).
// `node wss-peer-main.ts <multiaddr>` dials the address and prints one JSON line per event on
// stdout; each line "ping" on stdin pings over the connection it holds and prints what it used.
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'

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
