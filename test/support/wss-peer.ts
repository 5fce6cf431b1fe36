// Drives wss-peer-main.ts: a libp2p peer process that trusts the given certificates.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MAIN = fileURLToPath(new URL('./wss-peer-main.ts', import.meta.url))

export interface WssPeer {
  /** the first line: { connected, remote } or { error } */
  readonly first: Record<string, unknown>
  /** pings over the connection it holds */
  ping(): Promise<{ pong?: number; connections?: Array<{ id: string; status: string }>; before?: string[]; opened?: number; error?: string }>
  stop(): Promise<void>
}

export async function startWssPeer(addr: string, trusted: readonly string[], dir: string, options: { loopbackSuffix?: string } = {}): Promise<WssPeer> {
  const bundle = join(dir, 'trusted.pem')
  writeFileSync(bundle, trusted.join('\n'))
  const child: ChildProcess = spawn(process.execPath, [MAIN, addr], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, WG_LOOPBACK_SUFFIX: options.loopbackSuffix ?? '' },
  })
  const lines: Array<Record<string, unknown>> = []
  const waiters: Array<(line: Record<string, unknown>) => void> = []
  let buffer = ''
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString()
    let nl
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>
      buffer = buffer.slice(nl + 1)
      const waiter = waiters.shift()
      if (waiter) waiter(line)
      else lines.push(line)
    }
  })
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const queued = lines.shift()
      if (queued) return resolve(queued)
      const timer = setTimeout(() => reject(new Error(`wss peer said nothing; stderr:\n${stderr}`)), 30_000)
      waiters.push((line) => {
        clearTimeout(timer)
        resolve(line)
      })
    })
  const first = await next()
  return {
    first,
    async ping() {
      child.stdin!.write('ping\n')
      return (await next()) as Awaited<ReturnType<WssPeer['ping']>>
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    },
  }
}
