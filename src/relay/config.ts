// The relay's settings, from command-line flags with environment variables as fallback
// (`npm run relay -- --port 8787 --peer /ip4/…`; WILDGRASS_PORT=8787 …). Every bad value
// is refused with a ConfigError naming the flag, so an operator sees at once what is wrong.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { decodeDidKey } from '../core/did-key.ts'

export interface RelayQuotas {
  /** events stored per author; past it new events of that author are refused with E_QUOTA (archive.ts) */
  readonly maxEventsPerAuthor: number
  /** stored bytes (events + signed changes) per author; past it, E_QUOTA */
  readonly maxBytesPerAuthor: number
  /**
   * how far signed feed-document changes may go past maxBytesPerAuthor (default
   * CHANGE_HEADROOM_BYTES in archive.ts), so an author whose events filled the quota can still retract them
   */
  readonly changeHeadroomBytes?: number
  /** events older than this (by the author's timestamp) are pruned; 0 = keep forever */
  readonly retentionMs: number
  /**
   * bytes (events + signed changes, all authors) the whole archive keeps: past it new events of
   * anyone are refused with E_QUOTA (keys are free, so per-author quotas alone do not bound the
   * disk). Signed changes get ARCHIVE_CHANGE_HEADROOM past it so retractions still land (archive.ts).
   */
  readonly maxArchiveBytes: number
  /**
   * Standing (archive-standing.ts): authors without it get NEW_AUTHOR_MAX_EVENTS/BYTES at most,
   * and together this share of maxArchiveBytes (default NEW_AUTHOR_CAP_SHARE, 0.75; 1 = no reserve)
   */
  readonly newAuthorCapShare?: number
  /** authors the operator vouches for (--seed did:key:…): standing from the start, and for whom they follow */
  readonly seeds?: readonly string[]
  /** an author first stored here this long ago has standing (default 3 days) */
  readonly establishedAfterMs?: number
}

/** Where the relay's TLS certificate comes from (at most one source). */
export type TlsConfig =
  | { readonly source: 'files'; readonly certPath: string; readonly keyPath: string }
  | { readonly source: 'acme'; readonly domain: string; readonly email: string | undefined; readonly directoryUrl: string }
  | { readonly source: 'auto-tls' }

