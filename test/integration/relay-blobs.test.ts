// Image blobs on a real relay process over real HTTP (protocol/blobs.md, src/relay/blob-http.ts):
// uploads with signed tokens, the headers that keep attacker-chosen bytes inert on the app's
// origin, every refusal with its status, the per-author quota by standing, and GET latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { createBlobToken } from '../../src/core/blob-token.ts'
import { toBase64Url } from '../../src/core/bytes.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import { generateSecretKey, getPublicKey } from '../../src/core/keys.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { cleanupRelays, readMetric, startRelayProcess, type RelayProcess } from '../support/relay-process.ts'

const MiB = 1024 * 1024
const hashOf = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const bytesOfHash = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'))
let counter = 0
/** distinct bytes of `size` */
const blob = (size: number): Uint8Array => {
  const b = new Uint8Array(size)
  for (let i = 0; i < size; i += 4096) b[i] = (i / 4096 + counter) & 0xff
  new DataView(b.buffer).setUint32(0, ++counter)
  return b
}
const tokenFor = (secret: SecretKey, b: Uint8Array, over: { sha256?: Uint8Array; ts?: number; now?: number } = {}) =>
  toBase64Url(
    createBlobToken(
      secret,
      { sha256: over.sha256 ?? bytesOfHash(hashOf(b)), size: b.length, ...(over.ts ? { ts: over.ts } : {}) },
      over.now ? { now: over.now } : {},
    ).bytes,
  )

let relay: RelayProcess
const seed = generateSecretKey()
const url = (path: string) => new URL(path, relay.ready.http)
const put = (hash: string, body: Uint8Array, token: string | undefined) =>
  fetch(url(`/blob/${hash}`), { method: 'PUT', body: body as BodyInit, headers: token === undefined ? {} : { Authorization: `Wildgrass-Blob ${token}` } })
const upload = (secret: SecretKey, b: Uint8Array) => put(hashOf(b), b, tokenFor(secret, b))

beforeAll(async () => {
  relay = await startRelayProcess({ args: ['--seed', encodeDidKey(getPublicKey(seed))] })
})
afterAll(cleanupRelays)

