// Fetching a photo's blob from a relay process on loopback (protocol/blobs.md): one 1 MiB blob
// uploaded with a signed token, then fetched 50 times over HTTP as the app does (a new request
// each time, no HTTP cache) and its SHA-256 checked; then 50 times over libp2p
// (/wildgrass/blob/1.0.0, §7: a new stream each time on one WebSocket connection, hash checked by
// fetchBlob). Prints p50 and p95; asserts nothing.
// Run: ./node_modules/.bin/node bench/blob.bench.ts
import { createHash, randomBytes } from 'node:crypto'
import { base64urlnopad } from '@scure/base'
import { createBlobToken } from '../src/core/blob-token.ts'
import { generateSecretKey } from '../src/core/keys.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { fetchBlob } from '../src/net/blob-client.ts'
import { createNode } from '../src/net/node.ts'
import { generatePeerKey } from '../src/net/peer-key.ts'
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

  const addr = relay.wsAddrs()[0]!
  const node = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  try {
    await node.dial(multiaddr(addr))
    const relayId = peerIdFromString(addr.split('/p2p/')[1]!)
    const overLibp2p: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now()
      await fetchBlob(node, relayId, sha.toString('hex'))
      overLibp2p.push(performance.now() - t0)
    }
    recordResults({ 'media.blob_fetch_ms.libp2p.p50': percentile(overLibp2p, 50), 'media.blob_fetch_ms.libp2p.p95': percentile(overLibp2p, 95) })
  } finally {
    await node.stop()
  }
} finally {
  await relay.stop()
  await cleanupRelays()
}
