// TLS for tests on loopback: a certificate made with openssl for names that only exist here
// (wildgrass.test, mapped to 127.0.0.1), its SPKI hash for Chromium's
// --ignore-certificate-errors-spki-list (a trusted https origin without a CA: a secure
// context, service workers register), and HTTPS requests to 127.0.0.1 that check the
// certificate against that name.
import { execFileSync } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import type { LookupFunction } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { readTextResponse, type TextResponse } from './http-response.ts'

/** The name test pages and relays use: a secure context that is not localhost. */
export const TEST_HOST = 'wildgrass.test'

export interface TestCertificate {
  readonly dir: string
  readonly certPath: string
  readonly keyPath: string
  readonly cert: string
  readonly key: string
  /** base64 SHA-256 of the SubjectPublicKeyInfo, for --ignore-certificate-errors-spki-list */
  readonly spki: string
  readonly fingerprint: string
  cleanup(): void
}

/** A self-signed P-256 certificate for `names` (DNS) and 127.0.0.1, valid two days. */
export function makeTestCertificate(names: readonly string[] = [TEST_HOST, 'localhost'], options: { days?: number } = {}): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'wg-tls-'))
  const certPath = join(dir, 'cert.pem')
  const keyPath = join(dir, 'key.pem')
  const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      String(options.days ?? 2),
      // browsers check the subjectAltName only; a CN is at most 64 characters (a libp2p.direct name is longer)
      '-subj',
      `/CN=${(names[0] ?? TEST_HOST).length <= 64 ? (names[0] ?? TEST_HOST) : 'wildgrass test'}`,
      '-addext',
      `subjectAltName=${san}`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  )
  const cert = readFileSync(certPath, 'utf8')
  return {
    dir,
    certPath,
    keyPath,
    cert,
    key: readFileSync(keyPath, 'utf8'),
    spki: spkiHash(cert),
    fingerprint: new X509Certificate(cert).fingerprint256,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** base64(SHA-256(SubjectPublicKeyInfo DER)): what Chromium's SPKI allow list takes. */
export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('base64')
}

/** Chromium flags: trust these certificates (by SPKI) and resolve the test names to loopback. */
export function chromiumTlsArgs(spkis: readonly string[], hosts: readonly string[] = [TEST_HOST]): string[] {
  return [`--ignore-certificate-errors-spki-list=${spkis.join(',')}`, `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`]
}

/** Every name resolves to 127.0.0.1, so the TLS check still runs against the name in the URL. */
const loopback: LookupFunction = (_host, options, callback) => {
  if (options.all === true)
    (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }])
  else callback(null, '127.0.0.1', 4)
}

/** An HTTPS request to a test name on loopback, trusting only `ca`. */
export function fetchLoopback(url: URL | string, options: { ca: string; method?: string; headers?: Record<string, string> }): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: options.ca, lookup: loopback, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      readTextResponse(res).then(resolve, reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** The leaf certificate a TLS server on 127.0.0.1:port presents for `servername` (unchecked: the caller checks it). */
export function peerCertificate(
  port: number,
  servername: string,
  options: { ca?: string } = {},
): Promise<{ fingerprint: string; authorized: boolean; authorizationError?: string; pem: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false, ...(options.ca === undefined ? {} : { ca: options.ca }) }, () => {
      const cert = socket.getPeerX509Certificate()
      const result = {
        fingerprint: cert?.fingerprint256 ?? '',
        authorized: socket.authorized,
        ...(socket.authorizationError === null || socket.authorizationError === undefined ? {} : { authorizationError: String(socket.authorizationError) }),
        pem: cert?.toString() ?? '',
      }
      socket.end()
      resolve(result)
    })
    socket.on('error', reject)
  })
}
