// The handler of /wildgrass/reconcile/1.0.0 on a node, and its initiator side: sessions served
// at once are bounded (each holds a set snapshot and reads the archive), one per peer at a time
// as initiator. What a served session's initiator pushes goes to the same sink as what we fetch.
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { SignatureVerifier } from '../../core/index.ts'
import type { SyncSink } from '../sync-source.ts'
import { RECONCILE_PROTOCOL } from './frames.ts'
import { runReconcile, serveReconcile } from './session.ts'
import type { ReconcileReport, ReconcileSource, ServeReport } from './session.ts'

/** reconciliations served at once, all peers together; one more is refused at once */
export const MAX_RECONCILE_SESSIONS = 4

export interface ReconcileServer {
  reconcileWith(peer: PeerId, sink: SyncSink): Promise<ReconcileReport>
  stop(): Promise<void>
}

export interface ReconcileServerOptions {
  verifier?: SignatureVerifier
  /** takes what initiators push; without it pushes are refused */
  sink?: SyncSink
  onServed?(peer: PeerId, report: ServeReport): void
}

export async function startReconcileServer(node: Libp2p, source: ReconcileSource, options: ReconcileServerOptions = {}): Promise<ReconcileServer> {
  let active = 0
  await node.handle(
    RECONCILE_PROTOCOL,
    (stream, connection) => {
      if (active >= MAX_RECONCILE_SESSIONS) {
        stream.abort(new Error('too many reconciliations'))
        return
      }
      active++
      const serve = { ...(options.sink === undefined ? {} : { sink: options.sink }), ...(options.verifier === undefined ? {} : { verifier: options.verifier }) }
      void serveReconcile(stream, source, serve)
        .then((report) => options.onServed?.(connection.remotePeer, report))
        .finally(() => active--)
    },
    { maxInboundStreams: 2 },
  )
  const running = new Map<string, Promise<ReconcileReport>>()
  return {
    reconcileWith(peer, sink) {
      const key = peer.toString()
      const current = running.get(key)
      if (current !== undefined) return current
      const run = (async () => {
        const stream = await node.dialProtocol(peer, RECONCILE_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
        return runReconcile(stream, source, sink, options.verifier === undefined ? {} : { verifier: options.verifier })
      })().finally(() => running.delete(key))
      running.set(key, run)
      return run
    },
    stop: () => node.unhandle(RECONCILE_PROTOCOL),
  }
}