export interface RelayConfig {
  /** HTTP port: the app, /healthz, /metrics (0 = any free port) */
  readonly port: number
  /** libp2p WebSocket port (0 = any free port); libp2p's websockets transport owns its HTTP server, so it cannot share `port` */
  readonly wsPort: number
  readonly host: string
  /** data directory: keys (0600) and the SQLite archive */
  readonly dataDir: string
  /** relays to peer with: multiaddrs including /p2p/<peer id> */
  readonly peers: readonly string[]
  /** print exactly one JSON line on stdout when ready; logs go to stderr */
  readonly json: boolean
  readonly webrtcDirect: boolean
  /** the built app (dist/) */
  readonly appDir: string
  /** build the app into appDir first when it is missing or older than its sources (app-build.ts): only for the default dist/ */
  readonly buildApp: boolean
  /** HTTPS for the app and secure WebSockets for libp2p (tls-*.ts) */
  readonly tls: TlsConfig | undefined
  /** plain-HTTP port for ACME challenges and the redirect to https (plain-http.ts); default 80 with ACME */
  readonly httpPort: number | undefined
  /** lets a scraper off loopback read /metrics (Authorization: Bearer …); none: loopback only */
  readonly metricsToken: string | undefined
  /** public multiaddrs to announce instead of the listen addresses (behind NAT or a TLS proxy) */
  readonly announce: readonly string[]
  /** the app's public URL for invites (behind a proxy); default http://<host>:<port>/ */
  readonly publicUrl: string | undefined
  readonly announceIntervalMs: number
  /** reconcile the archive with each connected relay this often (protocol/reconcile.md) */
  readonly reconcileIntervalMs: number
  /** gossip messages per second accepted from one peer (burst 5×); more are ignored, not forwarded */
  readonly gossipRate: number
  readonly quotas: RelayQuotas
  /** bytes of image blobs (all authors) the relay keeps (--blob-cap-mb; blob-store.ts) */
  readonly blobCapBytes: number
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

export const DEFAULT_PORT = 8787
export const LETS_ENCRYPT_DIRECTORY = 'https://acme-v02.api.letsencrypt.org/directory'
export const DEFAULT_QUOTAS: RelayQuotas = {
  maxEventsPerAuthor: 20_000,
  maxBytesPerAuthor: 64 * 1024 * 1024,
  retentionMs: 365 * 24 * 3600 * 1000,
  maxArchiveBytes: 2 * 1024 ** 3,
}

export const usage = `usage: npm run relay -- [options]
  --port N            HTTP port for the app, /healthz and /metrics (env WILDGRASS_PORT, default ${DEFAULT_PORT}; 0 = any)
  --ws-port N         libp2p WebSocket port (env WILDGRASS_WS_PORT, default port+1, or any when port is 0)
  --host H            address to listen on, IPv4 or IPv6 (env WILDGRASS_HOST, default 0.0.0.0)
  --data DIR          data directory (env WILDGRASS_DATA, default ./.data)
  --peer MULTIADDR    a relay to peer with, repeatable (env WILDGRASS_PEERS, comma separated)
  --app DIR           the built app to serve (env WILDGRASS_APP, default ./dist)
  --announce MULTIADDR  a public address to announce instead of the listen ones, repeatable (env WILDGRASS_ANNOUNCE)
  --public-url URL    the app's public URL, used in invite links (env WILDGRASS_PUBLIC_URL)
  --tls-cert FILE     HTTPS and secure WebSockets with this certificate chain (PEM; env WILDGRASS_TLS_CERT),
  --tls-key FILE        and its key (env WILDGRASS_TLS_KEY); reloaded on SIGHUP and hourly
  --acme-domain NAME  obtain and renew a certificate for NAME over ACME (env WILDGRASS_ACME_DOMAIN); needs --http-port reachable as port 80
  --acme-email ADDR   contact address for the ACME account (env WILDGRASS_ACME_EMAIL)
  --acme-directory URL  ACME directory (env WILDGRASS_ACME_DIRECTORY, default Let's Encrypt)
  --auto-tls          a *.<peer id>.libp2p.direct certificate through libp2p's auto-tls (needs a public IP on this machine)
  --http-port N       plain HTTP: ACME challenges, redirect to https (env WILDGRASS_HTTP_PORT, default 80 with --acme-domain)
  --metrics-token T  lets a scraper off this machine read /metrics with 'Authorization: Bearer T' (env WILDGRASS_METRICS_TOKEN; default: /metrics and the full /healthz answer loopback only)
  --no-build          serve the app directory as it is, even when it is missing or older than its sources
  --no-webrtc-direct  do not listen on WebRTC-direct
  --max-events N      events kept per author (env WILDGRASS_MAX_EVENTS, default ${DEFAULT_QUOTAS.maxEventsPerAuthor})
  --max-bytes N       bytes kept per author (env WILDGRASS_MAX_BYTES, default ${DEFAULT_QUOTAS.maxBytesPerAuthor})
  --max-archive-bytes N  bytes kept in the whole archive, all authors (env WILDGRASS_MAX_ARCHIVE_BYTES, default ${DEFAULT_QUOTAS.maxArchiveBytes} = 2 GiB)
  --retention-days N  prune events older than N days, 0 = never (env WILDGRASS_RETENTION_DAYS, default 365)
  --seed DID          an author with standing here from the start, and whoever it follows; repeatable (env WILDGRASS_SEEDS, comma separated)
  --established-days N  an author first stored here N days ago has standing (env WILDGRASS_ESTABLISHED_DAYS, default 3)
  --gossip-rate N     gossip messages/s accepted per peer, burst 5x (env WILDGRASS_GOSSIP_RATE, default 100)
  --blob-cap-mb N     MiB of image blobs kept, all authors; 0 = take no uploads (env WILDGRASS_BLOB_CAP_MB, default 4096)
  --json              print one JSON line {"http","multiaddrs","invite"} on stdout when ready
  --help`

type Env = Readonly<Record<string, string | undefined>>

/** Parse argv (without node and script) and the environment; throws ConfigError. Returns undefined for --help. */
export function parseRelayConfig(argv: readonly string[], env: Env = process.env, cwd = process.cwd()): RelayConfig | undefined {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'ws-port': { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        peer: { type: 'string', multiple: true },
        app: { type: 'string' },
        announce: { type: 'string', multiple: true },
        'public-url': { type: 'string' },
        'no-webrtc-direct': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'acme-domain': { type: 'string' },
        'acme-email': { type: 'string' },
        'acme-directory': { type: 'string' },
        'auto-tls': { type: 'boolean' },
        'http-port': { type: 'string' },
        'metrics-token': { type: 'string' },
        'no-build': { type: 'boolean' },
        'max-events': { type: 'string' },
        'max-bytes': { type: 'string' },
        'max-archive-bytes': { type: 'string' },
        'retention-days': { type: 'string' },
        seed: { type: 'string', multiple: true },
        'established-days': { type: 'string' },
        'announce-interval-ms': { type: 'string' },
        'reconcile-interval-ms': { type: 'string' },
        'gossip-rate': { type: 'string' },
        'blob-cap-mb': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }))
  } catch (err) {
    throw new ConfigError((err as Error).message)
  }
  if (values.help === true) return undefined

  const port = parsePort('--port', values.port ?? env.WILDGRASS_PORT, DEFAULT_PORT)
  const wsPort = parsePort('--ws-port', values['ws-port'] ?? env.WILDGRASS_WS_PORT, port === 0 ? 0 : port + 1)
  if (port !== 0 && port === wsPort) throw new ConfigError(`--ws-port must differ from --port (${port})`)
  const host = values.host ?? env.WILDGRASS_HOST ?? '0.0.0.0'
  if (!/^[0-9a-zA-Z.:-]+$/.test(host)) throw new ConfigError(`--host: not an address: ${JSON.stringify(host)}`)
  const dataDir = resolve(cwd, values.data ?? env.WILDGRASS_DATA ?? '.data')
  const appGiven = values.app ?? env.WILDGRASS_APP
  const appDir = resolve(cwd, appGiven ?? 'dist')
  const peerList = listOf(values.peer, env.WILDGRASS_PEERS)
  const peers = peerList.map(checkPeer)
  const announce = (
    values.announce ??
    (env.WILDGRASS_ANNOUNCE ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
  ).map(checkAnnounce)
  const publicUrl = checkPublicUrl(values['public-url'] ?? env.WILDGRASS_PUBLIC_URL)
  const tls = parseTls(values, env, cwd)
  if (tls?.source === 'auto-tls' && announce.length > 0)
    throw new ConfigError('--auto-tls names the addresses this machine listens on; with --announce use --acme-domain or --tls-cert')
  if (tls !== undefined && publicUrl?.startsWith('http:') === true) throw new ConfigError('--public-url: must be https: when the relay serves TLS')
  const httpPortRaw = values['http-port'] ?? env.WILDGRASS_HTTP_PORT
  const httpPort = httpPortRaw === undefined || httpPortRaw === '' ? (tls?.source === 'acme' ? 80 : undefined) : parsePort('--http-port', httpPortRaw, 80)
  if (httpPort !== undefined && tls === undefined)
    throw new ConfigError('--http-port redirects to https: give --tls-cert/--tls-key, --acme-domain or --auto-tls')
  if (httpPort !== undefined && httpPort !== 0 && (httpPort === port || httpPort === wsPort))
    throw new ConfigError(`--http-port must differ from --port and --ws-port (${httpPort})`)
  const retentionDays = parseInteger('--retention-days', values['retention-days'] ?? env.WILDGRASS_RETENTION_DAYS, 365, 0, 100_000)
  return {
    port,
    wsPort,
    host,
    dataDir,
    peers,
    json: values.json === true,
    webrtcDirect: values['no-webrtc-direct'] !== true,
    appDir,
    buildApp: appGiven === undefined && values['no-build'] !== true,
    tls,
    httpPort,
    metricsToken: parseMetricsToken(values['metrics-token'] ?? env.WILDGRASS_METRICS_TOKEN),
    announce,
    publicUrl,
    announceIntervalMs: parseInteger(
      '--announce-interval-ms',
      values['announce-interval-ms'] ?? env.WILDGRASS_ANNOUNCE_INTERVAL_MS,
      5 * 60_000,
      1000,
      24 * 3600_000,
    ),
    reconcileIntervalMs: parseInteger(
      '--reconcile-interval-ms',
      values['reconcile-interval-ms'] ?? env.WILDGRASS_RECONCILE_INTERVAL_MS,
      5 * 60_000,
      1000,
      24 * 3600_000,
    ),
    gossipRate: parseInteger('--gossip-rate', values['gossip-rate'] ?? env.WILDGRASS_GOSSIP_RATE, 100, 1, 1_000_000),
    blobCapBytes: parseInteger('--blob-cap-mb', values['blob-cap-mb'] ?? env.WILDGRASS_BLOB_CAP_MB, 4096, 0, 1024 * 1024) * 1024 * 1024,
    quotas: {
      maxEventsPerAuthor: parseInteger('--max-events', values['max-events'] ?? env.WILDGRASS_MAX_EVENTS, DEFAULT_QUOTAS.maxEventsPerAuthor, 1, 10_000_000),
      maxBytesPerAuthor: parseInteger('--max-bytes', values['max-bytes'] ?? env.WILDGRASS_MAX_BYTES, DEFAULT_QUOTAS.maxBytesPerAuthor, 1024, 2 ** 40),
      retentionMs: retentionDays * 24 * 3600 * 1000,
      maxArchiveBytes: parseInteger(
        '--max-archive-bytes',
        values['max-archive-bytes'] ?? env.WILDGRASS_MAX_ARCHIVE_BYTES,
        DEFAULT_QUOTAS.maxArchiveBytes,
        1024 * 1024,
        2 ** 50,
      ),
      seeds: listOf(values.seed, env.WILDGRASS_SEEDS).map(checkSeed),
      establishedAfterMs: parseInteger('--established-days', values['established-days'] ?? env.WILDGRASS_ESTABLISHED_DAYS, 3, 0, 3650) * 24 * 3600_000,
    },
  }
}

