// `npm run relay -- [--port N] [--host H] [--data DIR] [--peer MULTIADDR]... [--json]`
// Starts a relay (relay.ts), after building the app when the default dist/ is missing or older
// than its sources (app-build.ts). Logs go to stderr; with --json, stdout carries exactly one
// JSON line when ready: {"http": "...", "multiaddrs": [...], "invite": "..."}. Without --json
// it prints the app URL, the multiaddrs and an invite link for people. SIGTERM/SIGINT stop
// libp2p, close the database and exit 0; SIGHUP reloads --tls-cert/--tls-key. A bad setting
// (flags, certificate) exits 2 with the reason.
import { AppBuildError, ensureAppBuilt } from './app-build.ts'
import { ConfigError, parseRelayConfig, usage } from './config.ts'
import { startRelay, type RunningRelay } from './relay.ts'

const log = (message: string): void => {
  process.stderr.write(`${new Date().toISOString()} relay: ${message}\n`)
}

async function main(): Promise<number> {
  let config
  try {
    config = parseRelayConfig(process.argv.slice(2))
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`relay: ${err.message}\n\n${usage}\n`)
      return 2
    }
    throw err
  }
  if (config === undefined) {
    process.stdout.write(usage + '\n')
    return 0
  }
  if (config.buildApp) {
    try {
      ensureAppBuilt(config.appDir, log)
    } catch (err) {
      if (!(err instanceof AppBuildError)) throw err
      process.stderr.write(`relay: ${err.message}\n`)
      return 2
    }
  }

  const state: { relay?: RunningRelay } = {}
  let stopping: Promise<void> | undefined
  const shutdown = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting now`)
      process.exit(1)
    }
    log(`${signal}: shutting down`)
    const relay = state.relay
    // Still starting: main() stops the relay once startRelay returns (exiting now would
    // leave the half-started relay's listeners and database to the process exit).
    stopping =
      relay === undefined
        ? Promise.resolve()
        : relay.stop().then(() => {
            log('stopped')
            process.exit(0)
          })
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGHUP', () => {
    if (state.relay?.reloadCertificate() === false) log('SIGHUP: certificate unchanged')
  })

  let relay: RunningRelay
  try {
    relay = await startRelay(config, log)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`relay: ${err.message}\n`)
    return 2
  }
  state.relay = relay
  if (stopping) {
    // a signal arrived while starting: stop what started, then exit
    await relay.stop()
    log('stopped')
    return 0
  }
  const { http, multiaddrs, invite, peerId } = relay.info
  if (config.json) {
    process.stdout.write(JSON.stringify({ http, multiaddrs, invite }) + '\n')
    log(`ready: ${http} peer ${peerId}`)
  } else {
    process.stdout.write(
      [
        'Wildgrass relay is running.',
        '',
        `  Open the app:  ${http}`,
        `  Peer id:       ${peerId}`,
        '  Multiaddrs:',
        ...multiaddrs.map((a) => `    ${a}`),
        '',
        '  Invite link (share it; the payload stays in the fragment, no server sees it):',
        `    ${invite}`,
        '',
        `  Data: ${config.dataDir}    Health: ${http}healthz    Metrics: ${http}metrics`,
        '  Stop with Ctrl-C.',
        '',
      ].join('\n'),
    )
  }
  return -1 // keep running
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (err: unknown) => {
    log(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    process.exit(1)
  },
)
