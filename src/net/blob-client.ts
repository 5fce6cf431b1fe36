// The asking side of /wildgrass/blob/1.0.0 (protocol/blobs.md §7): one stream per blob, the
// hash out, one bounded frame back, and the bytes returned only when they hash to what was asked.
// A relay is untrusted: bytes of another hash are someone else's picture (E_HASH_MISMATCH).
import type { Libp2p, PeerId } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { sha256Hex } from '../core/sha256-hex.ts'
import { fail, isWildgrassError } from '../core/index.ts'
import { BLOB_PROTOCOL, BLOB_STREAMS_PER_PEER, decodeBlobResponse, encodeBlobRequest, MAX_BLOB_RESPONSE_BYTES } from './blob-frames.ts'

/** a whole fetch (dial, request, 1 MiB back) that takes longer is given up: the next source is tried */
export const BLOB_FETCH_TIMEOUT_MS = 20_000

/**
 * The blob's bytes from `peer`. Throws WildgrassError: E_UNAVAILABLE (not held there, no answer,
 * timed out), E_RATE_LIMITED (busy: too many streams now), E_HASH_MISMATCH (other bytes),
 * E_TRUNCATED / E_OVERSIZE / E_MALFORMED (a broken answer), E_MALFORMED for a bad address.
 */
export async function fetchBlob(node: Pick<Libp2p, 'dialProtocol'>, peer: PeerId, sha256: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
  const request = encodeBlobRequest(sha256)
  const signal = AbortSignal.any([AbortSignal.timeout(BLOB_FETCH_TIMEOUT_MS), ...(options.signal === undefined ? [] : [options.signal])])
  let frame: Uint8Array
  try {
    const stream = await node.dialProtocol(peer, BLOB_PROTOCOL, { signal })
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_BLOB_RESPONSE_BYTES, maxBufferSize: 2 * MAX_BLOB_RESPONSE_BYTES })
      await lp.write(request, { signal })
      // our end is done (close is a half-close in libp2p 3): one request per stream
      await stream.close({ signal })
      frame = (await lp.read({ signal })).subarray()
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  } catch (err) {
    if (err instanceof Error && /InvalidDataLength/.test(err.name)) fail('E_OVERSIZE', 'blob response over the limit', err)
    if (err instanceof Error && /EOF/i.test(err.name + err.message)) fail('E_TRUNCATED', 'blob stream closed early', err)
    return fail('E_UNAVAILABLE', `no answer for blob ${sha256.slice(0, 12)}… from ${peer.toString().slice(-8)}`, err)
  }
  const response = decodeBlobResponse(frame)
  if (response.status === 'absent') fail('E_UNAVAILABLE', `${peer.toString().slice(-8)} does not hold blob ${sha256.slice(0, 12)}…`)
  if (response.status === 'busy') fail('E_RATE_LIMITED', `${peer.toString().slice(-8)} is busy`)
  if ((await sha256Hex(response.bytes)) !== sha256) fail('E_HASH_MISMATCH', `${peer.toString().slice(-8)} sent other bytes for ${sha256.slice(0, 12)}…`)
  return response.bytes
}

/**
 * The first of `peers` (in order) that gives bytes of this hash; a failure of any kind moves on
 * to the next. E_UNAVAILABLE when none did, E_MALFORMED for an address that is no SHA-256.
 */
export async function fetchBlobFromAny(
  node: Pick<Libp2p, 'dialProtocol'>,
  peers: readonly PeerId[],
  sha256: string,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  encodeBlobRequest(sha256)
  let last: unknown
  for (const peer of peers) {
    try {
      return await fetchBlob(node, peer, sha256, options)
    } catch (err) {
      if (!isWildgrassError(err)) throw err
      last = err
      if (options.signal?.aborted === true) break
    }
  }
  return fail('E_UNAVAILABLE', `no relay gave blob ${sha256.slice(0, 12)}…`, last)
}

/**
 * fetchBlobFromAny over the peers `relays()` names at each call, at most BLOB_STREAMS_PER_PEER
 * at once: a timeline of photos asked together waits its turn here rather than being told `busy`.
 */
export function createBlobFetcher(
  node: Pick<Libp2p, 'dialProtocol'>,
  relays: () => readonly PeerId[],
): (sha256: string, options?: { signal?: AbortSignal }) => Promise<Uint8Array> {
  let running = 0
  const waiting: Array<() => void> = []
  return async (sha256, options = {}) => {
    while (running >= BLOB_STREAMS_PER_PEER) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await fetchBlobFromAny(node, relays(), sha256, options)
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}
