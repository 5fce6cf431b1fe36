// Who may read /metrics and the full /healthz. Live counters (peers, gossip, sync) let anyone who
// polls them correlate a person's activity with what they see elsewhere, so by default only the
// machine itself (a Prometheus on loopback, an SSH tunnel) reads them; a scraper elsewhere sends
// `Authorization: Bearer <token>` with the operator's --metrics-token. Everyone else gets 404
// for /metrics and a bare {"ok":…} from /healthz, which is what a load balancer needs. A request
// that came through a proxy (Forwarded / X-Forwarded-For) is not local: a reverse proxy on the
// same host would otherwise make every visitor look like loopback.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return v4.startsWith('127.') || address === '::1'
}

/** May this request read the private endpoints? Loopback, or the operator's bearer token. */
export function mayReadPrivate(req: IncomingMessage, token: string | undefined): boolean {
  const proxied = req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined
  if (!proxied && isLoopbackAddress(req.socket.remoteAddress)) return true
  if (token === undefined || token === '') return false
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}
