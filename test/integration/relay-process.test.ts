// The relay as a process: what it prints, what it serves, how it stops.
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { parseInvite } from '../../src/core/invite.ts'
import { createNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'

afterAll(cleanupRelays)

describe('relay process', () => {
  it('prints exactly one JSON line when ready, with its URL, multiaddrs and a valid signed invite', async () => {
    const relay = await startRelayProcess()
    expect(relay.ready.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(relay.wsAddrs().length).toBeGreaterThan(0)
    expect(relay.ready.multiaddrs.some((a) => a.includes('/webrtc-direct/') && a.includes('/certhash/'))).toBe(true)
    const invite = await parseInvite(relay.ready.invite)
    expect(invite.relays.length).toBeGreaterThan(0)
    expect(invite.relays.every((a) => relay.ready.multiaddrs.includes(a))).toBe(true)
    expect(relay.ready.invite.startsWith(relay.ready.http + '#invite=')).toBe(true)
    // the app it serves learns the same relays from /relay.json, so no invite is needed to connect
    const served = (await relay.fetchJson('/relay.json')) as { multiaddrs: string[] }
    expect(served.multiaddrs).toEqual(invite.relays)
    expect(await relay.stop()).toBe(0)
    // nothing else on stdout, even through shutdown
    expect(relay.stdout()).toBe(JSON.stringify(relay.ready) + '\n')
  })

  it('answers /healthz and /metrics, keeps its keys 0600 and never logs them', async () => {
    const relay = await startRelayProcess({ env: { WILDGRASS_MAX_ARCHIVE_BYTES: String(5 * 1024 * 1024) } })
    const health = (await relay.fetchJson('/healthz')) as { ok: boolean; peers: number; uptime: number }
    expect(health).toMatchObject({ ok: true, peers: 0 })
    expect(typeof health.uptime).toBe('number')
    const metrics = await relay.fetchText('/metrics')
    for (const name of [
      'wg_connected_peers',
      'wg_archive_events',
      'wg_archive_authors',
      'wg_archive_bytes',
      'wg_sync_sessions_total',
      'process_resident_memory_bytes',
    ]) {
      expect(metrics, name).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\d`, 'm'))
    }
    expect(await readMetric(relay, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024)
    expect(await readMetric(relay, 'wg_archive_cap_bytes')).toBe(5 * 1024 * 1024)
    expect(await readMetric(relay, 'wg_archive_cap_refusals_total')).toBe(0)
    for (const f of ['peer-key', 'record-key', 'webrtc-direct-cert.json']) expect(statSync(join(relay.dataDir, f)).mode & 0o777).toBe(0o600)
    expect(await relay.stop()).toBe(0)
    const log = relay.stderr() + relay.stdout()
    for (const f of ['record-key', 'peer-key']) {
      const secret = readFileSync(join(relay.dataDir, f))
      expect(log).not.toContain(secret.toString('hex'))
      expect(log).not.toContain(secret.toString('base64'))
    }
    expect(log).not.toContain('PRIVATE KEY')
  })

  it('keeps its peer id, its WebSocket address on the same port, and its WebRTC-direct certhash across restarts', async () => {
    const a = await startRelayProcess()
    const id = a.wsAddrs()[0]!.split('/p2p/')[1]
    expect(await a.stop()).toBe(0)
    const b = await startRelayProcess({ dataDir: a.dataDir })
    expect(b.wsAddrs()[0]!.split('/p2p/')[1]).toBe(id)
    expect(await b.stop()).toBe(0)
    const c = await startRelayProcess({ dataDir: a.dataDir, ...a.ports() })
    expect(c.wsAddrs()).toEqual(a.wsAddrs())
    // (with --port 0 the first run's UDP port was random; a configured port keeps it too)
    const certhash = (addrs: string[]) => addrs.find((m) => m.includes('/webrtc-direct/'))!.split('/certhash/')[1]
    expect(certhash(c.ready.multiaddrs)).toBe(certhash(a.ready.multiaddrs))
    // the saved certificate really serves: a WebRTC-direct dial verifies the certhash
    const webrtc = c.ready.multiaddrs.find((m) => m.includes('/webrtc-direct/'))!
    const node = await createNode(
      { peerKey: await generatePeerKey() },
      { relays: [], privacy: 'relay-only', testing: { allowLoopback: true }, rtcConfiguration: { iceServers: [] } },
    )
    try {
      const conn = await node.dial(multiaddr(webrtc), { signal: AbortSignal.timeout(15_000) })
      expect(conn.remotePeer.toString()).toBe(id)
    } finally {
      await node.stop()
    }
    expect(await c.stop()).toBe(0)
  })

  it('listens on IPv6 with --host ::1: the app, WebSockets, an invite, and a peer connects', async () => {
    const relay = await startRelayProcess({ args: ['--host', '::1', '--no-webrtc-direct'] })
    expect(relay.ready.http).toMatch(/^http:\/\/\[::1\]:\d+\/$/)
    expect(await relay.fetchJson('/healthz')).toMatchObject({ ok: true })
    const ws = relay.ready.multiaddrs.filter((a) => a.startsWith('/ip6/::1/tcp/') && a.includes('/ws/'))
    expect(ws).toHaveLength(1)
    expect((await parseInvite(relay.ready.invite)).relays).toContain(ws[0])
    const node = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
    try {
      const conn = await node.dial(multiaddr(ws[0]!), { signal: AbortSignal.timeout(10_000) })
      expect(ws[0]).toContain(`/p2p/${conn.remotePeer.toString()}`)
    } finally {
      await node.stop()
    }
    expect(await relay.stop()).toBe(0)
  })

  it('exits 0 on SIGINT as on SIGTERM', async () => {
    const relay = await startRelayProcess()
    relay.child.kill('SIGINT')
    const code = await new Promise((r) => relay.child.once('exit', r))
    expect(code).toBe(0)
  })

  it('refuses bad flags with exit code 2 and a message naming the flag', () => {
    const cli = new URL('../../src/relay/cli.ts', import.meta.url).pathname
    const run = spawnSync(process.execPath, [cli, '--port', 'eighty'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('--port: not a whole number')
    expect(run.stdout).toBe('')
  })
})
