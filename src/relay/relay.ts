// The relay process, assembled: keys, the SQLite archive, the libp2p node (createRelayNode,
// src/relay/relay-node.ts), gossip into the archive, catch-up sync served from it, signed
// relay records on the relays topic, and HTTP (app, /healthz, /metrics). start() returns
// what the CLI prints; stop() undoes everything in reverse order.
import { join } from 'node:path'
import { encodeDidKey, getPublicKey } from '../core/index.ts'
import { createInvite } from '../core/invite.ts'
import { MAX_INVITE_RELAYS, MAX_RELAY_ADDR_BYTES } from '../core/limits.ts'
import { createNetwork, type Network } from '../net/network.ts'
import { createNodeVerifier } from '../net/verify-node.ts'
import { createStore } from '../store/create-store.ts'
import { createArchive, ESTABLISHED_AFTER_MS, type Archive } from './archive.ts'
import { createArchiveStanding, hasStanding } from './archive-standing.ts'
import { createBlobRoutes } from './blob-http.ts'
import { trackBlobReferences } from './blob-references.ts'
import { createBlobStore, DEFAULT_BLOB_LIMITS } from './blob-store.ts'
import { createBlobStreamServer } from './blob-stream.ts'
import type { RelayConfig } from './config.ts'
import { createHttpServer, type RelayHttpServer } from './http-server.ts'
import { createMailboxes } from './mailbox-service.ts'
import { createCountingSink } from './relay-gossip.ts'
import { loadOrCreateRelayKeys } from './relay-keys.ts'
import { startRelayAnnouncer } from './relay-announcer.ts'
import { relayRecordOpener } from './relay-records.ts'
import { startPeerGuard } from './peer-guard.ts'
import { createRelayMetrics } from './relay-metrics.ts'
import { createRelayNode, type RelayNode } from './relay-node.ts'
import { startReconcileSchedule } from './relay-reconcile.ts'
import { createReconcileSet } from './reconcile-set.ts'
import { createSubscriptionIndex } from './subscribe-index.ts'
import { createSqliteStorage } from './sqlite-storage.ts'
import { startRelayTls } from './relay-tls.ts'
import { loadWebRtcCertificate, saveWebRtcCertificate } from './webrtc-certificate.ts'

export interface RelayInfo {
  /** the app's URL */
  readonly http: string
  readonly multiaddrs: string[]
  /** an invite link to this relay, signed by its record key */
  readonly invite: string
  readonly peerId: string
}

export interface RunningRelay {
  readonly info: RelayInfo
  readonly node: RelayNode
  readonly archive: Archive
  /** reads the operator's certificate files again (SIGHUP); true if a new certificate was taken */
  reloadCertificate(): boolean
  stop(): Promise<void>
}

export type Log = (message: string) => void

const PRUNE_INTERVAL_MS = 3600_000
const MAX_SYNC_SESSIONS = 256
const SYNC_BAN_MS = 60_000

