// `GET`/`HEAD`/`PUT /blob/<sha256>` (protocol/blobs.md §2–4) on the relay's HTTP server.
// A blob is bytes anyone chose, served from the origin that also serves the app: it goes out
// as an inert download (octet-stream, nosniff, a sandboxing CSP, attachment), never as a page
// or script of this origin. The app fetches the bytes (CORS: any origin), checks the hash and
// shows them from a blob: URL with the type its post names.
// An upload is refused as early as possible (rate, token, size) and its body is read against a
// hard cap: the relay never holds more than the token's size (≤ 1 MiB) of one request.
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { BLOB_TOKEN_MAX_AGE_MS, MAX_BLOB_BYTES, openBlobToken, type BlobToken } from '../core/blob-token.ts'
import { fromBase64Url, toHex } from '../core/bytes.ts'
import { isWildgrassError, type ErrorCode } from '../core/errors.ts'
import type { SignatureVerifier } from '../core/keys.ts'
import { lookupBlob, type BlobStore } from './blob-store.ts'
import type { MetricsRegistry } from './metrics.ts'

/** Uploads per IP: a token bucket of 60 refilled at 30 a minute. */
export const BLOB_UPLOAD_BURST = 60
export const BLOB_UPLOADS_PER_MINUTE = 30
const MAX_BUCKETS = 10_000

export type BlobRefusal = 'rate' | 'token' | 'expired' | 'other-blob' | 'oversize' | 'size' | 'hash' | 'quota' | 'full'

export interface BlobRoutesInit {
  readonly store: BlobStore
  /** does this author (did:key) have standing here (archive-standing.ts)? */
  readonly standing: (author: string) => Promise<boolean>
  readonly registry?: MetricsRegistry
  readonly verifier?: SignatureVerifier
  readonly now?: () => number
}

export interface BlobRoutes {
  /** answers a request for /blob/…; false when the path is not one of ours */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean
}

const HASH = /^[0-9a-f]{64}$/
const NOT_AN_ADDRESS = 'not a blob address: /blob/<64 lowercase hex digits of SHA-256>'
const AUTH = /^Wildgrass-Blob ([A-Za-z0-9_-]{1,400})$/

/** Every blob response: inert bytes, readable by the app from any origin. */
const BLOB_HEADERS = {
  'Content-Type': 'application/octet-stream',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'Content-Disposition': 'attachment',
  'Cache-Control': 'public, max-age=31536000, immutable',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Access-Control-Allow-Origin': '*',
} as const

const CORS = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } as const

