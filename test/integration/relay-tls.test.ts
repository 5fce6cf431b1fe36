// A relay with the operator's own certificate (--tls-cert/--tls-key), as real processes on
// loopback: the app, /healthz and /relay.json over HTTPS, libp2p over secure WebSockets,
// addresses named after the certificate's host, a renewed certificate taken on SIGHUP without
// dropping an open connection, and clear refusals of certificates a browser could not use.
import { afterAll, describe, expect, it } from 'vitest'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { decodeInvite, inviteBytesOf } from '../../src/core/invite.ts'
import { cleanupRelays, makeTempDataDir, readMetric, startRelayProcess } from '../support/relay-process.ts'
import { fetchLoopback, makeTestCertificate, peerCertificate, TEST_HOST, type TestCertificate } from '../support/tls.ts'
import { startWssPeer, type WssPeer } from '../support/wss-peer.ts'

const CLI = fileURLToPath(new URL('../../src/relay/cli.ts', import.meta.url))
const certs: TestCertificate[] = []
const dirs: string[] = []
let peer: WssPeer | undefined

afterAll(async () => {
  await peer?.stop()
  await cleanupRelays()
  for (const c of certs) c.cleanup()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function cert(names?: string[]): TestCertificate {
  const c = makeTestCertificate(names)
  certs.push(c)
  return c
}

/** Runs the CLI expecting it to refuse to start; returns its exit code and stderr. */
function refused(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [CLI, '--json', '--no-build', '--host', '127.0.0.1', '--port', '0', '--ws-port', '0', '--data', makeTempDataDir(), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

describe('relay with the operator certificate', () => {
  it('serves HTTPS and wss under the certificate name, and takes a renewed certificate on SIGHUP without dropping connections', async () => {
    const first = cert()
    const second = cert()
    const dir = mkdtempSync(join(tmpdir(), 'wg-tls-live-'))
    dirs.push(dir)
    const certPath = join(dir, 'fullchain.pem')
    const keyPath = join(dir, 'privkey.pem')
    copyFileSync(first.certPath, certPath)
    copyFileSync(first.keyPath, keyPath)
    const relay = await startRelayProcess({ args: ['--tls-cert', certPath, '--tls-key', keyPath], ca: first.cert + second.cert })

    // what it prints and announces: https, and only named secure WebSockets (plus WebRTC-direct)
    const port = Number(new URL(relay.ready.http).port)
    expect(relay.ready.http).toBe(`https://${TEST_HOST}:${port}/`)
    const wss = relay.wssAddrs()
    expect(wss).toHaveLength(1)
    expect(wss[0]).toMatch(new RegExp(`^/dns4/${TEST_HOST}/tcp/\\d+/tls/ws/p2p/12D3Koo`))
    expect(relay.ready.multiaddrs.filter((a) => /\/ws\//.test(a) && !a.includes('/tls/ws/'))).toEqual([])
    expect(relay.ready.multiaddrs.some((a) => a.includes('/webrtc-direct/certhash/'))).toBe(true)
    const invite = decodeInvite(inviteBytesOf(relay.ready.invite))
    expect(invite.relays[0]).toBe(wss[0])
    expect(relay.ready.invite.startsWith(`https://${TEST_HOST}:${port}/#`)).toBe(true)
    expect(await relay.fetchJson('/relay.json')).toMatchObject({ multiaddrs: [wss[0], expect.stringContaining('/webrtc-direct/')] })

    // HTTPS checked against the certificate's name; plain HTTP on that port is sent to https
    const health = await fetchLoopback(`https://${TEST_HOST}:${port}/healthz`, { ca: first.cert })
    expect(health.status).toBe(200)
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000')
    const plain = await fetch(`http://127.0.0.1:${port}/some/path?x=1`, { redirect: 'manual' })
    expect(plain.status).toBe(308)
    expect(plain.headers.get('location')).toBe(`https://127.0.0.1:${port}/some/path?x=1`)

    // a libp2p peer over wss (a process trusting both certificates, as the next one is the renewal)
    const wsPort = Number(/\/tcp\/(\d+)\//.exec(wss[0]!)![1])
    peer = await startWssPeer(`/ip4/127.0.0.1/tcp/${wsPort}/tls/ws/p2p/${/\/p2p\/(\w+)$/.exec(wss[0]!)![1]}`, [first.cert, second.cert], dir)
    expect(peer.first.connected, String(peer.first.error)).toBeTypeOf('string')
    expect((await peerCertificate(wsPort, TEST_HOST)).fingerprint).toBe(first.fingerprint)
    expect((await peerCertificate(port, TEST_HOST)).fingerprint).toBe(first.fingerprint)
    const expiry = (c: TestCertificate) => Math.floor(Date.parse(new X509Certificate(c.cert).validTo) / 1000)
    expect(await readMetric(relay, 'wg_tls_certificate_expiry_timestamp_seconds')).toBe(expiry(first))

    // renewal: new files, SIGHUP; new connections get the new certificate on both ports
    copyFileSync(second.certPath, certPath)
    copyFileSync(second.keyPath, keyPath)
    relay.child.kill('SIGHUP')
    await expect.poll(() => relay.stderr(), { timeout: 10_000 }).toContain('TLS certificate reloaded')
    expect((await peerCertificate(wsPort, TEST_HOST)).fingerprint).toBe(second.fingerprint)
    expect((await peerCertificate(port, TEST_HOST)).fingerprint).toBe(second.fingerprint)
    expect((await fetchLoopback(`https://${TEST_HOST}:${port}/healthz`, { ca: second.cert })).status).toBe(200)
    expect(await readMetric(relay, 'wg_tls_certificate_expiry_timestamp_seconds')).toBe(expiry(second))
    // ...and the connection opened before the renewal is the one still in use
    const pong = await peer.ping()
    expect(pong.error).toBeUndefined()
    expect(pong.opened).toBe(1)
    expect(pong.connections).toEqual([{ id: peer.first.connected, status: 'open' }])

    // a SIGHUP with unchanged files changes nothing; broken files keep the certificate in use
    relay.child.kill('SIGHUP')
    await expect.poll(() => relay.stderr(), { timeout: 10_000 }).toContain('SIGHUP: certificate unchanged')
    copyFileSync(first.keyPath, keyPath) // key of the old certificate, certificate of the new one
    relay.child.kill('SIGHUP')
    await expect.poll(() => relay.stderr(), { timeout: 10_000 }).toContain('keeping the one in use: --tls-cert')
    expect((await peerCertificate(port, TEST_HOST)).fingerprint).toBe(second.fingerprint)
    expect(await relay.stop()).toBe(0)
  })

  it('refuses certificates a browser could not use, saying why', async () => {
    const good = cert()
    const ipOnly = cert([])
    const other = cert()
    const cases: Array<[string[], RegExp]> = [
      [['--tls-cert', ipOnly.certPath, '--tls-key', ipOnly.keyPath], /names no host.*--public-url/],
      [['--tls-cert', good.certPath, '--tls-key', other.keyPath], /private key does not belong to the certificate/],
      [['--tls-cert', good.certPath, '--tls-key', good.keyPath, '--public-url', 'https://elsewhere.example/'], /does not cover elsewhere\.example/],
      [['--tls-cert', join(good.dir, 'missing.pem'), '--tls-key', good.keyPath], /--tls-cert .*missing\.pem: cannot read it \(ENOENT\)/],
      [['--tls-cert', good.certPath], /--tls-cert and --tls-key go together/],
    ]
    for (const [args, message] of cases) {
      const result = await refused(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(message)
    }
  })
})
