// The blob routes (src/relay/blob-http.ts) in-process with an injected clock: the per-IP upload
// rate (token bucket, burst 60, 30 a minute) and the metrics of refusals.
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import { BLOB_UPLOAD_BURST, createBlobRoutes } from '../../../src/relay/blob-http.ts'
import { createBlobStore } from '../../../src/relay/blob-store.ts'
import { createMetricsRegistry } from '../../../src/relay/metrics.ts'

let server: Server | undefined
afterEach(() => server?.close())

async function start() {
  const clock = { t: Date.now() }
  const registry = createMetricsRegistry()
  const routes = createBlobRoutes({ store: createBlobStore(new DatabaseSync(':memory:')), standing: async () => false, registry, now: () => clock.t })
  server = createServer((req, res) => {
    if (!routes.handle(req, res, (req.url ?? '/').split('?')[0]!)) res.writeHead(404).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { clock, registry, base }
}

describe('blob routes', () => {
  it('refuses uploads past the per-IP burst with 429, and takes them again as the bucket refills', async () => {
    const { clock, registry, base } = await start()
    const put = () => fetch(`${base}/blob/${'a'.repeat(64)}`, { method: 'PUT', body: 'x' }).then((r) => r.status)
    for (let i = 0; i < BLOB_UPLOAD_BURST; i++) expect(await put()).toBe(401) // no token: but counted
    expect(await put()).toBe(429)
    clock.t += 2_000 // one more upload a 2 s
    expect(await put()).toBe(401)
    expect(await put()).toBe(429)
    expect(registry.render()).toMatch(/wg_blob_refusals_total\{reason="rate"\} 2/)
    // fetching is not rate-limited
    expect((await fetch(`${base}/blob/${'a'.repeat(64)}`)).status).toBe(404)
    expect((await fetch(`${base}/blob/nope`, { method: 'DELETE' })).status).toBe(400)
    expect((await fetch(`${base}/blob/${'a'.repeat(64)}`, { method: 'DELETE' })).status).toBe(405)
  })
})
