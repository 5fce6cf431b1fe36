// The relay's HTTP side: the built app, `/healthz`, Prometheus `/metrics`, `/relay.json` and `/blob/…`,
// over HTTPS once it has a certificate. libp2p's WebSocket transport runs its own server on its
// own port (it answers 400 to anything that is not a WebSocket upgrade and takes no existing
// server), so the app and the libp2p WebSocket listener are on two ports: config.port and
// config.wsPort. Like libp2p's listener, this port tells TLS from plain HTTP by the first byte
// of a connection: with a certificate, plain HTTP is redirected to https (a relay waiting for
// its auto-tls certificate serves plain HTTP until then); setCertificate() swaps the
// certificate for new connections, open ones keep theirs.
import { createServer as createHttp, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { createServer as createHttps, type Server as HttpsServer } from 'node:https'
import { once } from 'node:events'
import { createServer as createNet, type AddressInfo, type Server as NetServer, type Socket } from 'node:net'
import type { TLSCertificate } from './tls-certificate.ts'
import { contentSecurityPolicy, createStaticFiles } from './static-files.ts'
import { listenOn } from './listen.ts'
import { mayReadPrivate } from './private-endpoints.ts'
import type { BlobRoutes } from './blob-http.ts'

export interface HttpServerInit {
  readonly appDir: string
  readonly host: string
  readonly port: number
  /** body of /healthz */
  readonly health: () => Record<string, unknown>
  /** body of /metrics (text exposition format) */
  readonly metrics: () => string
  /** lets a client off loopback read /metrics and the full /healthz (private-endpoints.ts) */
  readonly metricsToken?: string
  /**
   * body of /relay.json: where this relay's libp2p listeners are, so that the app it serves
   * can connect without an invite link, and the did:key that signs its records and invites, so
   * that a newcomer opening the relay's own invite does not follow it as if it were a person
   * (src/app/wiring/start-app.ts, fetchServingRelay; protocol/relays.md)
   */
  readonly relayInfo?: () => { multiaddrs: readonly string[]; key?: string }
  /** `/blob/<sha256>`: image blobs (blob-http.ts, protocol/blobs.md) */
  readonly blobs?: BlobRoutes
  /** serve HTTPS from the start with this certificate (more can come through setCertificate) */
  readonly certificate?: TLSCertificate
}

export interface RelayHttpServer {
  start(): Promise<void>
  stop(): Promise<void>
  /** the bound port (after start) */
  readonly port: number
  /** serving HTTPS? */
  readonly secure: boolean
  /** HTTPS with this certificate for new connections from now on; open connections keep theirs */
  setCertificate(certificate: TLSCertificate): void
}

/** HSTS: once a browser has seen this relay over https it never tries plain http again (a censor on the path cannot strip TLS). */
const HSTS = 'max-age=31536000'

export function createHttpServer(init: HttpServerInit): RelayHttpServer {
  const files = createStaticFiles(init.appDir)
  let front: NetServer | undefined
  let https: HttpsServer | undefined
  const sockets = new Set<Socket>()

  function handle(req: IncomingMessage, res: ServerResponse, secure: boolean): void {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    if (secure) res.setHeader('Strict-Transport-Security', HSTS)
    const path = (req.url ?? '/').split('?')[0]!
    // blobs take PUT and OPTIONS too (blob-http.ts); everything else here is GET and HEAD only
    if (init.blobs?.handle(req, res, path) === true) return
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n')
      return
    }
    if (path === '/healthz') {
      const health = init.health()
      const body = mayReadPrivate(req, init.metricsToken) ? health : { ok: health.ok }
      sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify(body) + '\n')
      return
    }
    if (path === '/metrics') {
      if (mayReadPrivate(req, init.metricsToken)) sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', init.metrics())
      else sendText(res, 404, 'text/plain; charset=utf-8', 'not found\n')
      return
    }
    if (path === '/relay.json' && init.relayInfo) {
      sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify(init.relayInfo()) + '\n')
      return
    }
    res.setHeader('Content-Security-Policy', contentSecurityPolicy({ secure }))
    res.setHeader('X-Frame-Options', 'DENY')
    if (!files.serve(req, res)) sendText(res, 404, 'text/plain; charset=utf-8', 'not found\n')
  }

  const guarded = (secure: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!secure && https !== undefined) redirectToHttps(req, res)
      else handle(req, res, secure)
    } catch {
      if (!res.headersSent) sendText(res, 500, 'text/plain; charset=utf-8', 'internal error\n')
      else res.destroy()
    }
  }
  const limitTimes = <S extends HttpServer | HttpsServer>(s: S): S => {
    // slow or idle clients must not pin sockets forever
    s.requestTimeout = 30_000
    s.headersTimeout = 10_000
    s.keepAliveTimeout = 5_000
    return s
  }
  const http = limitTimes(createHttp(guarded(false)))
  const setCertificate = (certificate: TLSCertificate): void => {
    const options = { cert: certificate.cert, key: certificate.key }
    if (https === undefined) {
      https = limitTimes(createHttps(options, guarded(true)))
      https.on('tlsClientError', (_err, socket) => socket.destroy())
    } else {
      https.setSecureContext(options)
    }
  }
  if (init.certificate !== undefined) setCertificate(init.certificate)

  /** TLS records start with a byte below 32 (a handshake is 22); HTTP starts with a method name (httpolyglot's test). */
  async function route(socket: Socket): Promise<void> {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.setTimeout(10_000, () => socket.destroy()) // a connection that never says a byte
    let first = socket.read(1) as Buffer | null
    if (first === null) {
      await once(socket, 'readable')
      first = socket.read(1) as Buffer | null
    }
    socket.setTimeout(0)
    if (first === null) return void socket.destroy()
    const tls = first[0]! < 32 || first[0]! >= 127
    if (tls && https === undefined) return void socket.destroy()
    socket.unshift(first)
    ;(tls ? https! : http).emit('connection', socket)
  }

  return {
    get port() {
      return (front?.address() as AddressInfo | null)?.port ?? 0
    },
    get secure() {
      return https !== undefined
    },
    setCertificate,
    async start() {
      const s = createNet({ pauseOnConnect: true }, (socket) => {
        route(socket).catch(() => socket.destroy())
      })
      await listenOn(s, init.port, init.host)
      front = s
    },
    async stop() {
      const s = front
      if (s === undefined) return
      front = undefined
      const closed = new Promise<void>((resolve) => s.close(() => resolve()))
      http.closeAllConnections()
      https?.closeAllConnections()
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}

function redirectToHttps(req: IncomingMessage, res: ServerResponse): void {
  const host = req.headers.host
  if (host === undefined || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) {
    sendText(res, 400, 'text/plain; charset=utf-8', 'use https\n')
    return
  }
  // same host and port: this port speaks both, and the browser comes back with TLS
  res.writeHead(308, { Location: `https://${host}${req.url?.startsWith('/') ? req.url : '/'}`, 'Cache-Control': 'no-store' }).end()
}

function sendText(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}
