// A malicious peer (its own process) floods the relay with invalid and oversized gossip.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { EventId } from '../../src/core/types.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
import { startTestPeer, stopTestPeers, waitForRelays } from '../support/relay-peers.ts'

const ATTACKER = fileURLToPath(new URL('../support/relay-attacker.ts', import.meta.url))

afterEach(async () => {
  await stopTestPeers()
  await cleanupRelays()
})

interface AttackReport {
  peer: string
  sent: number
  bytes: number
  connected: number
}

function attack(addr: string, count: number): { done: Promise<AttackReport>; kill(): void } {
  const child = spawn(process.execPath, [ATTACKER, addr, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (d: string) => (out += d))
  const done = new Promise<AttackReport>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AttackReport) : reject(new Error(`attacker exited ${code}`))))
  })
  return { done, kill: () => child.kill('SIGKILL') }
}

describe('relay under a flood', () => {
  it('a malicious peer flooding invalid and oversized messages: no crash, honest posts delivered, memory bounded', async () => {
    const relay = await startRelayProcess()
    const alice = await startTestPeer({ name: 'alice', relays: relay.wsAddrs() })
    const bob = await startTestPeer({ name: 'bob', relays: relay.wsAddrs() })
    await Promise.all([waitForRelays(alice, 1), waitForRelays(bob, 1)])
    await new Promise((r) => setTimeout(r, 1500))
    const rssBefore = (await readMetric(relay, 'process_resident_memory_bytes'))!

    const attacker = attack(relay.wsAddrs()[0]!, 20_000)
    try {
      // meanwhile, honest people keep talking
      const ids: EventId[] = []
      for (let i = 0; i < 20; i++) {
        ids.push((await alice.post(`正常的帖子 ${i}`)).id)
        await new Promise((r) => setTimeout(r, 200))
      }
      const report = await attacker.done
      await bob.waitFor(ids, 20_000)

      expect(relay.exited()).toBe(false)
      expect(await relay.fetchJson('/healthz')).toMatchObject({ ok: true })
      const metrics = await relay.fetchText('/metrics')
      const rejected = [...metrics.matchAll(/wg_gossip_messages_validated_total\{topic="[^"]+",result="reject"\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
      expect(rejected).toBeGreaterThan(0)
      // after a few invalid messages the attacker was disconnected and refused (peer-guard.ts)
      expect(await readMetric(relay, 'wg_peers_banned_total')).toBe(1)
      expect(relay.stderr()).toContain(`peer ${report.peer} disconnected`)
      // nothing of the flood reached the archive: only the honest 20 posts
      await new Promise((r) => setTimeout(r, 5500)) // archive figures are cached for 5 s
      expect(await readMetric(relay, 'wg_archive_events')).toBe(20)
      const rssAfter = (await readMetric(relay, 'process_resident_memory_bytes'))!
      console.info(
        `flood: ${report.sent} messages, ${(report.bytes / 2 ** 20).toFixed(0)} MiB; relay rejected ${rejected}; RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
      )
      // bounded: the relay keeps nothing of what it refuses; growth far below what was thrown at it
      expect(rssAfter - rssBefore).toBeLessThan(Math.min(report.bytes / 2, 150 * 2 ** 20))
    } finally {
      attacker.kill()
    }
  })
})
