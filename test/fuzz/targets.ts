// The decoders the fuzzer feeds, each with a corpus of valid inputs of every shape.
import { createBlobToken, decodeBlobToken } from '../../src/core/blob-token.ts'
import { createEvent } from '../../src/core/event-create.ts'
import { decodeEvent } from '../../src/core/event-decode.ts'
import { decodeChangeEnvelope, signChange } from '../../src/core/feed-envelope.ts'
import { createInvite, decodeInvite, inviteBytesOf } from '../../src/core/invite.ts'
import { createReleaseManifest, decodeReleaseManifest } from '../../src/core/release-manifest.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { decodeBlobRequest, decodeBlobResponse, encodeBlobRequest, encodeBlobResponse } from '../../src/net/blob-frames.ts'
import { chooseEncoding } from '../../src/relay/content-encoding.ts'
import { resolveRequestPath } from '../../src/relay/static-files.ts'
import type { FuzzTarget } from './fuzz-engine.ts'
import { buildPrivateTargets } from './private-targets.ts'
import { buildReconcileTargets } from './reconcile-targets.ts'

export const FUZZ_NOW = Date.UTC(2026, 0, 15, 12)

export function buildTargets(): FuzzTarget[] {
  const alice = new Uint8Array(32).fill(11) as SecretKey
  const bob = new Uint8Array(32).fill(12) as SecretKey
  const ev = (draft: Parameters<typeof createEvent>[1], who = alice) => createEvent(who, draft, { now: FUZZ_NOW })
  const root = ev({ kind: 'post', body: { text: 'root #fuzz', lang: 'en' } })
  const events = [
    root,
    ev({
      kind: 'post',
      body: {
        text: '野火烧不尽 🌱 #野草\n第二行',
        reply: { root: root.id, parent: root.id },
        quote: root.id,
        mentions: [root.author],
        cw: '剧透',
        lang: 'zh-Hans',
      },
    }),
    ev({ kind: 'reaction', body: { target: root.id, emoji: '👍🏽' } }, bob),
    ev({ kind: 'repost', body: { target: root.id } }, bob),
  ]
  const envelopes = [
    signChange(
      alice,
      Uint8Array.from({ length: 40 }, (_, i) => i),
    ),
    signChange(bob, new Uint8Array([0x85, 0x6f])),
  ]
  const invites = [
    createInvite(
      alice,
      { relays: ['/dns4/relay.example/tcp/443/wss', '/ip4/127.0.0.1/tcp/9090/ws'], name: '小明', community: '野草园' },
      'https://a.example/',
      { now: FUZZ_NOW },
    ),
    createInvite(bob, { relays: ['/ip6/::1/udp/4001/webrtc-direct'], name: 'Bob' }, 'https://a.example/', { now: FUZZ_NOW }),
  ].map(inviteBytesOf)
  const utf8 = (text: string) => new TextEncoder().encode(text)
  const releases = [
    createReleaseManifest(alice, {
      version: '0.1.0',
      seq: 1764000000,
      files: [
        { path: 'index.html', bytes: utf8('<!doctype html>') },
        { path: 'sw.js', bytes: utf8('self') },
        { path: 'assets/index-B0oPgnfO.js', bytes: utf8('console.log(1)') },
        { path: 'assets/automerge-LjMxZKTS.wasm', bytes: new Uint8Array(3) },
      ],
    }),
    createReleaseManifest(bob, {
      version: '2.0.0-rc.1',
      seq: 1,
      files: [
        { path: 'index.html', bytes: new Uint8Array(0) },
        { path: 'sw.js', bytes: new Uint8Array(1) },
      ],
    }),
  ]
  const blobTokens = [
    createBlobToken(alice, { sha256: new Uint8Array(32).fill(7), size: 1000 }, { now: FUZZ_NOW }),
    createBlobToken(bob, { sha256: new Uint8Array(32).fill(8), size: 1_048_576, ts: FUZZ_NOW - 60_000 }, { now: FUZZ_NOW }),
  ]
  return [
    { name: 'decodeBlobToken', corpus: blobTokens.map((t) => t.bytes), decode: (b) => decodeBlobToken(b, { now: FUZZ_NOW }) },
    // /wildgrass/blob/1.0.0 frames (protocol/blobs.md §7): the request a relay reads, the answer a client reads
    { name: 'decodeBlobRequest', corpus: [encodeBlobRequest('ab'.repeat(32))], decode: (b) => decodeBlobRequest(b) },
    {
      name: 'decodeBlobResponse',
      corpus: [
        encodeBlobResponse({ status: 'found', bytes: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff) }),
        encodeBlobResponse({ status: 'absent' }),
        encodeBlobResponse({ status: 'busy' }),
      ],
      decode: (b) => decodeBlobResponse(b),
    },
    { name: 'decodeReleaseManifest', corpus: releases.map((r) => r.bytes), decode: (b) => decodeReleaseManifest(b) },
    { name: 'decodeEvent', corpus: events.map((e) => e.bytes), decode: (b) => decodeEvent(b, { now: FUZZ_NOW }) },
    { name: 'decodeChangeEnvelope', corpus: envelopes.map((e) => e.bytes), decode: (b) => decodeChangeEnvelope(b) },
    { name: 'decodeInvite', corpus: invites, decode: (b) => decodeInvite(b, { now: FUZZ_NOW }) },
    // what the relay's HTTP side reads from the network besides the body it never takes: never a throw
    {
      name: 'chooseEncoding',
      corpus: text(['gzip, deflate, br, zstd', 'br;q=0.5, gzip;q=0.9, identity;q=0', '*;q=0, x-gzip']),
      decode: (b) => chooseEncoding(latin1(b), ['br', 'gzip', 'identity']),
    },
    {
      name: 'resolveRequestPath',
      corpus: text(['/assets/index-BxY12abc.js?v=1', '/%E4%B8%AD.txt', '/.well-known/acme-challenge/x']),
      decode: (b) => resolveRequestPath(latin1(b)),
    },
    ...buildPrivateTargets(FUZZ_NOW),
    ...buildReconcileTargets(),
  ]
}

const text = (samples: string[]) => samples.map((s) => new TextEncoder().encode(s))
/** Node hands header values and request targets to the app as latin1 strings. */
const latin1 = (b: Uint8Array) => String.fromCharCode(...b)

/** Adds the relay-record decoder when that module exists (it belongs to the network engineer). */
export async function withRelayRecord(targets: FuzzTarget[]): Promise<FuzzTarget[]> {
  const path = '../../src/core/relay-record.ts'
  const mod = (await import(path).catch(() => undefined)) as
    | { createRelayRecord?: (s: SecretKey, init: unknown, o?: unknown) => { bytes: Uint8Array }; decodeRelayRecord?: (b: Uint8Array, o?: unknown) => unknown }
    | undefined
  if (mod?.decodeRelayRecord === undefined) return targets
  const decodeRelayRecord = mod.decodeRelayRecord
  const corpus: Uint8Array[] = []
  try {
    const init = { peer: '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA', addrs: ['/dns4/relay.example/tcp/443/wss'] }
    corpus.push(mod.createRelayRecord!(new Uint8Array(32).fill(13) as SecretKey, init, { now: FUZZ_NOW }).bytes)
  } catch {
    // an API in progress: fuzz with random bytes only
  }
  return [...targets, { name: 'decodeRelayRecord', corpus, decode: (b) => decodeRelayRecord(b, { now: FUZZ_NOW }) }]
}
