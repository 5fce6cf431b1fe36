// Builds protocol/vectors/invites.json (see protocol/invites.md).
import * as dagCbor from '@ipld/dag-cbor'
import { toBase64Url, utf8Encode } from '../../src/core/bytes.ts'
import { createInvite, inviteBytesOf } from '../../src/core/invite.ts'
import { signedBytes } from '../../src/core/keys.ts'
import { FAMILY } from './event-content-vectors.ts'
import { enc, float, mapInOrder, mapWith } from './raw-cbor.ts'
import { NOW, SMALL_ORDER_KEY, TS, hex, signMap, testKey, type InvalidCase } from './vector-kit.ts'

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
  const make = (init: Partial<Parameters<typeof createInvite>[1]>) => createInvite(alice.secret, { relays: [RELAYS[0]!], name: 'Ming', ts: TS, ...init }, APP, { now: NOW })
  const payload = full.slice(full.indexOf('#invite=') + '#invite='.length)
  addValid('the fragment without "#" (it starts with "invite=")', `invite=${payload}`)
  addValid('the bare payload', payload)
  addValid('the invite among other fragment parameters, surrounded by white space (U+3000, LF, TAB)', `\u3000\n${APP}#lang=zh&invite=${payload}&from=qr\t`)
  addValid('a relay address of exactly 256 bytes', make({ relays: [`/dns4/${'a'.repeat(246)}/wss`] }))
  addValid('name of exactly 300 bytes (12 ZWJ families) and a community of exactly 50 graphemes', make({ name: FAMILY.repeat(12), community: '园'.repeat(50) }))
  addValid('timestamp exactly 10 minutes ahead', make({ ts: NOW + 10 * 60_000 }))

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

  // link parsing (§1)
  add('the payload in a query string, not a fragment', `${APP}?lang=zh&invite=${payload}`, 'E_BAD_INVITE')
  add('two invite parameters, both the same payload', `${APP}#invite=${payload}&invite=${payload}`, 'E_BAD_INVITE')
  add('parameter name in another case ("Invite=")', `${APP}#Invite=${payload}`, 'E_BAD_INVITE')
  add('a percent-encoded payload character (%41 for A: no percent-decoding)', `${APP}#invite=%41${payload.slice(1)}`, 'E_BAD_INVITE')
  add('U+0085 after the link (not white space, so not trimmed)', `${full}\u0085`, 'E_BAD_INVITE')
  add('payload of 4097 base64url characters', `${APP}#invite=${'A'.repeat(4097)}`, 'E_OVERSIZE')
  add('payload of 4096 base64url characters (within the limit; 3072 zero bytes are not a map)', `${APP}#invite=${'A'.repeat(4096)}`, 'E_MALFORMED')
  add('payload of 5000 Chinese characters (the alphabet is checked before the length)', `${APP}#invite=${'野'.repeat(5000)}`, 'E_BAD_INVITE')
  add('payload length of 1 mod 4', `${APP}#invite=${payload.slice(0, payload.length - ((payload.length - 1) % 4))}`, 'E_BAD_INVITE')
  const withSpareBits = valid.map((c) => (c as { url: string }).url.split('#invite=')[1] ?? '').find((p) => p.length % 4 !== 0)!
  add('payload with non-zero bits after the last byte', `${APP}#invite=${flipTrailingBits(withSpareBits)}`, 'E_BAD_INVITE')
  // structure and fields (§4), in order
  const { v: _v, ...noV } = base
  const { inviter: _i, ...noInviter } = base
  add('missing v', linkOf(signed(noV)), 'E_MALFORMED')
  add('v = -1', linkOf(signed({ ...base, v: -1 })), 'E_MALFORMED')
  add('v as the float 1.0', linkOf(mapWith({ ...base, sig: goodSig }, { v: float(1, 8) })), 'E_MALFORMED')
  add('missing inviter', linkOf(signed(noInviter)), 'E_MALFORMED')
  add('inviter of small order', linkOf(signed({ ...base, inviter: SMALL_ORDER_KEY })), 'E_SMALL_ORDER_KEY')
  add('relays not a list', linkOf(signed({ ...base, relays: RELAYS[0] })), 'E_MALFORMED')
  add('a relay that is not text', linkOf(signed({ ...base, relays: [utf8Encode(RELAYS[0]!)] })), 'E_MALFORMED')
  add('a relay address of 257 bytes', linkOf(signed({ ...base, relays: [`/dns4/${'a'.repeat(247)}/wss`] })), 'E_OVERSIZE')
  add('a relay address of 100 Chinese characters (300 bytes: bytes are counted first)', linkOf(signed({ ...base, relays: ['/' + '野'.repeat(100)] })), 'E_OVERSIZE')
  add('a duplicate relay, then a relay over 256 bytes (each relay before duplicates)', linkOf(signed({ ...base, relays: [RELAYS[0], RELAYS[0], `/dns4/${'a'.repeat(300)}`] })), 'E_OVERSIZE')
  add('a bad relay and a bad name (relays first)', linkOf(signed({ ...base, relays: ['wss://relay.example'], name: '' })), 'E_BAD_INVITE')
  add('name of 301 bytes in 13 graphemes', linkOf(signed({ ...base, name: FAMILY.repeat(12) + 'a' })), 'E_OVERSIZE')
  add('name of white space only', linkOf(signed({ ...base, name: ' \u3000 ' })), 'E_BAD_TEXT')
  add('name with a tab (single line)', linkOf(signed({ ...base, name: 'a\tb' })), 'E_BAD_TEXT')
  add('name starting with U+FEFF', linkOf(signed({ ...base, name: '\ufeffMing' })), 'E_BAD_TEXT')
  add('name as bytes', linkOf(signed({ ...base, name: utf8Encode('Ming') })), 'E_MALFORMED')
  add('missing name', linkOf(signed((({ name: _n, ...rest }) => rest)(base))), 'E_MALFORMED')
  add('community of 51 graphemes', linkOf(signed({ ...base, community: '园'.repeat(51) })), 'E_TOO_MANY_GRAPHEMES')
  add('community of 301 bytes in 13 graphemes', linkOf(signed({ ...base, community: FAMILY.repeat(12) + 'a' })), 'E_OVERSIZE')
  add('empty community (absent is the way to say none)', linkOf(signed({ ...base, community: '' })), 'E_BAD_TEXT')
  add('newline in community', linkOf(signed({ ...base, community: '野草\n园' })), 'E_BAD_TEXT')
  add('community of white space only', linkOf(signed({ ...base, community: '\u2028' })), 'E_BAD_TEXT')
  add('community as a number', linkOf(signed({ ...base, community: 7 })), 'E_MALFORMED')
  add('a name of 51 graphemes and an empty community (name first)', linkOf(signed({ ...base, name: '名'.repeat(51), community: '' })), 'E_TOO_MANY_GRAPHEMES')
  add('ts = -1 (negative: malformed, not "in the past")', linkOf(signed({ ...base, ts: -1 })), 'E_MALFORMED')
  add('ts = 2^53', linkOf(signed({ ...base, ts: 2n ** 53n })), 'E_MALFORMED')
  add('ts as text', linkOf(signed({ ...base, ts: String(TS) })), 'E_MALFORMED')
  add('sig of 63 bytes', linkOf(enc({ ...base, sig: goodSig.subarray(1) })), 'E_MALFORMED')
  return [...valid, ...cases]
}

/** The same payload with its last character changed so that the unused low bits are not zero. */
function flipTrailingBits(payload: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  if (payload.length % 4 === 0) throw new Error('a payload without unused bits')
  const last = alphabet.indexOf(payload.at(-1)!)
  return payload.slice(0, -1) + alphabet[last ^ 1]!
}
