// Debian's pebble (an ACME test server, RFC 8555) and pebble-challtestsrv (its mock DNS) on
// loopback, on ports picked at random, for testing the relay's ACME client offline. Pebble
// checks http-01 challenges for real: it resolves the name through the mock DNS (127.0.0.1 for
// every name) and fetches http://<name>:<httpPort>/.well-known/acme-challenge/… from the relay.
import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fetchLoopback, makeTestCertificate, type TestCertificate } from './tls.ts'

export interface Pebble {
  /** the ACME directory URL */
  readonly directory: string
  /** the port the relay must answer http-01 challenges on (--http-port) */
  readonly httpPort: number
  /** pebble's own TLS certificate: what its clients must trust (NODE_EXTRA_CA_CERTS) */
  readonly listenerCert: TestCertificate
  /** the root that signs the certificates pebble issues (new each run), from its management API */
  root(): Promise<string>
  stop(): Promise<void>
}

export async function freeTcpPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** Starts the mock DNS and pebble; certificates it issues are valid `validitySeconds`. */
export async function startPebble(options: { validitySeconds?: number } = {}): Promise<Pebble> {
  const listenerCert = makeTestCertificate(['localhost'])
  const [listen, management, httpPort, tlsPort, dns, dnsManagement] = [
    await freeTcpPort(),
    await freeTcpPort(),
    await freeTcpPort(),
    await freeTcpPort(),
    await freeUdpPort(),
    await freeTcpPort(),
  ]
  const config = join(listenerCert.dir, 'pebble-config.json')
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${listen}`,
        managementListenAddress: `127.0.0.1:${management}`,
        certificate: listenerCert.certPath,
        privateKey: listenerCert.keyPath,
        httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
        ...(options.validitySeconds === undefined ? {} : { certificateValidityPeriod: options.validitySeconds }),
      },
    }),
  )
  const children: ChildProcess[] = []
  const logs: string[] = []
  const run = (cmd: string, args: string[], env: Record<string, string> = {}) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    child.stdout!.on('data', (d: Buffer) => logs.push(d.toString()))
    child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()))
    children.push(child)
    return child
  }
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve()
            c.once('exit', () => resolve())
            c.kill('SIGKILL')
          }),
      ),
    )
    listenerCert.cleanup()
  }
  // every A query answers 127.0.0.1; no AAAA (the relay listens on IPv4 only); no challenge servers of its own
  run('pebble-challtestsrv', [
    '-dns01',
    `127.0.0.1:${dns}`,
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-management',
    `127.0.0.1:${dnsManagement}`,
    '-defaultIPv4',
    '127.0.0.1',
    '-defaultIPv6',
    '',
  ])
  run('pebble', ['-config', config, '-dnsserver', `127.0.0.1:${dns}`, '-strict=false'], { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' })
  const directory = `https://127.0.0.1:${listen}/dir`
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      if ((await fetchLoopback(directory, { ca: listenerCert.cert })).status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`pebble did not start:\n${logs.join('')}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    directory,
    httpPort,
    listenerCert,
    async root() {
      return (await fetchLoopback(`https://127.0.0.1:${management}/roots/0`, { ca: listenerCert.cert })).body
    },
    stop,
  }
}
