// The pure parts of the relay's TLS: which addresses it announces, which names a certificate
// covers, and the TLS flags.
import { describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { ConfigError, configuredTlsName, LETS_ENCRYPT_DIRECTORY, parseRelayConfig } from '../../../src/relay/config.ts'
import { nameTlsAddresses } from '../../../src/relay/tls-addresses.ts'
import { certificateCovers, firstConcreteName, inspectCertificate } from '../../../src/relay/tls-certificate.ts'
import { renewAt } from '../../../src/relay/tls-acme.ts'
import { makeTestCertificate } from '../../support/tls.ts'

const ID = '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'
const names = (addrs: string[], name: string | undefined) =>
  nameTlsAddresses(
    addrs.map((a) => multiaddr(a)),
    name,
  ).map(String)

describe('addresses a relay with TLS announces', () => {
  it('names secure WebSockets after the certificate, drops plain ws and nameless wss, keeps the rest', () => {
    const listen = [
      `/ip4/127.0.0.1/tcp/4002/ws/p2p/${ID}`,
      `/ip4/10.0.0.5/tcp/4002/ws/p2p/${ID}`,
      `/ip4/127.0.0.1/tcp/4002/tls/ws/p2p/${ID}`,
      `/ip4/10.0.0.5/tcp/4002/tls/ws/p2p/${ID}`,
      `/ip4/127.0.0.1/udp/4002/webrtc-direct/certhash/uEiAbc/p2p/${ID}`,
    ]
    expect(names(listen, 'relay.example.org')).toEqual([
      `/dns4/relay.example.org/tcp/4002/tls/ws/p2p/${ID}`,
      `/ip4/127.0.0.1/udp/4002/webrtc-direct/certhash/uEiAbc/p2p/${ID}`,
    ])
    expect(names(listen, undefined)).toEqual([`/ip4/127.0.0.1/udp/4002/webrtc-direct/certhash/uEiAbc/p2p/${ID}`])
    expect(names([`/ip6/::1/tcp/4002/tls/ws/p2p/${ID}`], 'relay.example.org')).toEqual([`/dns6/relay.example.org/tcp/4002/tls/ws/p2p/${ID}`])
  })

  it('takes the name auto-tls maps (/tls/sni/<name>/ws) and leaves named and plain-only address lists alone', () => {
    const sni = `/ip4/203.0.113.9/tcp/4002/tls/sni/203-0-113-9.k51qzi5uqu5dexample.libp2p.direct/ws/p2p/${ID}`
    expect(names([sni], undefined)).toEqual([`/dns4/203-0-113-9.k51qzi5uqu5dexample.libp2p.direct/tcp/4002/tls/ws/p2p/${ID}`])
    expect(names([`/dns4/relay.example.org/tcp/443/tls/ws/p2p/${ID}`], 'other.example')).toEqual([`/dns4/relay.example.org/tcp/443/tls/ws/p2p/${ID}`])
    // before a certificate (auto-tls waiting): plain WebSockets stay announced
    expect(names([`/ip4/127.0.0.1/tcp/4002/ws/p2p/${ID}`], undefined)).toEqual([`/ip4/127.0.0.1/tcp/4002/ws/p2p/${ID}`])
  })
})

describe('certificate names', () => {
  it('covers exact names and one label under a wildcard', () => {
    const covers = ['relay.example.org', '*.k51.libp2p.direct']
    expect(certificateCovers(covers, 'RELAY.example.org.')).toBe(true)
    expect(certificateCovers(covers, '1-2-3-4.k51.libp2p.direct')).toBe(true)
    expect(certificateCovers(covers, 'a.b.k51.libp2p.direct')).toBe(false)
    expect(certificateCovers(covers, 'k51.libp2p.direct')).toBe(false)
    expect(certificateCovers(covers, 'example.org')).toBe(false)
    expect(firstConcreteName(['*.example.org', 'localhost', 'relay.example.org'])).toBe('relay.example.org')
  })

  it('reads names and validity from a real certificate, and refuses a key that is not its own', () => {
    const a = makeTestCertificate(['relay.wildgrass.test', '*.wildgrass.test'])
    const b = makeTestCertificate()
    try {
      const info = inspectCertificate({ cert: a.cert, key: a.key })
      expect(info.names).toEqual(['relay.wildgrass.test', '*.wildgrass.test'])
      expect(info.fingerprint).toBe(a.fingerprint)
      expect(info.notAfter - info.notBefore).toBe(2 * 24 * 3600_000)
      expect(renewAt(info)).toBe(info.notAfter - (info.notAfter - info.notBefore) / 3)
      expect(() => inspectCertificate({ cert: a.cert, key: b.key })).toThrow(/does not belong/)
      expect(() => inspectCertificate({ cert: 'garbage', key: a.key })).toThrow(/not a PEM certificate/)
    } finally {
      a.cleanup()
      b.cleanup()
    }
  })
})

describe('TLS flags', () => {
  it('takes one certificate source, with its defaults', () => {
    const files = parseRelayConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}, '/srv')!
    expect(files.tls).toEqual({ source: 'files', certPath: '/srv/c.pem', keyPath: '/srv/k.pem' })
    expect(files.httpPort).toBeUndefined()
    const acme = parseRelayConfig(['--acme-domain', 'Relay.Example.org'], {})!
    expect(acme.tls).toEqual({ source: 'acme', domain: 'relay.example.org', email: undefined, directoryUrl: LETS_ENCRYPT_DIRECTORY })
    expect(acme.httpPort).toBe(80)
    expect(configuredTlsName(acme)).toBe('relay.example.org')
    const env = parseRelayConfig([], { WILDGRASS_ACME_DOMAIN: 'r.example.org', WILDGRASS_ACME_EMAIL: 'ops@example.org', WILDGRASS_HTTP_PORT: '8080' })!
    expect(env.tls).toMatchObject({ source: 'acme', email: 'ops@example.org' })
    expect(env.httpPort).toBe(8080)
    expect(parseRelayConfig(['--auto-tls'], {})!.tls).toEqual({ source: 'auto-tls' })
    expect(configuredTlsName(parseRelayConfig(['--tls-cert', 'c', '--tls-key', 'k', '--public-url', 'https://app.example.org/'], {})!)).toBe('app.example.org')
    expect(parseRelayConfig([], {})!.tls).toBeUndefined()
  })

  it('builds the app only for the default app directory, and not with --no-build', () => {
    expect(parseRelayConfig([], {})!.buildApp).toBe(true)
    expect(parseRelayConfig(['--no-build'], {})!.buildApp).toBe(false)
    expect(parseRelayConfig(['--app', 'x'], {})!.buildApp).toBe(false)
    expect(parseRelayConfig([], { WILDGRASS_APP: '/opt/app' })!.buildApp).toBe(false)
  })

  it('refuses contradictory or malformed TLS settings with a ConfigError naming the flag', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--tls-cert', 'c', '--acme-domain', 'a.example.org'], /one certificate source/],
      [['--auto-tls', '--acme-domain', 'a.example.org'], /one certificate source/],
      [['--tls-key', 'k'], /go together/],
      [['--acme-domain', '1.2.3.4'], /--acme-domain: not a DNS name/],
      [['--acme-domain', '*.example.org'], /--acme-domain: not a DNS name/],
      [['--acme-email', 'a@b.c'], /need --acme-domain/],
      [['--acme-domain', 'a.example.org', '--acme-email', 'nope'], /--acme-email/],
      [['--acme-domain', 'a.example.org', '--acme-directory', 'http://ca.example/dir'], /must be https/],
      [['--http-port', '80'], /--http-port redirects to https/],
      [['--acme-domain', 'a.example.org', '--port', '8080', '--http-port', '8080'], /--http-port must differ/],
      [['--auto-tls', '--announce', '/ip4/1.2.3.4/tcp/4001/ws'], /--auto-tls names the addresses/],
      [['--tls-cert', 'c', '--tls-key', 'k', '--public-url', 'http://a.example.org/'], /must be https/],
    ]
    for (const [argv, message] of bad) {
      expect(() => parseRelayConfig(argv, {}), argv.join(' ')).toThrow(ConfigError)
      expect(() => parseRelayConfig(argv, {}), argv.join(' ')).toThrow(message)
    }
  })
})