/** A repeatable flag, or its environment variable as a comma-separated list. */
function listOf(given: readonly string[] | undefined, env: string | undefined): string[] {
  return given !== undefined
    ? [...given]
    : (env ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
}

function checkSeed(did: string): string {
  try {
    decodeDidKey(did)
  } catch {
    throw new ConfigError(`--seed: not a did:key of an Ed25519 key: ${JSON.stringify(did.slice(0, 80))}`)
  }
  return did
}

type Values = Record<string, string | boolean | string[] | undefined>

function parseTls(values: Values, env: Env, cwd: string): TlsConfig | undefined {
  const text = (flag: string, name: string): string | undefined => {
    const v = values[flag] ?? env[name]
    return typeof v === 'string' && v !== '' ? v : undefined
  }
  const certPath = text('tls-cert', 'WILDGRASS_TLS_CERT')
  const keyPath = text('tls-key', 'WILDGRASS_TLS_KEY')
  const domain = text('acme-domain', 'WILDGRASS_ACME_DOMAIN')
  const autoTls = values['auto-tls'] === true
  const chosen = [certPath !== undefined || keyPath !== undefined, domain !== undefined, autoTls].filter(Boolean).length
  if (chosen > 1) throw new ConfigError('one certificate source: --tls-cert/--tls-key, --acme-domain or --auto-tls')
  const email = text('acme-email', 'WILDGRASS_ACME_EMAIL')
  const directory = text('acme-directory', 'WILDGRASS_ACME_DIRECTORY')
  if (domain === undefined && (email !== undefined || directory !== undefined)) throw new ConfigError('--acme-email and --acme-directory need --acme-domain')
  if (certPath !== undefined || keyPath !== undefined) {
    if (certPath === undefined || keyPath === undefined) throw new ConfigError('--tls-cert and --tls-key go together')
    return { source: 'files', certPath: resolve(cwd, certPath), keyPath: resolve(cwd, keyPath) }
  }
  if (domain !== undefined) {
    const name = domain.toLowerCase().replace(/\.$/, '')
    // a DNS name with at least two labels, no wildcard, no IP address (ACME http-01 validates one host)
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name))
      throw new ConfigError(`--acme-domain: not a DNS name: ${JSON.stringify(domain)}`)
    if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ConfigError(`--acme-email: not an e-mail address: ${JSON.stringify(email)}`)
    let directoryUrl = LETS_ENCRYPT_DIRECTORY
    if (directory !== undefined) {
      try {
        directoryUrl = new URL(directory).href
      } catch {
        throw new ConfigError(`--acme-directory: not a URL: ${JSON.stringify(directory)}`)
      }
      if (!directoryUrl.startsWith('https:')) throw new ConfigError('--acme-directory: must be https:')
    }
    return { source: 'acme', domain: name, email, directoryUrl }
  }
  return autoTls ? { source: 'auto-tls' } : undefined
}

