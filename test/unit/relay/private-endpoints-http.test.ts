// /metrics is for the relay's own machine or the operator's token (src/relay/private-endpoints.ts):
// a real HTTP server on all interfaces, asked from loopback and from the machine's other address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHttpServer, type RelayHttpServer } from '../../../src/relay/http-server.ts'
import { readTextResponse } from '../../support/http-response.ts'

const TOKEN = 'a-token-of-24-characters'
let dir: string
let server: RelayHttpServer
/** an IPv4 address of this machine that is not loopback: requests from it are not local */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address

function get(host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port: server.port, path: '/metrics', headers, localAddress: host }, (res) => {
      readTextResponse(res).then(resolve, reject)
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wg-metrics-'))
  server = createHttpServer({
    appDir: dir,
    host: '0.0.0.0',
    port: 0,
    health: () => ({ ok: true }),
    metrics: () => 'wg_connected_peers 3\n',
    metricsToken: TOKEN,
  })
  await server.start()
})

afterAll(async () => {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('who may read /metrics', () => {
  it('loopback may; a request through a proxy on this machine may not', async () => {
    expect(await get('127.0.0.1')).toMatchObject({ status: 200, body: 'wg_connected_peers 3\n' })
    expect((await get('127.0.0.1', { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(404)
    expect((await get('127.0.0.1', { Forwarded: 'for=203.0.113.9' })).status).toBe(404)
  })

  it.runIf(outside !== undefined)('another address gets 404 without the token, or with a wrong one, and the metrics with it', async () => {
    expect((await get(outside!)).status).toBe(404)
    expect((await get(outside!, { Authorization: 'Bearer a-token-of-24-characterX' })).status).toBe(404)
    expect((await get(outside!, { Authorization: `Bearer ${TOKEN}` })).body).toBe('wg_connected_peers 3\n')
  })
})
