// A peer that sends well-formed catch-up sync requests as fast as it is allowed, as its own
// process (an attacker is another machine: it must not starve the honest peers' event loop in
// the test process). Usage:
//   node test/support/sync-attacker.ts <relay multiaddr> <requests> <per second> [kind] [streams] [peers]
// kind: 'changes' (default; get-changes for a fresh author each), 'heads' (get-heads naming 256
// fresh authors each), 'streams' (a new sync stream for every get-changes), 'polite' (get-changes,
// each sent after the answer to the one before: within the protocol's pipelining, only too many).
// Requests go out on `streams` sync streams (default 2: what a relay allows one peer) at
// `per second` over all of them, pipelined: sent whether or not the answers came (a write that
// the relay does not read blocks, as TCP does). `peers` (default 1): a Sybil, that many keys and
// connections sharing the requests and the rate, each within its own budget. Prints one JSON line
// {"peer", "sent", "answered", "failed", "ms", "connected"} and exits.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { encodeDidKey, generateSecretKey, getPublicKey } from '../../src/core/index.ts'
import type { AuthorId } from '../../src/core/index.ts'
import { createNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { frameStream } from '../../src/net/sync/framed-stream.ts'
import type { Request } from '../../src/net/sync/frames.ts'
import { SYNC_PROTOCOL } from '../../src/net/sync/limits.ts'

export type AttackKind = 'changes' | 'heads' | 'streams' | 'polite'

/** A did:key nobody has ever used: what a relay holds nothing for. */
export function freshAuthor(): AuthorId {
  return encodeDidKey(getPublicKey(generateSecretKey()))
}

export function hostileRequest(kind: AttackKind, pool: readonly AuthorId[], i: number): Request {
  if (kind === 'heads') return { t: 'get-heads', authors: Array.from({ length: 256 }, (_, j) => pool[(i * 256 + j) % pool.length]!) }
  return { t: 'get-changes', author: pool[i % pool.length]!, since: [] }
}

export interface SyncAttackReport {
  peer: string
  sent: number
  answered: number
  failed: number
  ms: number
  connected: number
}

/** Starts the attacker as a process of its own; `done` resolves with what it printed. */
export function runSyncAttacker(
  addr: string,
  count: number,
  perSecond: number,
  kind: AttackKind = 'changes',
  streams = 2,
  peers = 1,
): { done: Promise<SyncAttackReport>; kill(): void } {
  const file = fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, [file, addr, String(count), String(perSecond), kind, String(streams), String(peers)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (d: string) => (out += d))
  const done = new Promise<SyncAttackReport>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as SyncAttackReport) : reject(new Error(`sync attacker exited ${code}`))))
  })
  return { done, kill: () => child.kill('SIGKILL') }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [addr, countText, rateText, kindText, streamsText, peersText] = process.argv.slice(2)
  const count = Number(countText ?? 1000)
  const rate = Number(rateText ?? 1000)
  const kind = (kindText ?? 'changes') as AttackKind
  const streams = Number(streamsText ?? 2)
  const peers = Number(peersText ?? 1)
  // fresh authors, each asked for once (the pool is as large as the requests that name it)
  const pool = Array.from({ length: Math.min(kind === 'heads' ? count * 256 : count, 20_000) }, freshAuthor)
  // a Sybil: `peers` keys share the requests and the rate
  const reports = await Promise.all(
    Array.from({ length: peers }, (_, p) =>
      attack(addr!, Math.ceil(count / peers), rate / peers, kind, streams, pool.slice(p * Math.ceil(pool.length / peers))),
    ),
  )
  const sum = (f: (r: SyncAttackReport) => number): number => reports.reduce((n, r) => n + f(r), 0)
  const report: SyncAttackReport = {
    peer: reports.map((r) => r.peer).join(','),
    sent: sum((r) => r.sent),
    answered: sum((r) => r.answered),
    failed: sum((r) => r.failed),
    ms: Math.max(...reports.map((r) => r.ms)),
    connected: sum((r) => r.connected),
  }
  process.stdout.write(JSON.stringify(report) + '\n')
  process.exit(0)
}

