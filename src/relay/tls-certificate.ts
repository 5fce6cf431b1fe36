// What the relay needs to know about a TLS certificate, whichever source it came from (the
// operator's files, ACME, libp2p auto-tls): that the key fits it, the DNS names it covers (a
// browser checks the host name, so invites must carry a name it covers), and when it expires.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import type { TLSCertificate } from '@libp2p/interface'

export type { TLSCertificate }

export class CertificateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CertificateError'
  }
}

export interface CertificateInfo {
  /** DNS names from the leaf's subjectAltName, wildcards included (`*.example.org`) */
  readonly names: readonly string[]
  readonly notBefore: number
  readonly notAfter: number
  /** SHA-256 of the leaf, colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it */
  readonly fingerprint: string
}

/** Checks a PEM chain and key belong together and reads the leaf; throws CertificateError. */
export function inspectCertificate(certificate: TLSCertificate): CertificateInfo {
  let leaf: X509Certificate
  try {
    leaf = new X509Certificate(certificate.cert)
  } catch (cause) {
    throw new CertificateError('not a PEM certificate', { cause })
  }
  let key
  try {
    key = createPrivateKey(certificate.key)
  } catch (cause) {
    throw new CertificateError('not a PEM private key', { cause })
  }
  if (!leaf.checkPrivateKey(key)) throw new CertificateError('the private key does not belong to the certificate')
  return {
    names: dnsNames(leaf),
    notBefore: Date.parse(leaf.validFrom),
    notAfter: Date.parse(leaf.validTo),
    fingerprint: leaf.fingerprint256,
  }
}

function dnsNames(leaf: X509Certificate): string[] {
  // Node prints the extension as `DNS:a.example, DNS:*.b.example, IP Address:1.2.3.4`; a name
  // with a comma or quote inside would be quoted, and is no host name anyway
  const text = leaf.subjectAltName ?? ''
  return text
    .split(/,\s*/)
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4).toLowerCase())
}

/** Does a certificate for `names` cover `host`? A wildcard covers exactly one leftmost label (RFC 6125 §6.4.3). */
export function certificateCovers(names: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '')
  return names.some((name) => {
    if (!name.startsWith('*.')) return name === h
    const dot = h.indexOf('.')
    return dot > 0 && h.slice(dot + 1) === name.slice(2)
  })
}

/** The first name a browser could be sent to: a DNS name that is no wildcard and has a dot. */
export function firstConcreteName(names: readonly string[]): string | undefined {
  return names.find((n) => !n.startsWith('*.') && n.includes('.'))
}
