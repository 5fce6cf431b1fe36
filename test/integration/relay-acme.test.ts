// --acme-domain against Debian's pebble on loopback: the relay answers the http-01 challenge on
// its plain-HTTP port (pebble fetches it for real, after resolving the name through its mock
// DNS), serves the issued chain on its app port and its wss port, keeps it under --data (a
// restart asks the CA for nothing), and renews it without a restart while an open wss
// connection stays open. Pebble issues 45-second certificates here, so renewal (at a third of
// the lifetime left) comes after 30 s, the rule a 90-day certificate follows after 60 days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { get } from 'node:http'
import { cleanupRelays, makeTempDataDir, startRelayProcess, type RelayProcess } from '../support/relay-process.ts'
import { freeTcpPort, startPebble, type Pebble } from '../support/pebble.ts'
import { peerCertificate } from '../support/tls.ts'
import { startWssPeer, type WssPeer } from '../support/wss-peer.ts'

const NAME = 'relay.wildgrass.test'
const VALIDITY_S = 45
let pebble: Pebble
let peer: WssPeer | undefined
let dir: string

beforeAll(async () => {
  pebble = await startPebble({ validitySeconds: VALIDITY_S })
  dir = mkdtempSync(join(tmpdir(), 'wg-acme-'))
})

afterAll(async () => {
  await peer?.stop()
  await cleanupRelays()
  await pebble?.stop()
  rmSync(dir, { recursive: true, force: true })
})

function startAcmeRelay(dataDir: string): Promise<RelayProcess> {
  return startRelayProcess({
    dataDir,
    args: ['--acme-domain', NAME, '--acme-directory', pebble.directory, '--acme-email', 'ops@wildgrass.test', '--http-port', String(pebble.httpPort)],
    env: { NODE_EXTRA_CA_CERTS: pebble.listenerCert.certPath },
    timeoutMs: 60_000,
  })
}

const portsOf = (relay: RelayProcess) => ({
  app: Number(new URL(relay.ready.http).port),
  ws: Number(/\/tcp\/(\d+)\//.exec(relay.wssAddrs()[0]!)![1]),
})

describe('relay with ACME', () => {
  it('obtains a certificate through a real http-01 challenge, keeps it across a restart, and renews it without dropping connections', async () => {
    const dataDir = makeTempDataDir()
    let relay = await startAcmeRelay(dataDir)
    expect(relay.stderr()).toContain(`ACME: certificate for ${NAME} from ${pebble.directory}`)
    expect(relay.ready.http).toMatch(new RegExp(`^https://${NAME.replaceAll('.', '\\.')}:\\d+/$`))
    expect(relay.wssAddrs()[0]).toMatch(new RegExp(`^/dns4/${NAME}/tcp/\\d+/tls/ws/p2p/`))
    const root = await pebble.root()
    const saved = join(dataDir, 'acme', `${NAME}.json`)
    expect(existsSync(saved)).toBe(true)
    expect(statSync(saved).mode & 0o777).toBe(0o600)

    // the chain it serves verifies against pebble's root, for the name, on both ports
    let ports = portsOf(relay)
    const issued = await peerCertificate(ports.app, NAME, { ca: root })
    expect(issued.authorized, issued.authorizationError).toBe(true)
    const leaf = new X509Certificate(issued.pem)
    expect(leaf.subjectAltName).toBe(`DNS:${NAME}`)
    const lifetime = Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)
    expect(lifetime).toBeLessThanOrEqual((VALIDITY_S + 1) * 1000)
    expect((await peerCertificate(ports.ws, NAME, { ca: root })).fingerprint).toBe(issued.fingerprint)

    // a restart on the same data serves the saved certificate and asks the CA for nothing
    expect(await relay.stop()).toBe(0)
    relay = await startAcmeRelay(dataDir)
    expect(relay.stderr()).toContain(`ACME: using the saved certificate for ${NAME}`)
    expect(relay.stderr()).not.toContain('ACME: certificate for')
    ports = portsOf(relay)
    expect((await peerCertificate(ports.app, NAME, { ca: root })).fingerprint).toBe(issued.fingerprint)

    // a libp2p peer holds a wss connection (it trusts pebble's root and resolves the name to loopback)
    const id = /\/p2p\/(\w+)$/.exec(relay.wssAddrs()[0]!)![1]
    peer = await startWssPeer(`/dns4/${NAME}/tcp/${ports.ws}/tls/ws/p2p/${id}`, [root], dir, { loopbackSuffix: '.wildgrass.test' })
    expect(peer.first.connected, String(peer.first.error)).toBeTypeOf('string')

    // renewal, by the relay's own timer: a new certificate on both ports, same process
    const renewAt = Date.parse(leaf.validFrom) + lifetime * (2 / 3)
    await expect
      .poll(() => relay.stderr().split('ACME: certificate for').length - 1, { timeout: Math.max(10_000, renewAt - Date.now() + 20_000), interval: 500 })
      .toBe(1)
    const renewed = await peerCertificate(ports.app, NAME, { ca: root })
    expect(renewed.authorized, renewed.authorizationError).toBe(true)
    expect(renewed.fingerprint).not.toBe(issued.fingerprint)
    expect((await peerCertificate(ports.ws, NAME, { ca: root })).fingerprint).toBe(renewed.fingerprint)
    expect(relay.exited()).toBe(false)
    const pong = await peer.ping()
    expect(pong.error).toBeUndefined()
    expect(pong.opened).toBe(1)
    expect(pong.connections).toEqual([{ id: peer.first.connected, status: 'open' }])

    // the plain-HTTP port sends people to https
    const plain = await new Promise<{ status?: number; location?: string }>((resolve, reject) => {
      get({ host: '127.0.0.1', port: pebble.httpPort, path: '/feed?x=1', headers: { Host: NAME } }, (res) => {
        res.resume()
        resolve({ status: res.statusCode, location: res.headers.location })
      }).on('error', reject)
    })
    expect(plain).toEqual({ status: 308, location: `https://${NAME}:${ports.app}/feed?x=1` })
    expect(await relay.stop()).toBe(0) // frees pebble's challenge port for the next test
  })
  it("refuses to start, with the CA's reason, when the challenge cannot be answered where the CA looks", async () => {
    // the relay answers on another port than the one pebble fetches: the CA's check fails, so
    // this also shows the first test's challenge was really checked
    let elsewhere = await freeTcpPort()
    while (elsewhere === pebble.httpPort) elsewhere = await freeTcpPort()
    const error = await startRelayProcess({
      args: ['--acme-domain', 'other.wildgrass.test', '--acme-directory', pebble.directory, '--http-port', String(elsewhere)],
      env: { NODE_EXTRA_CA_CERTS: pebble.listenerCert.certPath },
      timeoutMs: 60_000,
    }).then(
      () => 'started',
      (err: Error) => err.message,
    )
    expect(error).toMatch(/exited with 2 before it was ready/)
    expect(error).toMatch(/ACME: no certificate for other\.wildgrass\.test from https:\/\/127\.0\.0\.1:\d+\/dir: .*([Cc]onnection refused)/)
  })
})
