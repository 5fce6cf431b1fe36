import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_PORT, parseRelayConfig } from '../../../src/relay/config.ts'

const PEER = '/ip4/127.0.0.1/tcp/9001/ws/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'

describe('relay config', () => {
  it('has defaults that need no flags', () => {
    const c = parseRelayConfig([], {}, '/srv')!
    expect(c.port).toBe(DEFAULT_PORT)
    expect(c.wsPort).toBe(DEFAULT_PORT + 1)
    expect(c.host).toBe('0.0.0.0')
    expect(c.dataDir).toBe('/srv/.data')
    expect(c.appDir).toBe('/srv/dist')
    expect(c.peers).toEqual([])
    expect(c.json).toBe(false)
    expect(c.webrtcDirect).toBe(true)
  })

  it('caps the whole archive at 2 GiB unless told otherwise (flag wins over environment)', () => {
    expect(parseRelayConfig([], {})!.quotas.maxArchiveBytes).toBe(2 * 1024 ** 3)
    const env = { WILDGRASS_MAX_ARCHIVE_BYTES: String(5 * 1024 ** 3) }
    expect(parseRelayConfig([], env)!.quotas.maxArchiveBytes).toBe(5 * 1024 ** 3)
    expect(parseRelayConfig(['--max-archive-bytes', '1048576'], env)!.quotas.maxArchiveBytes).toBe(1048576)
  })

  it('takes seeds (repeated --seed, or WILDGRASS_SEEDS) and refuses one that is not a did:key; established after 3 days unless told', () => {
    const seed = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
    expect(parseRelayConfig([], {})!.quotas).toMatchObject({ seeds: [], establishedAfterMs: 3 * 24 * 3600_000 })
    expect(parseRelayConfig(['--seed', seed, '--seed', seed, '--established-days', '0'], {})!.quotas).toMatchObject({
      seeds: [seed, seed],
      establishedAfterMs: 0,
    })
    expect(parseRelayConfig([], { WILDGRASS_SEEDS: ` ${seed} ,${seed}` })!.quotas.seeds).toEqual([seed, seed])
    expect(() => parseRelayConfig(['--seed', 'did:key:zNotAKey'], {})).toThrow(ConfigError)
  })

  it('reads flags, repeated --peer, and port 0 means any port for both listeners', () => {
    const c = parseRelayConfig(['--port', '0', '--host', '127.0.0.1', '--data', 'd', '--peer', PEER, '--peer', PEER, '--json'], {}, '/x')!
    expect(c).toMatchObject({ port: 0, wsPort: 0, host: '127.0.0.1', dataDir: '/x/d', json: true })
    expect(c.peers).toEqual([PEER, PEER])
  })

  it('falls back to environment variables, flags win', () => {
    const env = { WILDGRASS_PORT: '9000', WILDGRASS_HOST: '::1', WILDGRASS_DATA: '/data', WILDGRASS_PEERS: ` ${PEER} , ${PEER}` }
    const c = parseRelayConfig([], env)!
    expect(c).toMatchObject({ port: 9000, wsPort: 9001, host: '::1', dataDir: '/data' })
    expect(c.peers).toHaveLength(2)
    expect(parseRelayConfig(['--port', '7000'], env)!.port).toBe(7000)
  })

  it('refuses bad values with a clear ConfigError naming the flag', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--port', 'abc'], /--port: not a whole number/],
      [['--port', '70000'], /--port: 70000 is outside/],
      [['--port', '-1'], /--port/],
      [['--port', '5000', '--ws-port', '5000'], /--ws-port must differ/],
      [['--peer', 'not-a-multiaddr'], /--peer: not a multiaddr/],
      [['--peer', '/ip4/127.0.0.1/tcp/1/ws'], /has no \/p2p/],
      [['--host', 'a b'], /--host/],
      [['--bogus'], /bogus/],
      [['--max-events', '0'], /--max-events/],
      [['--max-archive-bytes', '1000'], /--max-archive-bytes: 1000 is outside/],
    ]
    for (const [argv, message] of bad) {
      expect(() => parseRelayConfig(argv, {}), argv.join(' ')).toThrow(ConfigError)
      expect(() => parseRelayConfig(argv, {}), argv.join(' ')).toThrow(message)
    }
    expect(() => parseRelayConfig([], { WILDGRASS_PORT: 'x' })).toThrow(/--port/)
  })

  it('keeps /metrics on loopback unless given a metrics token of 16+ printable characters', () => {
    expect(parseRelayConfig([], {})!.metricsToken).toBeUndefined()
    expect(parseRelayConfig(['--metrics-token', 'abcdefghijklmnop'], {})!.metricsToken).toBe('abcdefghijklmnop')
    expect(parseRelayConfig([], { WILDGRASS_METRICS_TOKEN: 'q'.repeat(20) })!.metricsToken).toBe('q'.repeat(20))
    expect(() => parseRelayConfig(['--metrics-token', 'short'], {})).toThrow(/--metrics-token/)
    expect(() => parseRelayConfig(['--metrics-token', 'has a space in it ok'], {})).toThrow(/--metrics-token/)
  })

  it('takes public addresses and a public URL for invites, refusing bad ones', () => {
    const c = parseRelayConfig(['--announce', '/dns4/relay.example/tcp/443/wss', '--public-url', 'https://relay.example/app'], {})!
    expect(c.announce).toEqual(['/dns4/relay.example/tcp/443/wss'])
    expect(c.publicUrl).toBe('https://relay.example/app/')
    expect(parseRelayConfig([], { WILDGRASS_ANNOUNCE: '/ip4/1.2.3.4/tcp/1/ws, /ip4/1.2.3.4/udp/1/webrtc-direct' })!.announce).toHaveLength(2)
    expect(parseRelayConfig([], {})!.publicUrl).toBeUndefined()
    expect(() => parseRelayConfig(['--announce', 'nope'], {})).toThrow(/--announce/)
    expect(() => parseRelayConfig(['--public-url', 'ftp://x'], {})).toThrow(/--public-url/)
    expect(() => parseRelayConfig(['--public-url', 'https://x/#a'], {})).toThrow(/fragment/)
  })

  it('returns undefined for --help', () => {
    expect(parseRelayConfig(['--help'], {})).toBeUndefined()
  })
})
