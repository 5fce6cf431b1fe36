// Builds protocol/vectors/invites.json (see protocol/invites.md).
import * as dagCbor from '@ipld/dag-cbor'
import { toBase64Url } from '../../src/core/bytes.ts'
import { createInvite, inviteBytesOf } from '../../src/core/invite.ts'
import { signedBytes } from '../../src/core/keys.ts'
import { enc, mapInOrder } from './raw-cbor.ts'
import { NOW, TS, hex, signMap, testKey, type InvalidCase } from './vector-kit.ts'

const alice = testKey('alice')
const bob = testKey('bob')
const APP = 'https://wildgrass.example/'
const RELAYS = [
  '/dns4/relay-a.example/tcp/443/wss/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK',
  '/ip4/203.0.113.7/udp/4001/webrtc-direct/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ/p2p/12D3KooWFq6RjzUYPzWBhe4Xn6EJoxtYq9bQw4fG3B5P5dT4Vwmn',
  '/ip6/2001:db8::1/tcp/443/wss',
]

const linkOf = (bytes: Uint8Array) => `${APP}#invite=${toBase64Url(bytes)}`

export function buildInviteVectors(): unknown[] {
  const valid: unknown[] = []
  const addValid = (description: string, url: string, who = alice) => {
    const bytes = inviteBytesOf(url)
    const { sig, ...unsigned } = dagCbor.decode<Record<string, unknown>>(bytes)
    valid.push({
      description,
      valid: true,
      now: NOW,
      url,
      secretKeyHex: hex(who.secret),
      publicKeyHex: hex(who.publicKey),
      signedBytesHex: hex(signedBytes('wildgrass/invite/v1', enc(unsigned))),
      signatureHex: hex(sig as Uint8Array),
      bytesHex: hex(bytes),
      invite: { relays: unsigned.relays, name: unsigned.name, ts: unsigned.ts, ...('community' in unsigned ? { community: unsigned.community } : {}) },
    })
  }
  const full = createInvite(alice.secret, { relays: RELAYS, name: '小明 Ming', community: '野草园 Wildgrass garden', ts: TS }, `${APP}#stale`, { now: NOW })
  addValid('three relays (wss, webrtc-direct, ip6), Chinese name, community', full)
  addValid('one relay, no community', createInvite(bob.secret, { relays: [RELAYS[0]!], name: 'Bob', ts: TS }, APP, { now: NOW }), bob)
  addValid('eight relays (the maximum)', createInvite(alice.secret, { relays: Array.from({ length: 8 }, (_, i) => `/dns4/r${i}.example/tcp/443/wss`), name: 'Ming', ts: TS }, APP, { now: NOW }))

  const base: Record<string, unknown> = { v: 1, relays: RELAYS, inviter: alice.publicKey, name: '小明 Ming', ts: TS }
  const signed = (m: Record<string, unknown>, who = alice) => signMap(who.secret, m, 'wildgrass/invite/v1')
  const goodBytes = inviteBytesOf(full)
  const goodSig = dagCbor.decode<Record<string, unknown>>(goodBytes).sig as Uint8Array
  const cases: InvalidCase[] = []
  const add = (description: string, url: string, code: string) => cases.push({ description, valid: false, now: NOW, code, url })

  add('no invite in the fragment', `${APP}#settings`, 'E_BAD_INVITE')
  add('no fragment at all', APP + '?invite=abc', 'E_BAD_INVITE')
  add('empty invite parameter', `${APP}#invite=`, 'E_BAD_INVITE')
  add('payload is not base64url (standard alphabet "+")', `${APP}#invite=${toBase64Url(goodBytes).slice(0, -4)}+/+/`, 'E_BAD_INVITE')
  add('payload with base64 padding', `${APP}#invite=${toBase64Url(goodBytes)}==`, 'E_BAD_INVITE')
  const sigFlipped = goodSig.slice()
  sigFlipped[5]! ^= 1
  add('bad signature', linkOf(enc({ ...base, community: '野草园 Wildgrass garden', sig: sigFlipped })), 'E_BAD_SIGNATURE')
  add('tampered name after signing', linkOf(enc({ ...base, name: 'Mallory', community: '野草园 Wildgrass garden', sig: goodSig })), 'E_BAD_SIGNATURE')
  add("alice as inviter, signed by bob's key", linkOf(signed(base, bob)), 'E_BAD_SIGNATURE')
  add('signed with the event tag (cross-type replay)', linkOf(signMap(alice.secret, base, 'wildgrass/event/v1')), 'E_BAD_SIGNATURE')
  add('no relays', linkOf(signed({ ...base, relays: [] })), 'E_BAD_INVITE')
  add('nine relays', linkOf(signed({ ...base, relays: Array.from({ length: 9 }, (_, i) => `/dns4/r${i}.example/tcp/443/wss`) })), 'E_OVERSIZE')
  add('relay address is a URL, not a multiaddr', linkOf(signed({ ...base, relays: ['wss://relay.example'] })), 'E_BAD_INVITE')
  add('relay address with a space', linkOf(signed({ ...base, relays: ['/dns4/relay example/tcp/443/wss'] })), 'E_BAD_INVITE')
  add('relay address over 256 bytes', linkOf(signed({ ...base, relays: ['/dns4/' + 'a'.repeat(251) + '/wss'] })), 'E_OVERSIZE')
  add('duplicate relay', linkOf(signed({ ...base, relays: [RELAYS[0], RELAYS[0]] })), 'E_BAD_INVITE')
  add('name of 51 graphemes', linkOf(signed({ ...base, name: '名'.repeat(51) })), 'E_TOO_MANY_GRAPHEMES')
  add('empty name', linkOf(signed({ ...base, name: '' })), 'E_BAD_TEXT')
  add('newline in name', linkOf(signed({ ...base, name: 'a\nb' })), 'E_BAD_TEXT')
  add('timestamp 11 minutes in the future', linkOf(signed({ ...base, ts: NOW + 11 * 60_000 })), 'E_TIMESTAMP_FUTURE')
  add('timestamp before 2024', linkOf(signed({ ...base, ts: Date.UTC(2023, 5, 1) })), 'E_TIMESTAMP_PAST')
  add('unknown version', linkOf(signed({ ...base, v: 2 })), 'E_UNKNOWN_VERSION')
  add('unknown field: expires', linkOf(signed({ ...base, expires: NOW })), 'E_UNKNOWN_FIELD')
  add('inviter key of 33 bytes', linkOf(signed({ ...base, inviter: Uint8Array.of(...alice.publicKey, 0) })), 'E_BAD_KEY')
  add('non-canonical: keys unsorted', linkOf(mapInOrder(Object.entries({ ...base, sig: goodSig }).map(([k, v]) => [k, enc(v)] as const))), 'E_NON_CANONICAL')
  add('truncated payload', linkOf(goodBytes.subarray(0, goodBytes.length - 3)), 'E_TRUNCATED')
  return [...valid, ...cases]
}