describe('blobs on a relay', () => {
  it('stores an upload (201), serves the same bytes with inert headers, answers HEAD, 200 for a second upload', async () => {
    const alice = generateSecretKey()
    const b = blob(300_000)
    const hash = hashOf(b)
    const res = await upload(alice, b)
    expect(res.status, await res.clone().text()).toBe(201)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const got = await fetch(url(`/blob/${hash}`))
    expect(got.status).toBe(200)
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(b)
    const headers = Object.fromEntries(got.headers)
    expect(headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'content-disposition': 'attachment',
      'cache-control': 'public, max-age=31536000, immutable',
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      'content-length': String(b.length),
    })
    const head = await fetch(url(`/blob/${hash}`), { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(b.length))
    expect(head.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")
    expect((await head.arrayBuffer()).byteLength).toBe(0)
    expect((await upload(generateSecretKey(), b)).status).toBe(200)
    expect(await readMetric(relay, 'wg_blobs')).toBe(1)
    expect(await readMetric(relay, 'wg_blob_bytes')).toBe(b.length)
  })

  it('404 for a blob it does not hold (GET and HEAD), 400 for a path that is no SHA-256, 204 for a CORS preflight', async () => {
    const missing = hashOf(blob(10))
    expect((await fetch(url(`/blob/${missing}`))).status).toBe(404)
    expect((await fetch(url(`/blob/${missing}`), { method: 'HEAD' })).status).toBe(404)
    for (const bad of [missing.toUpperCase(), missing.slice(1), `${missing}0`, '%2e%2e%2Findex.html', ''])
      expect((await fetch(url(`/blob/${bad}`))).status, bad).toBe(400)
    expect((await put('xyz', blob(10), undefined)).status).toBe(400)
    const pre = await fetch(url(`/blob/${missing}`), {
      method: 'OPTIONS',
      headers: { Origin: 'https://mirror.example', 'Access-Control-Request-Method': 'PUT' },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/PUT/)
  })

  it('422 for a body that is not the bytes of its hash; 401 for a bad signature, an expired token, a token for other bytes, none', async () => {
    const alice = generateSecretKey()
    const b = blob(2000)
    const other = blob(2000)
    // token and path name b, the body is other bytes of the same size
    expect((await put(hashOf(b), other, tokenFor(alice, b))).status).toBe(422)
    const token = Buffer.from(tokenFor(alice, b), 'base64url')
    token[token.length - 1]! ^= 1
    const bad = await put(hashOf(b), b, token.toString('base64url'))
    expect(bad.status).toBe(401)
    expect(await bad.text()).toMatch(/E_BAD_SIGNATURE/)
    const old = Date.now() - 11 * 60_000
    const expired = await put(hashOf(b), b, tokenFor(alice, b, { ts: old, now: old }))
    expect(expired.status).toBe(401)
    expect(await expired.text()).toMatch(/E_TIMESTAMP_PAST/)
    // a valid token for `other`, used to upload b under b's address
    expect((await put(hashOf(b), b, tokenFor(alice, other))).status).toBe(401)
    expect((await put(hashOf(b), b, undefined)).status).toBe(401)
    expect((await fetch(url(`/blob/${hashOf(b)}`))).status).toBe(404)
    expect(await readMetric(relay, 'wg_blob_refusals_total{reason="hash"}')).toBe(1)
  })

  it('413 for a body over 1 MiB: at once for a Content-Length, and mid-stream for a chunked body, without reading it all', async () => {
    const alice = generateSecretKey()
    const b = blob(MiB)
    const token = tokenFor(alice, b)
    const declared = await rawPut(hashOf(b), token, { contentLength: 64 * MiB, total: 64 * MiB })
    expect([413, 0]).toContain(declared.status)
    expect(declared.sent).toBeLessThan(16 * MiB)
    const chunked = await rawPut(hashOf(b), token, { total: 64 * MiB })
    expect([413, 0]).toContain(chunked.status)
    expect(chunked.sent).toBeLessThan(32 * MiB)
    // nothing of it was stored
    expect((await fetch(url(`/blob/${hashOf(b)}`))).status).toBe(404)
  })

  it('an author without standing is refused past 20 MiB (429) while a seeded author still uploads', async () => {
    const newcomer = generateSecretKey()
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) statuses.push((await upload(newcomer, blob(MiB))).status)
    expect(statuses.slice(0, 20)).toEqual(new Array(20).fill(201))
    expect(statuses[20]).toBe(429)
    expect((await upload(seed, blob(MiB))).status).toBe(201)
    expect(await readMetric(relay, 'wg_blob_refusals_total{reason="quota"}')).toBe(1)
  })
})

/** A PUT through node:http that writes `total` bytes in 1 MiB chunks until the relay answers (or hangs up: status 0); how much went out by then. */
function rawPut(hash: string, token: string, o: { contentLength?: number; total: number }): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const u = url(`/blob/${hash}`)
    const headers: Record<string, string | number> = { Authorization: `Wildgrass-Blob ${token}` }
    if (o.contentLength !== undefined) headers['Content-Length'] = o.contentLength
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'PUT', headers })
    let sent = 0
    let answered = false
    req.once('response', (res) => {
      answered = true
      res.resume()
      resolve({ status: res.statusCode ?? 0, sent })
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (answered) return
      // the relay answered 413 and closed while we were still writing: the socket fails before
      // the answer is read (status 0: cut off), which is as much a refusal
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') resolve({ status: 0, sent })
      else reject(err)
    })
    const chunk = new Uint8Array(MiB).fill(1)
    const write = (): void => {
      while (!answered && sent < o.total) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', write)
      }
      if (!answered) req.end()
    }
    write()
  })
}
