// Blobs over libp2p (/wildgrass/blob/1.0.0, protocol/blobs.md §7) from a real relay process: the
// bytes uploaded over HTTP come back over a stream, a blob it does not hold is E_UNAVAILABLE, a
// lying relay (the harness relay with a hostile handler) is caught by the hash and the next
// source is used, a peer past its streams is told busy, and a request never sent is hung up on.
import { createHash } from 'node:crypto'
import type { Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createBlobToken } from '../../src/core/blob-token.ts'
import { toBase64Url } from '../../src/core/bytes.ts'
import { isWildgrassError } from '../../src/core/errors.ts'
import { generateSecretKey } from '../../src/core/keys.ts'
import { fetchBlob, fetchBlobFromAny } from '../../src/net/blob-client.ts'
import { BLOB_PROTOCOL, BLOB_STREAMS_PER_PEER, encodeBlobRequest, encodeBlobResponse } from '../../src/net/blob-frames.ts'
import { createNode, type WildgrassNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { startTestRelay, type TestRelay } from '../support/net-harness.ts'
import { cleanupRelays, readMetric, startRelayProcess, type RelayProcess } from '../support/relay-process.ts'

const hashOf = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const author = generateSecretKey()
let relay: RelayProcess
let liar: TestRelay
let client: WildgrassNode
const photo = Uint8Array.from({ length: 1_048_576 }, (_, i) => (i * 7919) & 0xff)
const sha = hashOf(photo)

const relayPeer = () => peerIdFromString(relay.wsAddrs()[0]!.split('/p2p/')[1]!)
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: unknown) => (isWildgrassError(err) ? err.code : String(err)),
  )

beforeAll(async () => {
  relay = await startRelayProcess()
  const token = toBase64Url(createBlobToken(author, { sha256: Uint8Array.from(Buffer.from(sha, 'hex')), size: photo.length }).bytes)
  const put = await fetch(new URL(`/blob/${sha}`, relay.ready.http), {
    method: 'PUT',
    body: photo as BodyInit,
    headers: { Authorization: `Wildgrass-Blob ${token}` },
  })
  expect(put.status).toBe(201)
  // a relay that answers every request with bytes of its own
  liar = await startTestRelay({
    net: {
      async serveBlobs(stream: Stream) {
        const lp = lpStream(stream)
        await lp.read()
        await lp.write(encodeBlobResponse({ status: 'found', bytes: new Uint8Array(1000).fill(6) }))
        await stream.close()
      },
    },
  })
  client = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  await client.dial(multiaddr(relay.wsAddrs()[0]!))
  await client.dial(multiaddr(liar.addr))
}, 60_000)

afterAll(async () => {
  await client?.stop()
  await liar?.stop()
  await cleanupRelays()
})

it('serves over libp2p the 1 MiB it took over HTTP, checked against its hash; a blob it lacks is E_UNAVAILABLE', async () => {
  const got = await fetchBlob(client, relayPeer(), sha)
  expect(got.length).toBe(photo.length)
  expect(Buffer.from(got).equals(photo)).toBe(true)
  expect(await codeOf(fetchBlob(client, relayPeer(), hashOf(new Uint8Array([1, 2, 3]))))).toBe('E_UNAVAILABLE')
  expect(await codeOf(fetchBlob(client, relayPeer(), 'not-a-hash'))).toBe('E_MALFORMED')
  expect(await readMetric(relay, 'wg_blob_stream_requests_total{result="found"}')).toBe(1)
  expect(await readMetric(relay, 'wg_blob_stream_requests_total{result="absent"}')).toBe(1)
})

it('other bytes for the hash are E_HASH_MISMATCH, and fetching from any moves past the liar to the relay that has it', async () => {
  expect(await codeOf(fetchBlob(client, liar.node.peerId, sha))).toBe('E_HASH_MISMATCH')
  expect(hashOf(await fetchBlobFromAny(client, [liar.node.peerId, relayPeer()], sha))).toBe(sha)
  expect(await codeOf(fetchBlobFromAny(client, [liar.node.peerId], sha))).toBe('E_UNAVAILABLE')
})

it(`a peer holding ${BLOB_STREAMS_PER_PEER} streams open without asking is told busy on the next; an unsent request is hung up on after 5 s`, async () => {
  const idle: Stream[] = []
  for (let i = 0; i < BLOB_STREAMS_PER_PEER; i++) idle.push(await client.dialProtocol(relayPeer(), BLOB_PROTOCOL))
  // the relay counts a stream when its handler runs: wait until it has them all
  await expect.poll(() => readMetric(relay, 'wg_blob_streams_active'), { timeout: 5_000 }).toBe(BLOB_STREAMS_PER_PEER)
  expect(await codeOf(fetchBlob(client, relayPeer(), sha))).toBe('E_RATE_LIMITED')
  const started = Date.now()
  const closed = await Promise.all(
    idle.map((s) => new Promise<number>((resolve) => s.addEventListener('close', () => resolve(Date.now() - started), { once: true }))),
  )
  expect(Math.max(...closed)).toBeLessThan(8_000)
  expect(await readMetric(relay, 'wg_blob_streams_active')).toBe(0)
  expect(hashOf(await fetchBlob(client, relayPeer(), sha))).toBe(sha)
  // a request longer than a hash: the stream is reset, nothing is served
  const s = await client.dialProtocol(relayPeer(), BLOB_PROTOCOL)
  const lp = lpStream(s)
  await lp.write(new Uint8Array([...encodeBlobRequest(sha), 0]))
  await expect(lp.read({ signal: AbortSignal.timeout(5_000) })).rejects.toThrow()
}, 30_000)
