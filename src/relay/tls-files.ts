// The operator's own certificate (`--tls-cert FILE --tls-key FILE`: certbot, a CDN origin
// certificate). Read at start; read again on reload() (SIGHUP: certbot's deploy hook runs
// `systemctl reload`) and every RELOAD_CHECK_MS, so a renewed certificate is served without a
// restart. A reload that finds the files unchanged does nothing; one that finds them broken
// (half written, key and certificate from different renewals) keeps the certificate in use
// and logs why, so a botched renewal never takes the relay down.
import { readFileSync } from 'node:fs'
import { CertificateError, inspectCertificate, type CertificateInfo, type TLSCertificate } from './tls-certificate.ts'

export const RELOAD_CHECK_MS = 3600_000

export interface CertificateFiles {
  /** the certificate in use (after start) */
  current(): { certificate: TLSCertificate; info: CertificateInfo }
  /** reads the files again; true if a new certificate was taken (and onRenew called) */
  reload(): boolean
  stop(): void
}

export interface CertificateFilesInit {
  readonly certPath: string
  readonly keyPath: string
  readonly onRenew: (certificate: TLSCertificate, info: CertificateInfo) => void
  readonly log: (message: string) => void
  readonly checkIntervalMs?: number
}

/** Reads and checks the files now; throws CertificateError naming the file when they are unusable. */
export function loadCertificateFiles(init: CertificateFilesInit): CertificateFiles {
  let inUse = read(init.certPath, init.keyPath)
  const reload = (): boolean => {
    let next
    try {
      next = read(init.certPath, init.keyPath)
    } catch (err) {
      init.log(`TLS certificate not reloaded, keeping the one in use: ${(err as Error).message}`)
      return false
    }
    if (next.certificate.cert === inUse.certificate.cert && next.certificate.key === inUse.certificate.key) return false
    inUse = next
    init.log(`TLS certificate reloaded from ${init.certPath} (sha256 ${next.info.fingerprint}, valid until ${new Date(next.info.notAfter).toISOString()})`)
    init.onRenew(next.certificate, next.info)
    return true
  }
  const timer = setInterval(reload, init.checkIntervalMs ?? RELOAD_CHECK_MS)
  timer.unref()
  return {
    current: () => inUse,
    reload,
    stop: () => clearInterval(timer),
  }
}

function read(certPath: string, keyPath: string): { certificate: TLSCertificate; info: CertificateInfo } {
  const cert = readText(certPath, '--tls-cert')
  const key = readText(keyPath, '--tls-key')
  const certificate = { cert, key }
  try {
    return { certificate, info: inspectCertificate(certificate) }
  } catch (err) {
    throw new CertificateError(`--tls-cert ${certPath} / --tls-key ${keyPath}: ${(err as Error).message}`, { cause: err })
  }
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new CertificateError(`${flag} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err })
  }
}