/** The host name the relay's certificate must cover, when flags already name one (--acme-domain, or --public-url's host). */
export function configuredTlsName(config: Pick<RelayConfig, 'tls' | 'publicUrl'>): string | undefined {
  if (config.tls?.source === 'acme') return config.tls.domain
  if (config.publicUrl === undefined) return undefined
  const host = new URL(config.publicUrl).hostname
  return /^[\d.]+$|^\[/.test(host) ? undefined : host
}

function parsePort(flag: string, raw: string | undefined, fallback: number): number {
  return parseInteger(flag, raw, fallback, 0, 65535)
}

function parseInteger(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${flag}: not a whole number: ${JSON.stringify(raw)}`)
  const n = Number(raw.trim())
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(`${flag}: ${n} is outside ${min}..${max}`)
  return n
}

/** A peer relay must be a valid multiaddr naming its peer id, or we could not tell who answered. */
function checkPeer(text: string): string {
  let ma
  try {
    ma = multiaddr(text)
  } catch (err) {
    throw new ConfigError(`--peer: not a multiaddr: ${JSON.stringify(text)} (${(err as Error).message})`)
  }
  if (!ma.getComponents().some((c) => c.name === 'p2p')) throw new ConfigError(`--peer: ${text} has no /p2p/<peer id>`)
  return ma.toString()
}

function checkAnnounce(text: string): string {
  try {
    return multiaddr(text).toString()
  } catch (err) {
    throw new ConfigError(`--announce: not a multiaddr: ${JSON.stringify(text)} (${(err as Error).message})`)
  }
}

function checkPublicUrl(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigError(`--public-url: not a URL: ${JSON.stringify(text)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('--public-url: must be http: or https:')
  if (url.hash !== '' || url.search !== '') throw new ConfigError('--public-url: no query or fragment (the invite goes in the fragment)')
  return url.href.endsWith('/') ? url.href : url.href + '/'
}

function parseMetricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined
  if (raw.length < 16 || !/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError('--metrics-token: at least 16 printable ASCII characters, no spaces')
  return raw
}
