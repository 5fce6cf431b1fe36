// One path for every certificate the relay serves: libp2p's component event bus. libp2p's
// WebSocket listener starts secure WebSockets on its port at `certificate:provision` and
// swaps the certificate at `certificate:renew` (open connections keep theirs);
// @ipshipyard/libp2p-auto-tls dispatches the same events. Only services see that bus (libp2p
// re-dispatches its events to the node's own listeners, but not the other way round), so the
// certificates from the operator's files and from ACME enter through this service, and the
// relay's HTTPS server listens for both events on the node, whatever their source.
import type { Libp2pEvents, TLSCertificate, TypedEventTarget } from '@libp2p/interface'

export interface CertificateEvents {
  /** the first certificate: libp2p starts secure WebSockets on its WebSocket port */
  provision(certificate: TLSCertificate): void
  /** a renewed one: new connections get it, open ones keep theirs */
  renew(certificate: TLSCertificate): void
}

export function certificateEvents(): (components: { events: TypedEventTarget<Libp2pEvents> }) => CertificateEvents {
  return ({ events }) => ({
    provision: (certificate) => void events.safeDispatchEvent('certificate:provision', { detail: { ...certificate } }),
    renew: (certificate) => void events.safeDispatchEvent('certificate:renew', { detail: { ...certificate } }),
  })
}