export async function startRelay(config: RelayConfig, log: Log): Promise<RunningRelay> {
  const startedAt = Date.now()
  const cleanups: Array<() => Promise<void> | void> = []
  const stopAll = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn()
      } catch (err) {
        log(`shutdown step failed: ${String(err)}`)
      }
    }
  }
  try {
    const keys = await loadOrCreateRelayKeys(config.dataDir)
    const storage = createSqliteStorage({ path: join(config.dataDir, 'archive.db') })
    const store = createStore({ storage })
    const archive = createArchive({ storage, store, quotas: config.quotas })
    // before start: the set hears every item the store takes from here on
    const reconcileSet = createReconcileSet({ db: storage.db, store })
    const subscriptionIndex = createSubscriptionIndex({ db: storage.db, store })
    await archive.start()
    cleanups.push(() => archive.close())
    cleanups.push(() => reconcileSet.close())
    cleanups.push(() => subscriptionIndex.close())
    // an archive from before the set: filled once, in the background
    void reconcileSet.backfill(storage).then(
      (n) => n > 0 && log(`reconcile set: ${n} items of the archive added`),
      (err: unknown) => log(`reconcile set backfill failed: ${String(err)}`),
    )

    const httpHolder: { server?: RelayHttpServer } = {}
    const tls = await startRelayTls(config, log, () => httpHolder.server?.port ?? config.port)
    if (tls !== undefined) cleanups.push(() => tls.stop())

    const webrtcCertificate = config.webrtcDirect ? loadWebRtcCertificate(config.dataDir) : undefined
    const holder: { node?: RelayNode; network?: Network } = {}
    const metrics = createRelayMetrics({
      node: () => holder.node,
      archiveStats: () => archive.stats(),
      network: () => holder.network?.counters,
      startedAt,
      tlsNotAfter: () => tls?.notAfter(),
    })
    const started = await createRelayNode({
      peerKey: keys.peerKey,
      host: config.host,
      port: config.wsPort,
      webrtcDirect: config.webrtcDirect,
      // UDP and TCP ports are separate spaces: WebRTC-direct takes the WebSocket port number, so a restart keeps its address
      webrtcDirectPort: config.wsPort,
      ...(webrtcCertificate === undefined ? {} : { webrtcDirectCertificate: webrtcCertificate }),
      peers: [...config.peers],
      ...(config.announce.length > 0 ? { announce: [...config.announce] } : {}),
      ...(tls === undefined ? {} : { tls: tls.node }),
    })
    holder.node = started
    if (config.webrtcDirect && !saveWebRtcCertificate(config.dataDir, started))
      log('WebRTC-direct certificate not saved: its /certhash/ will change on restart')
    cleanups.push(() => started.stop())

    // Gossip validation, ingestion into the archive and the sync server: the net layer's
    // façade in its relay role. Around it: counting for /metrics, the flood guard
    // (peer-guard.ts) and a sink that batches archive writes (relay-gossip.ts).
    const peerRelays = config.peers.map((p) => p.slice(p.lastIndexOf('/p2p/') + 5))
    const guard = startPeerGuard({ node: started, exempt: peerRelays, log, onBan: (_, reason) => metrics.peersBanned.inc({ reason }) })
    cleanups.push(() => guard.stop())
    const sink = createCountingSink(archive, metrics)
    const mailboxes = createMailboxes({ relayPeerId: started.peerId.toString(), db: storage.db, registry: metrics.registry })
    cleanups.push(() => sink.flush()) // runs after network.stop, before the archive closes
    // image blobs (protocol/blobs.md): in archive.db, quotas by the archive's own standing rules;
    // served over HTTP (below) and over /wildgrass/blob/1.0.0 (registered by the network)
    const blobs = createBlobStore(storage.db, { ...DEFAULT_BLOB_LIMITS, capBytes: config.blobCapBytes })
    // a stored post keeps its photos; its retraction deletes them
    cleanups.push(trackBlobReferences(storage.db, store, blobs))
    const blobStreams = createBlobStreamServer({ store: blobs, registry: metrics.registry })
    const network = createNetwork(
      { node: started, source: archive, sink, reconcile: reconcileSet, subscriptions: subscriptionIndex },
      {
        role: 'relay',
        relayRecords: relayRecordOpener,
        // Synchronous node:crypto checks after core's strict ones: no thread-pool hop on every
        // gossip message before it is forwarded (protocol/gossip.md, bench/net.bench.ts).
        verifier: createNodeVerifier(),
        rateLimit: { perSecond: config.gossipRate, burst: config.gossipRate * 5 },
        // the backbone forwards everyone's messages: exempt from the per-peer rate limit
        trustedPeers: peerRelays,
        maxSyncSessions: MAX_SYNC_SESSIONS,
        serveMailboxes: mailboxes.serve,
        serveBlobs: blobStreams.handle,
        // past its sync budget (src/net/sync/budget.ts): the network hung up; keep it out a minute
        onSyncCut: (peer) => guard.ban(peer, SYNC_BAN_MS, 'sync', 'past its sync budget'),
        // the other relay started it (the lower peer id starts, relay-reconcile.ts): what it pushed
        onReconcileServed(peer, report) {
          if (report.events + report.changes + report.rejected > 0 || report.refused !== undefined)
            log(
              `reconciliation served to ${peer.slice(-8)}: ${report.events} events, ${report.changes} changes pushed to us, ${report.held} held, ${report.rejected} rejected${report.refused === undefined ? '' : `, refused ${report.refused}`}`,
            )
        },
        onGossipValidated(topic, from, verdict) {
          metrics.gossipReceived.inc({ topic })
          metrics.gossipValidated.inc({ topic, result: verdict })
          if (verdict === 'reject') guard.reject(from)
        },
      },
    )
    holder.network = network
    await network.start()
    cleanups.push(() => network.stop())

    // reconcile with every relay we meet, then every 5 minutes (protocol/reconcile.md)
    const reconciling = startReconcileSchedule(started, network, { log, intervalMs: config.reconcileIntervalMs })
    cleanups.push(() => reconciling.stop())

    const blobStanding = createArchiveStanding({
      db: storage.db,
      policy: { seeds: config.quotas.seeds ?? [], establishedAfterMs: config.quotas.establishedAfterMs ?? ESTABLISHED_AFTER_MS },
      followers: (author) => store.getFollowers(author),
      now: Date.now,
    })
    const blobRoutes = createBlobRoutes({
      store: blobs,
      standing: async (author) => hasStanding((await blobStanding.of([author])).get(author)),
      registry: metrics.registry,
      verifier: createNodeVerifier(),
    })

    const pruneTimer = setInterval(() => {
      mailboxes.prune()
      const unnamed = blobs.gc()
      if (unnamed > 0) log(`blobs: deleted ${unnamed} that no post names`)
      const n = archive.prune()
      if (n > 0) log(`retention: pruned ${n} events`)
    }, PRUNE_INTERVAL_MS)
    pruneTimer.unref()
    cleanups.push(() => clearInterval(pruneTimer))

    const recordKey = encodeDidKey(getPublicKey(keys.recordSecret))
    const http: RelayHttpServer = createHttpServer({
      appDir: config.appDir,
      host: config.host,
      port: config.port,
      health: () => ({ ok: started.status === 'started', peers: started.getPeers().length, uptime: Math.round((Date.now() - startedAt) / 1000) }),
      metrics: () => metrics.registry.render(),
      ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
      relayInfo: () => ({ multiaddrs: selectInviteAddrs(started.getMultiaddrs().map((ma) => ma.toString())), key: recordKey }),
      blobs: blobRoutes,
      ...(tls?.first === undefined ? {} : { certificate: tls.first }),
    })
    httpHolder.server = http
    await http.start()
    cleanups.push(() => http.stop())
    tls?.attach(started, http)

    const multiaddrs = started.getMultiaddrs().map((ma) => ma.toString())
    const announcer = startRelayAnnouncer({
      node: started,
      publish: (bytes) => network.publishRelayRecord(bytes),
      secret: keys.recordSecret,
      intervalMs: config.announceIntervalMs,
      log,
    })
    cleanups.push(() => announcer.stop())

    const httpHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host
    const httpUrl =
      config.publicUrl ??
      (tls?.name !== undefined
        ? `https://${tls.name}${http.port === 443 ? '' : `:${http.port}`}/`
        : `http://${httpHost.includes(':') ? `[${httpHost}]` : httpHost}:${http.port}/`)
    const invite = createInvite(
      keys.recordSecret,
      { relays: selectInviteAddrs(multiaddrs), name: `Wildgrass relay ${started.peerId.toString().slice(-6)}` },
      httpUrl,
    )
    return {
      info: { http: httpUrl, multiaddrs, invite, peerId: started.peerId.toString() },
      node: started,
      archive,
      reloadCertificate: () => tls?.reload() ?? false,
      stop: stopAll,
    }
  } catch (err) {
    await stopAll()
    throw err
  }
}

/** The addresses an invite carries: WebSocket first (any browser), then WebRTC-direct; within the invite limits. */
export function selectInviteAddrs(multiaddrs: readonly string[]): string[] {
  const usable = multiaddrs.filter((a) => a.length <= MAX_RELAY_ADDR_BYTES && a.includes('/p2p/'))
  const rank = (a: string) => (a.includes('/ws/') || a.includes('/wss/') ? 0 : a.includes('/webrtc-direct/') ? 1 : 2)
  return [...new Set(usable)].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_INVITE_RELAYS)
}
