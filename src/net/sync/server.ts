// Server side of /wildgrass/sync/1.0.0 (protocol/sync.md §Flow): answers requests in order,
// splitting large answers into bounded frames. Relays serve their archive; browsers serve
// their store. A malformed request gets one `error` frame and the stream is closed.
import type { Libp2p, Stream } from '@libp2p/interface'
import { isWildgrassError } from '../../core/index.ts'
import type { SyncSource } from '../sync-source.ts'
import { frameStream } from './framed-stream.ts'
import type { FramedStream } from './framed-stream.ts'
import type { Request } from './frames.ts'
import { FRAME_PAYLOAD_BUDGET, MAX_ITEMS_PER_FRAME, SYNC_PROTOCOL } from './limits.ts'

export interface SyncServerOptions {
  /** a session ends after this many ms without a request (default 30 s) */
  idleTimeoutMs?: number
}

export interface SyncServerLimits {
  /** sessions served at once, all peers together; one more is refused (aborted) at once */
  maxSessions: number
  /** sessions one connection may have open at once (libp2p's maxInboundStreams) */
  maxPerConnection: number
}

export interface SyncServerCounters {
  /** sessions served since start */
  served: number
  /** sessions being served now */
  active: number
  /** sessions refused because maxSessions were being served */
  refused: number
}

export interface SyncServer {
  readonly counters: Readonly<SyncServerCounters>
  stop(): Promise<void>
}

/** Registers the one handler of SYNC_PROTOCOL on the node: serves `source`, bounded, counted. */
export async function startSyncServer(node: Libp2p, source: SyncSource, limits: SyncServerLimits): Promise<SyncServer> {
  const counters: SyncServerCounters = { served: 0, active: 0, refused: 0 }
  await node.handle(SYNC_PROTOCOL, (stream) => {
    if (counters.active >= limits.maxSessions) {
      counters.refused++
      stream.abort(new Error('too many sync sessions'))
      return
    }
    counters.active++
    counters.served++
    // serveSyncStream settles every stream itself (an error aborts it) and never rejects
    void serveSyncStream(stream, source).finally(() => counters.active--)
  }, { maxInboundStreams: limits.maxPerConnection })
  return { counters, stop: () => node.unhandle(SYNC_PROTOCOL) }
}

/** Serves one inbound sync stream until the client closes it. */
export async function serveSyncStream(stream: Stream, source: SyncSource, options: SyncServerOptions = {}): Promise<void> {
  const framed = frameStream(stream)
  try {
    for (;;) {
      let request: Request | undefined
      try {
        request = await framed.readRequest(AbortSignal.timeout(options.idleTimeoutMs ?? 30_000))
      } catch (err) {
        if (isWildgrassError(err)) await framed.write({ t: 'error', code: err.code, message: err.message.slice(0, 200) })
        break
      }
      if (request === undefined) break
      await answer(framed, source, request)
    }
    await framed.close()
  } catch (err) {
    framed.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

async function answer(framed: FramedStream, source: SyncSource, request: Request): Promise<void> {
  switch (request.t) {
    case 'get-heads': {
      const heads = await Promise.all(request.authors.map(async (author) => ({ author, heads: await source.getHeads(author) })))
      await framed.write({ t: 'heads', heads })
      return
    }
    case 'get-changes': {
      const envelopes = await source.getChangesSince(request.author, request.since)
      for (const [batch, done] of batches(envelopes)) await framed.write({ t: 'changes', author: request.author, envelopes: batch, done })
      return
    }
    case 'get-events': {
      const events = await source.getEvents(request.ids)
      for (const [batch, done] of batches(events)) await framed.write({ t: 'events', events: batch, done })
      return
    }
    case 'get-recent': {
      if (source.getRecentEvents === undefined) {
        await framed.write({ t: 'recent', events: [], cursor: request.after })
        return
      }
      const page = await source.getRecentEvents(request.after, request.limit)
      // the limit keeps a page inside one frame; a source that ignores it is cut to fit
      const [first] = batches(page.events.slice(0, request.limit))
      await framed.write({ t: 'recent', events: first?.[0] ?? [], cursor: page.cursor })
    }
  }
}

/** Splits items into frame-sized batches; always yields at least one (possibly empty) batch. */
export function* batches(items: readonly Uint8Array[]): Generator<[Uint8Array[], boolean]> {
  let batch: Uint8Array[] = []
  let size = 0
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    if (batch.length > 0 && (size + item.length + 8 > FRAME_PAYLOAD_BUDGET || batch.length >= MAX_ITEMS_PER_FRAME)) {
      yield [batch, false]
      batch = []
      size = 0
    }
    batch.push(item)
    size += item.length + 8
  }
  yield [batch, true]
}
