// /metrics and the full /healthz answer the machine itself, or a scraper with the operator's
// token; anyone else gets 404 and a bare {"ok":…} (src/relay/private-endpoints.ts).
import type { IncomingMessage } from 'node:http'
import { request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHttpServer } from '../../../src/relay/http-server.ts'
import { isLoopbackAddress, mayReadPrivate } from '../../../src/relay/private-endpoints.ts'
import { readTextResponse } from '../../support/http-response.ts'

const TOKEN = 'a-long-random-token-0123456789'
const from = (remoteAddress: string, authorization?: string): IncomingMessage =>
  ({ socket: { remoteAddress }, headers: authorization === undefined ? {} : { authorization } }) as unknown as IncomingMessage

describe('private endpoints', () => {
  it('knows loopback in every form Node reports it', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true)
    for (const a of ['192.0.2.7', '::ffff:192.0.2.7', '2001:db8::1', '0.0.0.0', undefined]) expect(isLoopbackAddress(a), String(a)).toBe(false)
  })

  it('lets others in only with the exact bearer token, and never without a token configured', () => {
    expect(mayReadPrivate(from('192.0.2.7'), TOKEN)).toBe(false)
    expect(mayReadPrivate(from('192.0.2.7', `Bearer ${TOKEN}`), TOKEN)).toBe(true)
    expect(mayReadPrivate(from('192.0.2.7', `Bearer ${TOKEN}x`), TOKEN)).toBe(false)
    expect(mayReadPrivate(from('192.0.2.7', TOKEN), TOKEN)).toBe(false)
    expect(mayReadPrivate(from('192.0.2.7', 'Bearer '), undefined)).toBe(false)
    expect(mayReadPrivate(from('127.0.0.1'), undefined)).toBe(true)
  })

  it('the relay HTTP server answers loopback with the metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-private-'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html>')
    const server = createHttpServer({
      appDir: dir,
      host: '127.0.0.1',
      port: 0,
      health: () => ({ ok: true, peers: 3 }),
      metrics: () => 'wg_peers 3\n',
      metricsToken: TOKEN,
    })
    await server.start()
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        request({ host: '127.0.0.1', port: server.port, path }, (res) => {
          readTextResponse(res).then(resolve, reject)
        })
          .on('error', reject)
          .end()
      })
    try {
      expect(await get('/metrics')).toMatchObject({ status: 200, body: 'wg_peers 3\n' })
      expect(JSON.parse((await get('/healthz')).body)).toEqual({ ok: true, peers: 3 })
    } finally {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