/** One attacking peer (its own key and connection): `count` requests at `rate` per second. */
async function attack(addr: string, count: number, rate: number, kind: AttackKind, streams: number, pool: readonly AuthorId[]): Promise<SyncAttackReport> {
  const node = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  const ma = multiaddr(addr)
  await node.dial(ma)
  const relay = node.getConnections()[0]!.remotePeer
  let sent = 0
  let answered = 0
  let failed = 0
  const t0 = performance.now()
  // request i may leave at t0 + i / rate
  const pace = async (i: number): Promise<void> => {
    const wait = t0 + (i * 1000) / rate - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }
  let next = 0
  const take = (): number | undefined => (next < count ? next++ : undefined)
  // the whole attack lasts count / rate seconds; whatever the relay has not answered 5 s after
  // the last request went out is not waited for
  const deadline = t0 + (count * 1000) / rate + 5_000
  const left = (): number => Math.max(1, Math.ceil(deadline - performance.now()))
  const openStream = async (): Promise<ReturnType<typeof frameStream>> =>
    frameStream(await node.dialProtocol(relay, SYNC_PROTOCOL, { signal: AbortSignal.timeout(10_000) }))
  const comeBack = async (): Promise<void> => {
    if (node.getConnections(relay).length > 0) return
    // hung up on: try again once a second (a new connection, same key)
    await new Promise((r) => setTimeout(r, 1000))
    await node.dial(ma).catch(() => undefined)
  }
  /** requests go out at the pace whatever the answers do (pipelined); answers are read as they come */
  const pipelined = async (): Promise<void> => {
    while (next < count && performance.now() < deadline) {
      let framed: ReturnType<typeof frameStream>
      try {
        framed = await openStream()
      } catch (e) {
        if (process.env.WG_DEBUG) console.error(e)
        failed++
        await comeBack()
        continue
      }
      let outstanding = 0
      const reader = (async () => {
        for (;;) {
          await framed.readResponse(AbortSignal.timeout(left()))
          answered++
          outstanding--
        }
      })().catch(() => undefined)
      try {
        for (let i = take(); i !== undefined; i = take()) {
          await pace(i)
          if (performance.now() > deadline) break
          await framed.write(hostileRequest(kind, pool, i), AbortSignal.timeout(left()))
          sent++
          outstanding++
        }
        while (outstanding > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
        framed.abort(new Error('done'))
      } catch (e) {
        if (process.env.WG_DEBUG) console.error(e)
        failed++
        framed.abort(new Error('failed'))
        await comeBack()
      }
      await reader
    }
  }
  /** one request at a time per stream, each after its answer */
  const polite = async (): Promise<void> => {
    let framed: ReturnType<typeof frameStream> | undefined
    for (let i = take(); i !== undefined; i = take()) {
      await pace(i)
      if (performance.now() > deadline) break
      try {
        framed ??= await openStream()
        await framed.write(hostileRequest(kind, pool, i), AbortSignal.timeout(left()))
        sent++
        await framed.readResponse(AbortSignal.timeout(left()))
        answered++
      } catch {
        failed++
        framed?.abort(new Error('failed'))
        framed = undefined
        await comeBack()
      }
    }
    framed?.abort(new Error('done'))
  }
  /** a new stream for every request */
  const perRequest = async (): Promise<void> => {
    for (let i = take(); i !== undefined; i = take()) {
      await pace(i)
      try {
        const framed = await openStream()
        await framed.write(hostileRequest(kind, pool, i), AbortSignal.timeout(10_000))
        sent++
        await framed.readResponse(AbortSignal.timeout(10_000))
        answered++
        framed.abort(new Error('next'))
      } catch {
        failed++
        await comeBack()
      }
    }
  }
  const worker = kind === 'streams' ? perRequest : kind === 'polite' ? polite : pipelined
  await Promise.all(Array.from({ length: streams }, worker))
  const ms = performance.now() - t0
  const connected = node.getConnections().filter((c) => c.status === 'open').length
  const report = { peer: node.peerId.toString(), sent, answered, failed, ms: Math.round(ms), connected }
  await node.stop()
  return report
}
