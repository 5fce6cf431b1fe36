import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHttpServer, type RelayHttpServer } from '../../../src/relay/http-server.ts'
import { resolveRequestPath } from '../../../src/relay/static-files.ts'
import { readTextResponse } from '../../support/http-response.ts'

let dir: string
let server: RelayHttpServer

/** Raw request (fetch would normalise `..` away before sending). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      readTextResponse(res).then(resolve, reject)
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wg-http-'))
  const app = join(dir, 'dist')
  mkdirSync(join(app, 'assets'), { recursive: true })
  mkdirSync(join(app, 'empty'))
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>wg</title>')
  writeFileSync(join(app, 'assets', 'index-BxY12abc.js'), 'console.log(1)')
  writeFileSync(join(app, 'assets', 'automerge_wasm_bg-Cq3dEf90.wasm'), new Uint8Array([0, 97, 115, 109]))
  writeFileSync(join(app, 'manifest.webmanifest'), '{}')
  writeFileSync(join(app, 'sw.js'), '//sw')
  writeFileSync(join(app, '.env'), 'SECRET=1')
  writeFileSync(join(dir, 'outside.txt'), 'outside')
  symlinkSync(join(dir, 'outside.txt'), join(app, 'link.txt'))
  server = createHttpServer({
    appDir: app,
    host: '127.0.0.1',
    port: 0,
    health: () => ({ ok: true, peers: 3, uptime: 1 }),
    metrics: () => 'wg_peers 3\n',
    relayInfo: () => ({ multiaddrs: ['/ip4/127.0.0.1/tcp/9/ws/p2p/12D3KooWtest'], key: 'did:key:z6Mktest' }),
  })
  await server.start()
})

afterAll(async () => {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('relay HTTP server', () => {
  it('tells the app it serves where its libp2p listeners are (/relay.json)', async () => {
    const r = await get('/relay.json')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(r.headers['cache-control']).toBe('no-store')
    expect(JSON.parse(r.body)).toEqual({ multiaddrs: ['/ip4/127.0.0.1/tcp/9/ws/p2p/12D3KooWtest'], key: 'did:key:z6Mktest' })
  })

  it('serves index.html uncached with a strict CSP', async () => {
    const r = await get('/')
    expect(r.status).toBe(200)
    expect(r.body).toContain('<title>wg</title>')
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(r.headers['cache-control']).toBe('no-cache')
    const csp = String(r.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toContain("'unsafe-inline'")
    expect(csp).not.toContain("'unsafe-eval'")
    expect(r.headers['x-content-type-options']).toBe('nosniff')
  })

  it('serves hashed assets as immutable with the right MIME types', async () => {
    const js = await get('/assets/index-BxY12abc.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const wasm = await get('/assets/automerge_wasm_bg-Cq3dEf90.wasm')
    expect(wasm.headers['content-type']).toBe('application/wasm')
    expect((await get('/manifest.webmanifest')).headers['content-type']).toBe('application/manifest+json; charset=utf-8')
    const sw = await get('/sw.js')
    expect(sw.headers['cache-control']).toBe('no-cache')
    const head = await get('/', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('never lists directories, serves no dotfiles, and guards path traversal', async () => {
    for (const path of [
      '/empty',
      '/empty/',
      '/.env',
      '/../outside.txt',
      '/assets/../../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets%2f..%2f..%2foutside.txt',
      '/..%5coutside.txt',
      '/link.txt',
      '/nope.js',
      '/%E0%A4%A',
    ]) {
      const r = await get(path)
      expect(r.status, path).toBe(404)
      expect(r.body, path).not.toContain('outside')
      expect(r.body, path).not.toContain('SECRET')
    }
    expect((await get('/', 'POST')).status).toBe(405)
  })

  it('answers /healthz as JSON and /metrics as Prometheus text', async () => {
    const h = await get('/healthz')
    expect(h.status).toBe(200)
    expect(JSON.parse(h.body)).toEqual({ ok: true, peers: 3, uptime: 1 })
    const m = await get('/metrics')
    expect(m.headers['content-type']).toContain('text/plain; version=0.0.4')
    expect(m.body).toBe('wg_peers 3\n')
  })

  it('resolves request paths strictly', () => {
    expect(resolveRequestPath('/a/b.js?x=1#y')).toBe('/a/b.js')
    expect(resolveRequestPath('/%E4%B8%AD.txt')).toBe('/中.txt')
    expect(resolveRequestPath('/.well-known/x')).toBe('/.well-known/x')
    for (const bad of ['a', '/a/../b', '/./a', '/a%00', '/a\\b', '/%2e%2e/x', '/.git/config']) expect(resolveRequestPath(bad), bad).toBeUndefined()
  })
})
