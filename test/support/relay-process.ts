// Real relay processes for integration tests and benchmarks: `node src/relay/cli.ts --json`
// on loopback with port 0 and a temp data dir, its one JSON line read from stdout, and
// helpers to stop (SIGTERM), kill -9 and restart it on the same data dir. Every process
// started here is tracked, so a test's afterEach/afterAll can end them all even on failure.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fetchLoopback } from './tls.ts'

const CLI = fileURLToPath(new URL('../../src/relay/cli.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** What the relay prints with --json when it is ready. */
export interface RelayReady {
  http: string
  multiaddrs: string[]
  invite: string
}

export interface RelayProcessOptions {
  /** reuse a data dir (restart); default: a fresh temp dir */
  dataDir?: string
  /** fixed ports (a restart that peers should find at the same address); default 0 */
  port?: number
  wsPort?: number
  peers?: string[]
  /** extra flags, e.g. ['--max-events', '10'] */
  args?: string[]
  env?: Record<string, string>
  /** how long to wait for the JSON line */
  timeoutMs?: number
  /** the certificate (or CA) a relay with TLS is checked against by fetchText/fetchJson */
  ca?: string
}

export interface RelayProcess {
  readonly ready: RelayReady
  readonly dataDir: string
  readonly pid: number
  readonly child: ChildProcess
  /** everything the relay wrote on stderr so far (its log) */
  stderr(): string
  /** everything it wrote on stdout so far (with --json: exactly one line) */
  stdout(): string
  /** WebSocket multiaddrs on 127.0.0.1, each ending in /p2p/<id> */
  wsAddrs(): string[]
  /** secure WebSocket multiaddrs (`/dns4/<name>/tcp/P/tls/ws/p2p/<id>`) of a relay with TLS */
  wssAddrs(): string[]
  /** ports to restart on the same addresses */
  ports(): { port: number; wsPort: number }
  /** SIGTERM; resolves with the exit code */
  stop(): Promise<number | null>
  /** SIGKILL, no chance to clean up */
  kill9(): Promise<void>
  /** has it exited? */
  exited(): boolean
  /** CPU time (user + system) the process has used so far, in ms (Linux /proc) */
  cpuMs(): number
  fetchJson(path: string): Promise<unknown>
  fetchText(path: string): Promise<string>
}

const live = new Set<ChildProcess>()
const tempDirs = new Set<string>()

/** A fresh temp data dir, removed by cleanupRelays(). */
export function makeTempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wg-relay-'))
  tempDirs.add(dir)
  return dir
}

export async function startRelayProcess(options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? makeTempDataDir()
  // --no-build: a test relay serves the app it is given (--app) or none; building dist/ is app-build.ts's test
  const args = [
    CLI,
    '--json',
    '--no-build',
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port ?? 0),
    '--ws-port',
    String(options.wsPort ?? 0),
    '--data',
    dataDir,
  ]
  for (const p of options.peers ?? []) args.push('--peer', p)
  args.push(...(options.args ?? []))
  // process.execPath: the pinned Node 24 that runs the tests.
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } })
  live.add(child)
  let exitCode: number | null | undefined
  const exitPromise = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code
      live.delete(child)
      resolve(code)
    })
  })
  let err = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (d: string) => {
    err += d
    if (process.env.WG_RELAY_LOG === '1') process.stderr.write(`[relay ${child.pid}] ${d}`)
  })
  let out = ''
  child.stdout!.setEncoding('utf8')
  const ready = await new Promise<RelayReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay not ready within ${options.timeoutMs ?? 30_000} ms; stderr:\n${err}`)), options.timeoutMs ?? 30_000)
    child.stdout!.on('data', (d: string) => {
      out += d
      const nl = out.indexOf('\n')
      if (nl === -1) return
      clearTimeout(timer)
      try {
        resolve(JSON.parse(out.slice(0, nl)) as RelayReady)
      } catch (e) {
        reject(new Error(`relay printed something other than one JSON line: ${out.slice(0, nl)} (${String(e)})`))
      }
    })
    void exitPromise.then((code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited with ${code} before it was ready; stderr:\n${err}`))
    })
  }).catch((e: unknown) => {
    child.kill('SIGKILL')
    throw e
  })

  const fetchText = async (path: string): Promise<string> => {
    const url = new URL(path, ready.http)
    // a relay with TLS prints its https name, which resolves to loopback only in Chromium
    // (--host-resolver-rules): reach it on 127.0.0.1, checking its certificate against the test CA
    if (url.protocol === 'https:') return (await fetchLoopback(url, { ca: options.ca ?? '' })).body
    return (await fetch(url)).text()
  }
  const wsAddrs = () => ready.multiaddrs.filter((a) => a.startsWith('/ip4/127.0.0.1/') && a.includes('/ws/'))
  return {
    ready,
    dataDir,
    pid: child.pid!,
    child,
    stderr: () => err,
    stdout: () => out,
    wsAddrs,
    wssAddrs: () => ready.multiaddrs.filter((a) => a.includes('/tls/ws/')),
    ports() {
      const ws = wsAddrs()[0]
      const wsPort = Number(/\/tcp\/(\d+)\//.exec(ws ?? '')?.[1] ?? 0)
      return { port: Number(new URL(ready.http).port), wsPort }
    },
    async stop() {
      if (exitCode !== undefined) return exitCode
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const code = await exitPromise
      clearTimeout(timer)
      return code
    },
    async kill9() {
      if (exitCode !== undefined) return
      child.kill('SIGKILL')
      await exitPromise
    },
    exited: () => exitCode !== undefined,
    cpuMs: () => processCpuMs(child.pid!),
    async fetchJson(path) {
      return JSON.parse(await fetchText(path)) as unknown
    },
    fetchText,
  }
}

/** Kill every relay this module started (SIGKILL) and remove temp data dirs. For afterEach/afterAll. */
export async function cleanupRelays(): Promise<void> {
  const waits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      }),
  )
  await Promise.all(waits)
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

/** Read one gauge/counter value from a relay's /metrics. */
export async function readMetric(relay: RelayProcess, name: string): Promise<number | undefined> {
  const text = await relay.fetchText('/metrics')
  for (const line of text.split('\n')) {
    if (line.startsWith(name + ' ') || line.startsWith(name + '{')) return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return undefined
}

/** CPU time (utime + stime) of a process in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // the command name (field 2) may hold spaces: count fields after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}
