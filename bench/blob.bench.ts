// Fetching a photo's blob from a relay process on loopback (protocol/blobs.md): one 1 MiB blob
// uploaded with a signed token, then fetched 50 times over HTTP as the app does (a new request
// each time, no HTTP cache) and its SHA-256 checked. Prints p50 and p95; asserts nothing.
// Run: ./node_modules/.bin/node bench/blob.bench.ts
import { createHash, randomBytes } from 'node:crypto'
import { base64urlnopad } from '@scure/base'
import { createBlobToken } from '../src/core/blob-token.ts'
import { generateSecretKey } from '../src/core/keys.ts'
import { cleanupRelays, startRelayProcess } from '../test/support/relay-process.ts'
import { percentile, recordResults } from './lib/results.ts'

const RUNS = 50
const relay = await startRelayProcess({})
try {
  const bytes = new Uint8Array(randomBytes(1_048_576))
  const sha = createHash('sha256').update(bytes).digest()
  const token = createBlobToken(generateSecretKey(), { sha256: sha, size: bytes.length })
  const url = `${relay.ready.http.replace(/\/$/, '')}/blob/${sha.toString('hex')}`
  const put = await fetch(url, { method: 'PUT', body: bytes, headers: { authorization: `Wildgrass-Blob ${base64urlnopad.encode(token.bytes)}` } })
  if (put.status !== 201) throw new Error(`upload refused: ${put.status} ${await put.text()}`)
  const ms: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    const got = new Uint8Array(await (await fetch(url, { cache: 'no-store' })).arrayBuffer())
    if (createHash('sha256').update(got).digest('hex') !== sha.toString('hex')) throw new Error('the relay served other bytes')
    ms.push(performance.now() - t0)
  }
  recordResults({ 'media.blob_fetch_ms.p50': percentile(ms, 50), 'media.blob_fetch_ms.p95': percentile(ms, 95) })
} finally {
  await relay.stop()
  await cleanupRelays()
}