export function createBlobRoutes(init: BlobRoutesInit): BlobRoutes {
  const now = init.now ?? Date.now
  const buckets = createBuckets(now)
  const uploads = init.registry?.counter('wg_blob_uploads_total', 'Blob uploads accepted, by result (stored, held: the bytes were here already)')
  const refusals = init.registry?.counter('wg_blob_refusals_total', 'Blob uploads refused, by reason')
  init.registry?.collect('wg_blobs', 'Image blobs held', () => init.store.stats().blobs)
  init.registry?.collect('wg_blob_bytes', 'Bytes of image blobs held', () => init.store.stats().bytes)
  init.registry?.collect('wg_blob_cap_bytes', 'Relay-wide cap on bytes of blobs (--blob-cap-mb)', () => init.store.stats().capBytes)

  function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: BlobRefusal, message: string): void {
    refusals?.inc({ reason })
    text(req, res, status, message)
  }

  function serve(res: ServerResponse, req: IncomingMessage, sha256: string): void {
    const found = lookupBlob(init.store, sha256)
    if (!found.found) return found.reason === 'address' ? text(req, res, 400, NOT_AN_ADDRESS) : text(req, res, 404, 'no such blob')
    const { size } = found
    const etag = `"${sha256}"`
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ...BLOB_HEADERS, ETag: etag }).end()
    res.writeHead(200, { ...BLOB_HEADERS, ETag: etag, 'Content-Length': size })
    if (req.method === 'HEAD') return void res.end()
    res.end(init.store.get(sha256))
  }

  async function upload(req: IncomingMessage, res: ServerResponse, sha256: string): Promise<void> {
    if (!buckets.take(req.socket.remoteAddress ?? ''))
      return refuse(req, res, 429, 'rate', `E_RATE_LIMITED: at most ${BLOB_UPLOADS_PER_MINUTE} uploads a minute`)
    const auth = AUTH.exec(req.headers.authorization ?? '')
    if (auth === null) return refuse(req, res, 401, 'token', 'E_MALFORMED: Authorization: Wildgrass-Blob <token> expected')
    let token: BlobToken
    try {
      token = await openBlobToken(fromBase64Url(auth[1]!), { now: now(), ...(init.verifier ? { verifier: init.verifier } : {}) })
    } catch (err) {
      const code: ErrorCode = isWildgrassError(err) ? err.code : 'E_MALFORMED'
      if (code === 'E_OVERSIZE') return refuse(req, res, 413, 'oversize', `E_OVERSIZE: a blob is at most ${MAX_BLOB_BYTES} bytes`)
      const expired = code === 'E_TIMESTAMP_PAST' || code === 'E_TIMESTAMP_FUTURE'
      return refuse(
        req,
        res,
        401,
        expired ? 'expired' : 'token',
        `${code}: ${expired ? `token not within ${BLOB_TOKEN_MAX_AGE_MS / 60_000} minutes of the relay's clock` : 'token refused'}`,
      )
    }
    if (toHex(token.sha256) !== sha256) return refuse(req, res, 401, 'other-blob', 'E_HASH_MISMATCH: the token is for other bytes')
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length'])
    if (declared !== undefined && declared > MAX_BLOB_BYTES) return refuse(req, res, 413, 'oversize', `E_OVERSIZE: a blob is at most ${MAX_BLOB_BYTES} bytes`)
    if (declared !== undefined && declared !== token.size) return refuse(req, res, 422, 'size', 'E_HASH_MISMATCH: body length is not the token size')
    const body = await readBody(req, token.size)
    if (body === 'over') return refuse(req, res, 413, 'oversize', `E_OVERSIZE: a blob is at most ${MAX_BLOB_BYTES} bytes`)
    if (body === 'aborted') return
    if (body.length !== token.size) return refuse(req, res, 422, 'size', 'E_HASH_MISMATCH: body length is not the token size')
    if (createHash('sha256').update(body).digest('hex') !== sha256) return refuse(req, res, 422, 'hash', 'E_HASH_MISMATCH: body is not the bytes of this hash')
    const held = init.store.sizeOf(sha256) !== undefined
    const result = held ? 'held' : init.store.put(sha256, token.author, body, await init.standing(token.author))
    if (result === 'quota') return refuse(req, res, 429, 'quota', "E_QUOTA: this author's blobs fill their quota here")
    if (result === 'full') return refuse(req, res, 429, 'full', "E_QUOTA: the relay's blob storage is full")
    uploads?.inc({ result })
    text(req, res, result === 'stored' ? 201 : 200, result)
  }

  return {
    handle(req, res, path) {
      if (!path.startsWith('/blob/')) return false
      const sha256 = path.slice(6)
      if (req.method === 'OPTIONS') {
        // the CORS preflight of a PUT with Authorization from an app on another origin
        res.writeHead(204, {
          ...CORS,
          'Access-Control-Allow-Methods': 'GET, HEAD, PUT',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Max-Age': '86400',
        })
        res.end()
      } else if (req.method === 'GET' || req.method === 'HEAD') serve(res, req, sha256)
      else if (!HASH.test(sha256)) text(req, res, 400, NOT_AN_ADDRESS)
      else if (req.method === 'PUT')
        upload(req, res, sha256).catch(() => {
          if (!res.headersSent) text(req, res, 500, 'internal error')
          else res.destroy()
        })
      else {
        res.setHeader('Allow', 'GET, HEAD, PUT, OPTIONS')
        text(req, res, 405, 'method not allowed')
      }
      return true
    },
  }
}

/**
 * The body, at most `size` bytes kept; 'over' as soon as more than that arrives, whatever
 * the request claimed, so one request never makes the relay hold more than `size` ≤ 1 MiB.
 */
function readBody(req: IncomingMessage, size: number): Promise<Uint8Array | 'over' | 'aborted'> {
  return new Promise((resolve) => {
    const buffer = Buffer.allocUnsafe(size)
    let received = 0
    const onData = (chunk: Buffer): void => {
      if (received + chunk.length > size) {
        req.off('data', onData)
        // past 1 MiB: too large; within it but past the token's size: the wrong bytes (422)
        resolve(received + chunk.length > MAX_BLOB_BYTES ? 'over' : buffer.subarray(0, 0))
        return
      }
      chunk.copy(buffer, received)
      received += chunk.length
    }
    req.on('data', onData)
    req.once('end', () => resolve(buffer.subarray(0, received)))
    req.once('error', () => resolve('aborted'))
    req.once('close', () => resolve(req.complete ? buffer.subarray(0, received) : 'aborted'))
  })
}

/**
 * A short text answer. When the request's body was not read to its end, the connection is
 * closed after the answer: a client sending a large body is not read from any further.
 */
function text(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  const body = message + '\n'
  const unread = !req.complete
  res.writeHead(status, {
    ...CORS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    ...(unread ? { Connection: 'close' } : {}),
  })
  res.end(body)
  if (unread) res.once('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref())
}

/** Token buckets per client address; forgetting full ones when there are too many costs nothing. */
function createBuckets(now: () => number): { take(ip: string): boolean } {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refill = (b: { tokens: number; at: number }, t: number) => Math.min(BLOB_UPLOAD_BURST, b.tokens + ((t - b.at) * BLOB_UPLOADS_PER_MINUTE) / 60_000)
  return {
    take(ip) {
      const t = now()
      if (buckets.size >= MAX_BUCKETS && !buckets.has(ip)) {
        for (const [k, b] of buckets) if (refill(b, t) >= BLOB_UPLOAD_BURST) buckets.delete(k)
        if (buckets.size >= MAX_BUCKETS) buckets.clear()
      }
      const b = buckets.get(ip) ?? { tokens: BLOB_UPLOAD_BURST, at: t }
      b.tokens = refill(b, t)
      b.at = t
      buckets.set(ip, b)
      if (b.tokens < 1) return false
      b.tokens -= 1
      return true
    },
  }
}
