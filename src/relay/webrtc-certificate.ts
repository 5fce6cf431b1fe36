// Keep the WebRTC-direct certificate across restarts, so the relay's `/certhash/` address —
// in invites and relay records, and the only way a browser on an https page reaches a relay
// that has no domain or TLS certificate — stays valid when the relay restarts.
// libp2p generates the certificate at start (14-day lifespan) and keeps it only in memory
// unless given a datastore; we save what it made (file mode 0600: it holds the private key)
// and hand it back next time, until it is within RENEW_BEFORE_MS of expiring.
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Libp2p, Transport } from '@libp2p/interface'
import type { TransportCertificate } from '@libp2p/webrtc'
import { writeSecretFile } from './secret-file.ts'

export const CERTIFICATE_FILE = 'webrtc-direct-cert.json'
/** a saved certificate closer than this to its expiry is not reused: libp2p makes a new one */
export const RENEW_BEFORE_MS = 2 * 24 * 3600_000

export function loadWebRtcCertificate(dataDir: string, now = Date.now()): TransportCertificate | undefined {
  try {
    const saved = JSON.parse(readFileSync(join(dataDir, CERTIFICATE_FILE), 'utf8')) as Partial<TransportCertificate>
    if (typeof saved.privateKey !== 'string' || typeof saved.pem !== 'string' || typeof saved.certhash !== 'string') return undefined
    const expires = Date.parse(new X509Certificate(saved.pem).validTo)
    if (!(expires - now > RENEW_BEFORE_MS)) return undefined
    return { privateKey: saved.privateKey, pem: saved.pem, certhash: saved.certhash }
  } catch {
    return undefined // none yet, or unreadable: libp2p makes a new one
  }
}

/** Save the certificate the running node's WebRTC-direct transport uses, if it has one. */
export function saveWebRtcCertificate(dataDir: string, node: Libp2p): boolean {
  // The transport keeps its certificate as a property; libp2p exposes its transports through
  // its components (not part of the public interface, hence the narrow structural casts).
  const components = (node as unknown as { components?: { transportManager?: { getTransports(): Transport[] } } }).components
  const transport = components?.transportManager?.getTransports().find((t) => t[Symbol.toStringTag] === '@libp2p/webrtc-direct')
  const cert = (transport as unknown as { certificate?: TransportCertificate } | undefined)?.certificate
  if (cert === undefined || typeof cert.pem !== 'string') return false
  const path = join(dataDir, CERTIFICATE_FILE)
  const json = JSON.stringify({ privateKey: cert.privateKey, pem: cert.pem, certhash: cert.certhash })
  try {
    if (readFileSync(path, 'utf8') === json) return true
  } catch {
    // not saved yet
  }
  writeSecretFile(path, json, { replace: true })
  return true
}
