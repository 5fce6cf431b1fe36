// The relay's HTTP side (node:http): the built app, `/healthz` and Prometheus `/metrics`.
// libp2p's WebSocket transport runs its own HTTP server on its own port (it answers 400 to
// anything that is not a WebSocket upgrade and takes no existing server), so the app and
// the libp2p WebSocket listener are on two ports: config.port and config.wsPort.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CONTENT_SECURITY_POLICY, createStaticFiles } from './static-files.ts'

export interface HttpServerInit {
  readonly appDir: string
  readonly host: string
  readonly port: number
  /** body of /healthz */
  readonly health: () => Record<string, unknown>
  /** body of /metrics (text exposition format) */
  readonly metrics: () => string
  /**
   * body of /relay.json: where this relay's libp2p listeners are, so that the app it serves
   * can connect without an invite link, and the did:key that signs its records and invites, so
   * that a newcomer opening the relay's own invite does not follow it as if it were a person
   * (src/app/wiring/start-app.ts, fetchServingRelay; protocol/relays.md)
   */
  readonly relayInfo?: () => { multiaddrs: readonly string[]; key?: string }
}

export interface RelayHttpServer {
  start(): Promise<void>
  stop(): Promise<void>
  /** the bound port (after start) */
  readonly port: number
}

export function createHttpServer(init: HttpServerInit): RelayHttpServer {
  const files = createStaticFiles(init.appDir)
  let server: Server | undefined

  function handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n')
      return
    }
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/healthz') {
      sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify(init.health()) + '\n')
      return
    }
    if (path === '/metrics') {
      sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', init.metrics())
      return
    }
    if (path === '/relay.json' && init.relayInfo) {
      sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify(init.relayInfo()) + '\n')
      return
    }
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    res.setHeader('X-Frame-Options', 'DENY')
    if (!files.serve(req, res)) sendText(res, 404, 'text/plain; charset=utf-8', 'not found\n')
  }

  return {
    get port() {
      return (server?.address() as AddressInfo | null)?.port ?? 0
    },
    async start() {
      const s = createServer((req, res) => {
        try {
          handle(req, res)
        } catch {
          if (!res.headersSent) sendText(res, 500, 'text/plain; charset=utf-8', 'internal error\n')
          else res.destroy()
        }
      })
      // Slow or idle clients must not pin sockets forever.
      s.requestTimeout = 30_000
      s.headersTimeout = 10_000
      s.keepAliveTimeout = 5_000
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject)
        s.listen(init.port, init.host, () => {
          s.off('error', reject)
          resolve()
        })
      })
      server = s
    },
    async stop() {
      const s = server
      if (s === undefined) return
      server = undefined
      await new Promise<void>((resolve) => {
        s.close(() => resolve())
        s.closeAllConnections()
      })
    },
  }
}

function sendText(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}
