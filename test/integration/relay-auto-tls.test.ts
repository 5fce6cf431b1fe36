// --auto-tls wiring, tested the way js-libp2p tests its WebSocket listener: the real
// @ipshipyard/libp2p-auto-tls service runs inside a real relay (with its keychain, its
// @libp2p/http client and a datastore under --data), and a `certificate:provision` event with a
// test certificate for `*.<peer id>.libp2p.direct` stands in for what the p2p-forge and Let's
// Encrypt would deliver (they cannot be reached from here, and auto-tls only asks for a public
// address, which loopback is not). Then: the app's port serves HTTPS with it, libp2p's
// WebSocket port serves wss with it, and the address auto-tls names (`/tls/sni/<name>/ws`,
// mapped from an IP the way its DomainMapper maps a public one) is announced as
// `/dns4/<name>/tcp/<port>/tls/ws` in /relay.json, where a peer dials it by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { base36 } from 'multiformats/bases/base36'
import { parseRelayConfig } from '../../src/relay/config.ts'
import { startRelay, type RunningRelay } from '../../src/relay/relay.ts'
import { fetchLoopback, makeTestCertificate, peerCertificate, type TestCertificate } from '../support/tls.ts'
import { startWssPeer, type WssPeer } from '../support/wss-peer.ts'

let dir: string
let relay: RunningRelay
let cert: TestCertificate
let peer: WssPeer | undefined
const logs: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wg-auto-tls-'))
  const config = parseRelayConfig(
    ['--auto-tls', '--host', '127.0.0.1', '--port', '0', '--ws-port', '0', '--data', join(dir, 'data'), '--app', join(dir, 'no-app')],
    {},
  )!
  relay = await startRelay(config, (m) => logs.push(m))
})

afterAll(async () => {
  await peer?.stop()
  await relay?.stop()
  cert?.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

const addrs = () => relay.node.getMultiaddrs().map(String)
const portOf = (addr: string) => Number(/\/tcp\/(\d+)\//.exec(addr)![1])

describe('relay with --auto-tls', () => {
  it('runs the auto-tls service with its keychain, http client and a datastore under --data, and waits for a certificate', async () => {
    const services = relay.node.services as Record<string, { [Symbol.toStringTag]?: string } | undefined>
    expect(services.autoTLS?.[Symbol.toStringTag]).toBe('@libp2p/auto-tls')
    expect(services.keychain?.[Symbol.toStringTag]).toBe('@libp2p/keychain')
    expect(services.http).toBeDefined()
    expect(existsSync(join(dir, 'data', 'auto-tls'))).toBe(true)
    // no certificate yet: plain WebSockets and plain HTTP, as a relay without TLS
    expect(relay.info.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(addrs().some((a) => a.includes('/tls/'))).toBe(false)
    expect(addrs().some((a) => a.includes('/tcp/') && a.includes('/ws/'))).toBe(true)
    expect((await fetch(new URL('/healthz', relay.info.http))).status).toBe(200)
  })

  it('serves https and wss with a provisioned certificate, announcing the address auto-tls names', async () => {
    const b36 = base36.encode(relay.node.peerId.toCID().bytes)
    const name = `127-0-0-1.${b36}.libp2p.direct`
    cert = makeTestCertificate([`*.${b36}.libp2p.direct`])
    const wsPort = portOf(addrs().find((a) => a.includes('/ws/'))!)
    const appPort = Number(new URL(relay.info.http).port)

    relay.node.services.certificates!.provision({ cert: cert.cert, key: cert.key })
    // both listeners present it, for the libp2p.direct name
    expect((await peerCertificate(wsPort, name)).fingerprint).toBe(cert.fingerprint)
    expect((await peerCertificate(appPort, name)).fingerprint).toBe(cert.fingerprint)
    expect((await fetchLoopback(`https://${name}:${appPort}/healthz`, { ca: cert.cert })).status).toBe(200)
    const plain = await fetch(`http://127.0.0.1:${appPort}/healthz`, { redirect: 'manual' })
    expect(plain.status).toBe(308)
    // loopback has no libp2p.direct name: a nameless wss address is useless to a browser, so
    // none is announced (and plain ws no longer either, once TLS is on)
    expect(addrs().some((a) => a.includes('/tls/ws/'))).toBe(false)
    expect(addrs().some((a) => /\/tcp\/\d+\/ws\//.test(a))).toBe(false)
    expect(logs.join('\n')).toContain('no address is named for it')

    // what auto-tls's DomainMapper does for a public IP (it maps `<a-b-c-d>.<peer>.libp2p.direct`
    // to it in libp2p's address manager), done here for 127.0.0.1
    const components = (relay.node as unknown as { components: { addressManager: { addDNSMapping(domain: string, ips: string[]): void } } }).components
    components.addressManager.addDNSMapping(name, ['127.0.0.1'])
    const expected = `/dns4/${name}/tcp/${wsPort}/tls/ws/p2p/${relay.node.peerId.toString()}`
    expect(addrs()).toContain(expected)
    const info = JSON.parse((await fetchLoopback(`https://${name}:${appPort}/relay.json`, { ca: cert.cert })).body) as { multiaddrs: string[] }
    expect(info.multiaddrs[0]).toBe(expected)

    // a peer dials it by name, checking the wildcard certificate
    peer = await startWssPeer(expected, [cert.cert], dir, { loopbackSuffix: '.libp2p.direct' })
    expect(peer.first.connected, String(peer.first.error)).toBeTypeOf('string')
    expect((await peer.ping()).error).toBeUndefined()
  })
})
