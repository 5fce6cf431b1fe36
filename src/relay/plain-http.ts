// The relay's plain-HTTP port when it serves HTTPS (`--http-port`, 80 in production): it
// answers ACME http-01 challenges (RFC 8555 §8.3) and sends everything else to the https
// address, so a person who types the bare name still lands on a secure context.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { listenOn } from './listen.ts'

const CHALLENGE = /^\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]{1,256})$/
const HOST = /^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]{2,45}\]$/

export interface PlainHttpServer {
  start(): Promise<void>
  stop(): Promise<void>
  readonly port: number
  /** publish (or, with undefined, withdraw) the answer to a challenge token */
  answerChallenge(token: string, keyAuthorization: string | undefined): void
}

export function createPlainHttpServer(init: { host: string; port: number; httpsPort: () => number }): PlainHttpServer {
  const answers = new Map<string, string>()
  let server: Server | undefined
  return {
    get port() {
      return (server?.address() as AddressInfo | null)?.port ?? 0
    },
    answerChallenge(token, keyAuthorization) {
      if (keyAuthorization === undefined) answers.delete(token)
      else answers.set(token, keyAuthorization)
    },
    async start() {
      const s = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/'
        const token = CHALLENGE.exec(path)?.[1]
        if (token !== undefined) {
          const answer = answers.get(token)
          res.writeHead(answer === undefined ? 404 : 200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' })
          res.end(answer ?? 'no such challenge\n')
          return
        }
        const hostname = hostOnly(req.headers.host)
        if (hostname === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
          res.writeHead(400, { 'Content-Type': 'text/plain' }).end('use https\n')
          return
        }
        const port = init.httpsPort()
        const url = `https://${hostname}${port === 443 ? '' : `:${port}`}${req.url?.startsWith('/') ? req.url : '/'}`
        res.writeHead(308, { Location: url, 'Cache-Control': 'no-store' }).end()
      })
      s.requestTimeout = 10_000
      s.headersTimeout = 5_000
      await listenOn(s, init.port, init.host)
      server = s
    },
    async stop() {
      const s = server
      server = undefined
      if (s === undefined) return
      await new Promise<void>((resolve) => {
        s.close(() => resolve())
        s.closeAllConnections()
      })
    },
  }
}

/** The Host header without its port, if it is a plausible host name or bracketed IPv6 address. */
function hostOnly(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const host = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!
  return HOST.test(host) ? host : undefined
}
