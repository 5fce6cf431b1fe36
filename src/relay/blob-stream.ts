// The relay's side of /wildgrass/blob/1.0.0 (protocol/blobs.md §7): the blobs its HTTP route
// serves, to peers over libp2p, for an app whose page comes from another origin (which may
// fetch only from its own). One request per stream; what is served is decided by lookupBlob,
// the HTTP route's own function. Bounded: a request not sent within 5 s closes the stream, an
// answer not taken within 30 s is given up, and a peer gets at most 4 streams at once (each
// holds up to 1 MiB), all peers together 32; one more is answered `busy` at once.
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { BLOB_HASH_BYTES } from '../core/blob-token.ts'
import { BLOB_STREAMS_PER_PEER, decodeBlobRequest, encodeBlobResponse, type BlobResponse } from '../net/blob-frames.ts'
import { lookupBlob, type BlobStore } from './blob-store.ts'
import type { MetricsRegistry } from './metrics.ts'

export const MAX_BLOB_STREAMS = 32
export const BLOB_REQUEST_TIMEOUT_MS = 5_000
export const BLOB_SEND_TIMEOUT_MS = 30_000

export interface BlobStreamServer {
  handle(stream: Stream, connection: Connection): Promise<void>
  /** streams being served now */
  active(): number
}

export function createBlobStreamServer(init: { store: Pick<BlobStore, 'sizeOf' | 'get'>; registry?: MetricsRegistry }): BlobStreamServer {
  const perPeer = new Map<string, number>()
  let active = 0
  const served = init.registry?.counter('wg_blob_stream_requests_total', 'Blob requests over /wildgrass/blob/1.0.0, by result (found, absent, busy, bad)')
  init.registry?.collect('wg_blob_streams_active', 'Blob streams being served now', () => active)

  function answerFor(sha256: string): BlobResponse {
    const found = lookupBlob(init.store, sha256)
    // deleted between the lookup and the read (a retraction): not held any more
    const bytes = found.found ? init.store.get(sha256) : undefined
    return bytes === undefined ? { status: 'absent' } : { status: 'found', bytes }
  }

  async function send(lp: ReturnType<typeof lpStream>, answer: BlobResponse, stream: Stream): Promise<void> {
    const signal = AbortSignal.timeout(BLOB_SEND_TIMEOUT_MS)
    await lp.write(encodeBlobResponse(answer), { signal })
    await stream.close({ signal })
    served?.inc({ result: answer.status })
  }

  async function serve(stream: Stream, peer: string): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: BLOB_HASH_BYTES, maxBufferSize: 4 * BLOB_HASH_BYTES })
    // over the bounds: answered before the request is even read, so a flood holds nothing
    if (active >= MAX_BLOB_STREAMS || (perPeer.get(peer) ?? 0) >= BLOB_STREAMS_PER_PEER) return send(lp, { status: 'busy' }, stream)
    active++
    perPeer.set(peer, (perPeer.get(peer) ?? 0) + 1)
    try {
      const request = await lp.read({ signal: AbortSignal.timeout(BLOB_REQUEST_TIMEOUT_MS) })
      await send(lp, answerFor(decodeBlobRequest(request.subarray())), stream)
    } finally {
      active--
      const left = (perPeer.get(peer) ?? 1) - 1
      if (left > 0) perPeer.set(peer, left)
      else perPeer.delete(peer)
    }
  }

  return {
    async handle(stream, connection) {
      try {
        await serve(stream, connection.remotePeer.toString())
      } catch (err) {
        served?.inc({ result: 'bad' })
        stream.abort(err instanceof Error ? err : new Error(String(err)))
      }
    },
    active: () => active,
  }
}
