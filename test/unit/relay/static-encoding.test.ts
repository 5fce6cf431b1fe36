// Precompressed siblings (<file>.br, <file>.gz, written at build time) served by content
// negotiation: the right bytes, length, encoding, validator, Vary and caching for each client,
// HEAD included, against a fixture directory of real files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHttpServer, type RelayHttpServer } from '../../../src/relay/http-server.ts'
import { chooseEncoding } from '../../../src/relay/content-encoding.ts'

let dir: string
let server: RelayHttpServer
const JS = 'export const greeting = "野草";\n'.repeat(200)
const HTML = '<!doctype html><title>wg</title>' + '<p>野火烧不尽</p>'.repeat(100)
const WASM = new Uint8Array(4096).map((_, i) => i % 7)

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wg-enc-'))
  const app = join(dir, 'dist')
  mkdirSync(join(app, 'assets'), { recursive: true })
  const write = (path: string, body: string | Uint8Array, siblings: Array<'br' | 'gz'>) => {
    writeFileSync(join(app, path), body)
    if (siblings.includes('br')) writeFileSync(join(app, path + '.br'), brotliCompressSync(body))
    if (siblings.includes('gz')) writeFileSync(join(app, path + '.gz'), gzipSync(body))
  }
  write('index.html', HTML, ['br', 'gz'])
  write('assets/index-BxY12abc.js', JS, ['br', 'gz'])
  write('assets/automerge_wasm_bg-Cq3dEf90.wasm', WASM, ['gz'])
  write('icon-192.png', new Uint8Array([137, 80, 78, 71]), [])
  write('sw.js', '//sw\n'.repeat(50), ['br', 'gz'])
  // a sibling that leads outside the app directory is never served
  writeFileSync(join(app, 'manifest.webmanifest'), '{}')
  writeFileSync(join(dir, 'outside.br'), 'outside')
  symlinkSync(join(dir, 'outside.br'), join(app, 'manifest.webmanifest.br'))
  server = createHttpServer({ appDir: app, host: '127.0.0.1', port: 0, health: () => ({}), metrics: () => '' })
  await server.start()
})

afterAll(async () => {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('precompressed app files', () => {
  it('sends brotli to a browser, with its own length, ETag and Vary; hashed assets stay immutable', async () => {
    const r = await get('/assets/index-BxY12abc.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' })
    expect(r.status).toBe(200)
    expect(r.headers['content-encoding']).toBe('br')
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(r.headers.vary).toBe('Accept-Encoding')
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(Number(r.headers['content-length'])).toBe(r.body.length)
    expect(r.body.length).toBeLessThan(JS.length / 10)
    expect(brotliDecompressSync(r.body).toString()).toBe(JS)
    expect(String(r.headers.etag)).toMatch(/^"[0-9a-z]+-[0-9a-z]+-br"$/)
  })

  it('sends gzip to a client that takes only gzip (the wasm too), and identity to one that says nothing', async () => {
    const gz = await get('/assets/automerge_wasm_bg-Cq3dEf90.wasm', { 'Accept-Encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.headers['content-type']).toBe('application/wasm')
    expect(new Uint8Array(gunzipSync(gz.body))).toEqual(WASM)
    const plain = await get('/assets/index-BxY12abc.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers.vary).toBe('Accept-Encoding') // a shared cache must not hand this to a browser as the only copy
    expect(plain.body.toString()).toBe(JS)
    expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(JS))
    const br = await get('/assets/index-BxY12abc.js', { 'Accept-Encoding': 'br' })
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3)
  })

  it('weighs q-values, refuses nothing it can send, and answers 406 only when everything is refused', async () => {
    expect((await get('/index.html', { 'Accept-Encoding': 'br;q=0.5, gzip;q=0.9' })).headers['content-encoding']).toBe('gzip')
    expect((await get('/index.html', { 'Accept-Encoding': 'br;q=0, gzip;q=0' })).headers['content-encoding']).toBeUndefined()
    expect((await get('/index.html', { 'Accept-Encoding': '*' })).headers['content-encoding']).toBe('br')
    expect((await get('/icon-192.png', { 'Accept-Encoding': 'br' })).headers.vary).toBeUndefined() // no siblings: no variants
    expect((await get('/index.html', { 'Accept-Encoding': 'identity;q=0, *;q=0' })).status).toBe(406)
    expect((await get('/index.html', { 'Accept-Encoding': 'gzip;q=0, identity;q=0' })).status).toBe(406) // br was not named
    expect((await get('/index.html', { 'Accept-Encoding': 'gzip;q=0, identity;q=0, br' })).headers['content-encoding']).toBe('br')
  })

  it('revalidates index.html and sw.js: no-cache, 304 for a matching ETag of the same encoding only', async () => {
    const first = await get('/', { 'Accept-Encoding': 'br' })
    expect(first.headers['content-encoding']).toBe('br')
    expect(first.headers['cache-control']).toBe('no-cache')
    expect(brotliDecompressSync(first.body).toString()).toBe(HTML)
    const again = await get('/', { 'Accept-Encoding': 'br', 'If-None-Match': String(first.headers.etag) })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    expect((await get('/', { 'Accept-Encoding': 'gzip', 'If-None-Match': String(first.headers.etag) })).status).toBe(200)
    expect((await get('/sw.js', { 'Accept-Encoding': 'gzip' })).headers['cache-control']).toBe('no-cache')
  })

  it('answers HEAD with the headers of the GET it stands for and no body', async () => {
    const head = await get('/assets/index-BxY12abc.js', { 'Accept-Encoding': 'br' }, 'HEAD')
    const body = await get('/assets/index-BxY12abc.js', { 'Accept-Encoding': 'br' })
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
    for (const h of ['content-length', 'content-encoding', 'etag', 'vary', 'content-type', 'cache-control']) expect(head.headers[h], h).toBe(body.headers[h])
  })

  it('never serves a sibling that leads outside the app directory', async () => {
    const r = await get('/manifest.webmanifest', { 'Accept-Encoding': 'br' })
    expect(r.headers['content-encoding']).toBeUndefined()
    expect(r.body.toString()).toBe('{}')
  })

  it('parses Accept-Encoding strictly', () => {
    expect(chooseEncoding(undefined, ['br', 'gzip', 'identity'])).toBe('identity')
    expect(chooseEncoding('', ['br', 'identity'])).toBe('identity')
    expect(chooseEncoding('x-gzip', ['gzip', 'identity'])).toBe('gzip')
    expect(chooseEncoding('BR', ['br', 'identity'])).toBe('br')
    expect(chooseEncoding('br;q=2', ['br', 'identity'])).toBe('identity') // a malformed weight counts as 0
    expect(chooseEncoding('br;q=0.001', ['br', 'identity'])).toBe('br') // named beats implicit identity
    expect(chooseEncoding('br;q=0.5, identity', ['br', 'identity'])).toBe('identity') // explicit identity;q=1 wins
    expect(chooseEncoding('gzip, br', ['gzip', 'identity'])).toBe('gzip')
    expect(chooseEncoding(['gzip', 'br'], ['br', 'gzip', 'identity'])).toBe('br')
  })
})
