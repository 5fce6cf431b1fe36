// The addresses a relay with TLS announces (identify, relay records, /relay.json, invites,
// circuit reservations). A browser checks the certificate against the host name it dialed,
// so a secure WebSocket address is only useful with a name the certificate covers:
// `/ip4/…/tcp/P/tls/ws` becomes `/dns4/<name>/tcp/P/tls/ws` (libp2p auto-tls names its
// addresses `/tls/sni/<name>/ws`; that name wins). Plain `/ws` addresses are not announced
// once TLS is on: a page served over https may not open them, and the browser build refuses
// them anyway. The listener still takes them (relays given with --peer may use them).
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'

export interface TlsNaming {
  /** the DNS name the certificate covers, if known (--acme-domain, --public-url, its subjectAltName) */
  readonly name: () => string | undefined
}

/** An `announceFilter` for libp2p's address manager. */
export function createTlsAnnounceFilter(naming: TlsNaming): (addrs: Multiaddr[]) => Multiaddr[] {
  return (addrs) => nameTlsAddresses(addrs, naming.name())
}

export function nameTlsAddresses(addrs: readonly Multiaddr[], name: string | undefined): Multiaddr[] {
  const secure = addrs.some(isSecureWebSocket)
  const out = new Map<string, Multiaddr>()
  for (const ma of addrs) {
    let result: Multiaddr | undefined = ma
    if (isSecureWebSocket(ma)) result = nameSecureWebSocket(ma, name)
    else if (secure && isPlainWebSocket(ma)) result = undefined
    if (result !== undefined) out.set(result.toString(), result)
  }
  return [...out.values()]
}

const IP = new Set(['ip4', 'ip6'])

function isSecureWebSocket(ma: Multiaddr): boolean {
  const names = ma.getComponents().map((c) => c.name)
  const tls = names.indexOf('tls')
  return tls === 2 && names[1] === 'tcp' && (names[3] === 'ws' || (names[3] === 'sni' && names[4] === 'ws'))
}

function isPlainWebSocket(ma: Multiaddr): boolean {
  const names = ma.getComponents().map((c) => c.name)
  return IP.has(names[0] ?? '') && names[1] === 'tcp' && names[2] === 'ws'
}

/** `/ip4/A/tcp/P/tls[/sni/N]/ws/…` → `/dns4/N/tcp/P/tls/ws/…`; undefined when no name is known. */
function nameSecureWebSocket(ma: Multiaddr, name: string | undefined): Multiaddr | undefined {
  const components = ma.getComponents()
  const [host, tcp] = components
  if (host === undefined || tcp === undefined) return undefined
  if (!IP.has(host.name)) return ma // already a name (--announce /dns4/…): the operator's word
  const sni = components[3]?.name === 'sni' ? components[3].value : undefined
  const chosen = sni ?? name
  if (chosen === undefined) return undefined
  const rest = components.slice(sni === undefined ? 4 : 5)
  const proto = host.name === 'ip6' ? 'dns6' : 'dns4'
  const named = multiaddr(`/${proto}/${chosen}/tcp/${tcp.value}/tls/ws`)
  return rest.length === 0 ? named : named.encapsulate(multiaddr(rest))
}
