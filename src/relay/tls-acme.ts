// `--acme-domain NAME`: the relay obtains and renews its certificate itself over ACME (RFC
// 8555) with acme-client, answering the http-01 challenge on its plain-HTTP port
// (plain-http.ts; port 80 in production). Kept under `<data>/acme/` (0600): the account key,
// and per domain the certificate chain with its key and the directory that issued it, so a
// restart serves the saved certificate at once and asks the CA for nothing.
// Renewal: when a third of the certificate's lifetime is left (60 of Let's Encrypt's 90
// days, 2 of its 6-day certificates), then again on failure, keeping the old certificate
// until the new one is in hand.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as acme from 'acme-client'
import { CertificateError, inspectCertificate, type CertificateInfo, type TLSCertificate } from './tls-certificate.ts'
import { writeSecretFile } from './secret-file.ts'

/** Renew when less than this share of the lifetime is left. */
export const RENEW_AT_REMAINING = 1 / 3
const MAX_TIMER_MS = 2 ** 31 - 1

export interface AcmeInit {
  readonly domain: string
  readonly email: string | undefined
  readonly directoryUrl: string
  readonly dataDir: string
  /** publish a key authorization for a challenge token (and withdraw it with undefined) */
  readonly answerChallenge: (token: string, keyAuthorization: string | undefined) => void
  readonly onRenew: (certificate: TLSCertificate, info: CertificateInfo) => void
  readonly log: (message: string) => void
}

export interface AcmeCertificates {
  current(): { certificate: TLSCertificate; info: CertificateInfo }
  stop(): void
}

interface Saved {
  readonly directory: string
  readonly cert: string
  readonly key: string
}

/** Loads the saved certificate or obtains one (throws when the CA refuses); then keeps it renewed. */
export async function startAcme(init: AcmeInit): Promise<AcmeCertificates> {
  const dir = join(init.dataDir, 'acme')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const savedPath = join(dir, `${init.domain}.json`)
  const accountKey = await loadOrCreateAccountKey(join(dir, 'account-key.pem'))
  const client = new acme.Client({ directoryUrl: init.directoryUrl, accountKey })

  const obtain = async (): Promise<{ certificate: TLSCertificate; info: CertificateInfo }> => {
    const [key, csr] = await acme.crypto.createCsr({ commonName: init.domain, altNames: [init.domain] }, await acme.crypto.createPrivateEcdsaKey('P-256'))
    const cert = await client.auto({
      csr,
      ...(init.email === undefined ? {} : { email: init.email }),
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      // acme-client would first fetch the challenge itself on port 80 of the name; the CA does
      // that anyway, and behind NAT or a port mapping our own request would fail where the CA's succeeds
      skipChallengeVerification: true,
      challengeCreateFn: async (_authz, challenge, keyAuthorization) => init.answerChallenge(challenge.token, keyAuthorization),
      challengeRemoveFn: async (_authz, challenge) => init.answerChallenge(challenge.token, undefined),
    })
    const certificate = { cert, key: key.toString() }
    const info = inspectCertificate(certificate)
    writeSecretFile(savedPath, JSON.stringify({ directory: init.directoryUrl, ...certificate } satisfies Saved), { replace: true })
    init.log(
      `ACME: certificate for ${init.domain} from ${init.directoryUrl} (sha256 ${info.fingerprint}, valid until ${new Date(info.notAfter).toISOString()})`,
    )
    return { certificate, info }
  }

  let inUse = loadSaved(savedPath, init.directoryUrl, init.domain)
  if (inUse === undefined || renewAt(inUse.info) <= Date.now()) {
    try {
      inUse = await obtain()
    } catch (err) {
      const reason = await describe(err, init.directoryUrl)
      if (inUse === undefined || inUse.info.notAfter <= Date.now())
        throw new CertificateError(`ACME: no certificate for ${init.domain} from ${init.directoryUrl}: ${reason}`, { cause: err })
      init.log(`ACME: renewal failed, serving the saved certificate meanwhile: ${reason}`)
    }
  } else {
    init.log(`ACME: using the saved certificate for ${init.domain} (valid until ${new Date(inUse.info.notAfter).toISOString()})`)
  }

  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const schedule = (at: number): void => {
    if (stopped) return
    timer = setTimeout(() => void tick(), Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())))
    timer.unref()
  }
  const tick = async (): Promise<void> => {
    const current = inUse!
    if (renewAt(current.info) > Date.now()) return schedule(renewAt(current.info)) // a long timer's slice
    try {
      const next = await obtain()
      if (stopped) return
      inUse = next
      init.onRenew(next.certificate, next.info)
      schedule(renewAt(next.info))
    } catch (err) {
      const retryIn = retryDelay(current.info)
      init.log(`ACME: renewal failed, retrying in ${Math.round(retryIn / 1000)} s: ${await describe(err, init.directoryUrl)}`)
      schedule(Date.now() + retryIn)
    }
  }
  schedule(renewAt(inUse.info))

  return {
    current: () => inUse!,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

export function renewAt(info: CertificateInfo): number {
  return info.notAfter - (info.notAfter - info.notBefore) * RENEW_AT_REMAINING
}

/** A tenth of what is left, between 5 s and an hour: quick for short certificates, gentle on the CA for long ones. */
function retryDelay(info: CertificateInfo): number {
  return Math.min(3600_000, Math.max(5_000, (info.notAfter - Date.now()) / 10))
}

function loadSaved(path: string, directory: string, domain: string): { certificate: TLSCertificate; info: CertificateInfo } | undefined {
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<Saved>
    if (saved.directory !== directory || typeof saved.cert !== 'string' || typeof saved.key !== 'string') return undefined
    const certificate = { cert: saved.cert, key: saved.key }
    const info = inspectCertificate(certificate)
    return info.names.includes(domain) ? { certificate, info } : undefined
  } catch {
    return undefined // none yet, or unreadable: obtain a new one
  }
}

async function loadOrCreateAccountKey(path: string): Promise<Buffer> {
  try {
    return readFileSync(path)
  } catch {
    const key = await acme.crypto.createPrivateEcdsaKey('P-256')
    writeSecretFile(path, key)
    return key
  }
}

/**
 * Why obtaining failed, in words an operator can act on. acme-client passes on the CA's problem
 * document (RFC 8555 §6.7) as the message. But when the CA cannot be reached at all (DNS,
 * firewall, a wrong --acme-directory), acme-client 5.4 retries and then fails on its own missing
 * response with a TypeError that has lost the network error; ask the directory once ourselves
 * to name it.
 */
async function describe(err: unknown, directoryUrl: string): Promise<string> {
  if (!(err instanceof Error)) return String(err)
  if (!(err instanceof TypeError)) return err.message
  try {
    const res = await fetch(directoryUrl, { signal: AbortSignal.timeout(10_000) })
    await res.body?.cancel()
    return res.ok ? err.message : `the ACME directory answers HTTP ${res.status}`
  } catch (probe) {
    const cause = (probe as { cause?: { code?: string; message?: string } }).cause
    return `cannot reach the ACME directory (${cause?.code ?? cause?.message ?? (probe as Error).message})`
  }
}
