// Who may read /metrics: live counters let an observer time a person's activity against the
// relay's traffic, so by default only the relay's own machine (a loopback peer) may, or anyone
// with the operator's token (--metrics-token, as `Authorization: Bearer <token>`). A request
// that came through a proxy (Forwarded / X-Forwarded-For) is not taken as local: a reverse
// proxy on the same host would otherwise make every visitor look like loopback.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export function isMetricsReader(req: IncomingMessage, token: string | undefined): boolean {
  if (token !== undefined) {
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '')
    const wanted = Buffer.from(token)
    if (given.length === wanted.length && timingSafeEqual(given, wanted)) return true
  }
  const proxied = req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined
  return !proxied && isLoopback(req.socket.remoteAddress)
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')
}
