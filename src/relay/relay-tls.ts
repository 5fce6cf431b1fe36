// TLS for the relay, whichever the source (config.tls): the first certificate before anything
// listens (files are read, ACME obtains or loads one), the name it covers, and the flow of
// renewals into libp2p's event bus (tls-events.ts), from which both libp2p's WebSocket
// listener and the app's HTTPS server take every certificate, auto-tls's included.
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Datastore } from 'interface-datastore'
import { ConfigError, configuredTlsName, type RelayConfig } from './config.ts'
import type { RelayHttpServer } from './http-server.ts'
import { createPlainHttpServer, type PlainHttpServer } from './plain-http.ts'
import type { RelayNode } from './relay-node.ts'
import { createTlsAnnounceFilter } from './tls-addresses.ts'
import { CertificateError, certificateCovers, firstConcreteName, inspectCertificate, type TLSCertificate } from './tls-certificate.ts'
import { loadCertificateFiles } from './tls-files.ts'

export interface RelayTls {
  /** the certificate to serve from the first connection on (files, ACME); auto-tls has none yet */
  readonly first: TLSCertificate | undefined
  /** the host name certificates cover: known up front for files and ACME; auto-tls's comes with its addresses */
  readonly name: string | undefined
  /** for createRelayNode */
  readonly node: {
    announceFilter: (addrs: Multiaddr[]) => Multiaddr[]
    autoTls?: { datastore: Datastore; services: Record<string, (components: object) => unknown> }
  }
  /** hands the first certificate to libp2p and every renewal after it; the HTTPS server follows the node's events */
  attach(node: RelayNode, http: RelayHttpServer): void
  /** reads the operator's files again (SIGHUP); false for other sources or unchanged files */
  reload(): boolean
  /** when the certificate in use expires (ms since the epoch); undefined before the first */
  notAfter(): number | undefined
  stop(): Promise<void>
}

type Log = (message: string) => void

export async function startRelayTls(config: RelayConfig, log: Log, httpsPort: () => number): Promise<RelayTls | undefined> {
  const tls = config.tls
  if (tls === undefined) return undefined
  const target: { node?: RelayNode } = {}
  const renew = (certificate: TLSCertificate) => target.node?.services.certificates?.renew(certificate)
  const plain = config.httpPort === undefined ? undefined : createPlainHttpServer({ host: config.host, port: config.httpPort, httpsPort })
  const stops: Array<() => Promise<void> | void> = []
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) await fn()
  }
  try {
    if (plain !== undefined) {
      await plain.start()
      stops.push(() => plain.stop())
      log(`plain HTTP on port ${plain.port}: ACME challenges and a redirect to https`)
    }
    // the ACME and auto-tls clients (axios, node-forge, undici, a keychain…) are loaded only by
    // relays that use them: half a second and tens of MB at start for everyone else
    if (tls.source === 'auto-tls') {
      const { autoTlsServices, createAutoTlsDatastore } = await import('./tls-auto.ts')
      const datastore = await createAutoTlsDatastore(config.dataDir)
      // the name is in the addresses auto-tls maps (/tls/sni/<name>/ws); none known up front
      return make(undefined, undefined, {
        announceFilter: createTlsAnnounceFilter({ name: () => undefined }),
        autoTls: { datastore, services: autoTlsServices() },
      })
    }
    if (tls.source === 'files') {
      const files = loadCertificateFiles({ certPath: tls.certPath, keyPath: tls.keyPath, onRenew: renew, log })
      stops.push(() => files.stop())
      const { certificate, info } = files.current()
      const name = checkName(configuredTlsName(config) ?? firstConcreteName(info.names), info.names)
      return make(certificate, name, { announceFilter: createTlsAnnounceFilter({ name: () => name }) }, () => files.reload())
    }
    const { startAcme } = await import('./tls-acme.ts')
    const acme = await startAcme({
      domain: tls.domain,
      email: tls.email,
      directoryUrl: tls.directoryUrl,
      dataDir: config.dataDir,
      answerChallenge: requirePlain(plain).answerChallenge,
      onRenew: renew,
      log,
    })
    stops.push(() => acme.stop())
    const name = tls.domain
    return make(acme.current().certificate, name, { announceFilter: createTlsAnnounceFilter({ name: () => name }) })
  } catch (err) {
    await stop()
    if (err instanceof CertificateError) throw new ConfigError(err.message)
    throw err
  }

  function make(first: TLSCertificate | undefined, name: string | undefined, node: RelayTls['node'], reload = () => false): RelayTls {
    let notAfter: number | undefined
    return {
      notAfter: () => notAfter,
      first,
      name,
      node,
      attach(relayNode, http) {
        target.node = relayNode
        const follow = (event: CustomEvent<TLSCertificate>) => {
          http.setCertificate(event.detail)
          try {
            notAfter = inspectCertificate(event.detail).notAfter
          } catch (err) {
            log(`TLS certificate from ${event.type} not readable: ${(err as Error).message}`)
          }
        }
        // libp2p re-dispatches to the node after its components (auto-tls's address mapping
        // included) have seen the event, so the addresses are named by now
        const announce = () => {
          const named = relayNode
            .getMultiaddrs()
            .map(String)
            .filter((a) => a.startsWith('/dns') && a.includes('/tls/ws/'))
          const host = named[0]?.split('/')[2]
          log(
            host !== undefined
              ? `TLS certificate provisioned: the app at https://${host}${http.port === 443 ? '' : `:${http.port}`}/, secure WebSockets at ${named.join(', ')}`
              : 'TLS certificate provisioned, but no address is named for it (auto-tls names public addresses only)',
          )
        }
        relayNode.addEventListener('certificate:provision', follow)
        relayNode.addEventListener('certificate:renew', follow)
        relayNode.addEventListener('certificate:provision', announce)
        stops.push(() => {
          relayNode.removeEventListener('certificate:provision', follow)
          relayNode.removeEventListener('certificate:renew', follow)
          relayNode.removeEventListener('certificate:provision', announce)
        })
        if (first !== undefined) relayNode.services.certificates?.provision(first)
      },
      reload,
      stop,
    }
  }
}

/** A browser validates the certificate by host name: refuse to start without one it covers. */
function checkName(name: string | undefined, names: readonly string[]): string {
  if (name === undefined) {
    throw new ConfigError(
      `the certificate names no host (subjectAltName: ${names.join(', ') || 'none'}): give --public-url https://<name>/ with a name it covers`,
    )
  }
  if (!certificateCovers(names, name)) throw new ConfigError(`the certificate does not cover ${name} (it covers ${names.join(', ') || 'no DNS name'})`)
  return name
}

function requirePlain(plain: PlainHttpServer | undefined): PlainHttpServer {
  if (plain === undefined) throw new ConfigError('--acme-domain answers the http-01 challenge on --http-port')
  return plain
}
