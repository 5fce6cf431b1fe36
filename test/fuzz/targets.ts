// The decoders the fuzzer feeds, each with a corpus of valid inputs of every shape.
import { createEvent } from '../../src/core/event-create.ts'
import { decodeEvent } from '../../src/core/event-decode.ts'
import { decodeChangeEnvelope, signChange } from '../../src/core/feed-envelope.ts'
import { createInvite, decodeInvite, inviteBytesOf } from '../../src/core/invite.ts'
import type { SecretKey } from '../../src/core/types.ts'
import type { FuzzTarget } from './fuzz-engine.ts'
import { buildPrivateTargets } from './private-targets.ts'

export const FUZZ_NOW = Date.UTC(2026, 0, 15, 12)

export function buildTargets(): FuzzTarget[] {
  const alice = new Uint8Array(32).fill(11) as SecretKey
  const bob = new Uint8Array(32).fill(12) as SecretKey
  const ev = (draft: Parameters<typeof createEvent>[1], who = alice) => createEvent(who, draft, { now: FUZZ_NOW })
  const root = ev({ kind: 'post', body: { text: 'root #fuzz', lang: 'en' } })
  const events = [
    root,
    ev({ kind: 'post', body: { text: '野火烧不尽 🌱 #野草\n第二行', reply: { root: root.id, parent: root.id }, quote: root.id, mentions: [root.author], cw: '剧透', lang: 'zh-Hans' } }),
    ev({ kind: 'reaction', body: { target: root.id, emoji: '👍🏽' } }, bob),
    ev({ kind: 'repost', body: { target: root.id } }, bob),
  ]
  const envelopes = [signChange(alice, Uint8Array.from({ length: 40 }, (_, i) => i)), signChange(bob, new Uint8Array([0x85, 0x6f]))]
  const invites = [
    createInvite(alice, { relays: ['/dns4/relay.example/tcp/443/wss', '/ip4/127.0.0.1/tcp/9090/ws'], name: '小明', community: '野草园' }, 'https://a.example/', { now: FUZZ_NOW }),
    createInvite(bob, { relays: ['/ip6/::1/udp/4001/webrtc-direct'], name: 'Bob' }, 'https://a.example/', { now: FUZZ_NOW }),
  ].map(inviteBytesOf)
  return [
    { name: 'decodeEvent', corpus: events.map((e) => e.bytes), decode: (b) => decodeEvent(b, { now: FUZZ_NOW }) },
    { name: 'decodeChangeEnvelope', corpus: envelopes.map((e) => e.bytes), decode: (b) => decodeChangeEnvelope(b) },
    { name: 'decodeInvite', corpus: invites, decode: (b) => decodeInvite(b, { now: FUZZ_NOW }) },
    ...buildPrivateTargets(FUZZ_NOW),
  ]
}

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
