// A relay whose ACME CA cannot be reached (firewall, DNS, a wrong --acme-directory) says so: the
// reason names the network error, not acme-client's own TypeError after its retries. A real
// closed port on loopback; acme-client's retry delays (5 s to 25 s, five times) are cut to none
// here, in this test process only.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as acme from 'acme-client'
import { startAcme } from '../../../src/relay/tls-acme.ts'
import { CertificateError } from '../../../src/relay/tls-certificate.ts'
import { freeTcpPort } from '../../support/pebble.ts'

type AcmeSettings = { retryMaxAttempts: number }
const settings = (acme.axios.defaults as unknown as { acmeSettings: AcmeSettings }).acmeSettings
const attempts = settings.retryMaxAttempts
let dir: string

beforeAll(() => {
  settings.retryMaxAttempts = 0
  dir = mkdtempSync(join(tmpdir(), 'wg-acme-unreachable-'))
})

afterAll(() => {
  settings.retryMaxAttempts = attempts
  rmSync(dir, { recursive: true, force: true })
})

it('refuses with the network error when the ACME directory cannot be reached', async () => {
  const directoryUrl = `https://127.0.0.1:${await freeTcpPort()}/dir`
  const failure = await startAcme({
    domain: 'relay.example.org',
    email: undefined,
    directoryUrl,
    dataDir: dir,
    answerChallenge: () => undefined,
    onRenew: () => undefined,
    log: () => undefined,
  }).then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(failure).toBeInstanceOf(CertificateError)
  expect((failure as Error).message).toBe(`ACME: no certificate for relay.example.org from ${directoryUrl}: cannot reach the ACME directory (ECONNREFUSED)`)
})
