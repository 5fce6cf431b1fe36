import { describe, expect, it } from 'vitest'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { createInvite, decodeInvite, inviteBytesOf, parseInvite } from '../../../src/core/invite.ts'
import { getPublicKey } from '../../../src/core/keys.ts'
import { MAX_CLOCK_SKEW_MS } from '../../../src/core/limits.ts'
import type { SecretKey } from '../../../src/core/types.ts'

const NOW = Date.UTC(2026, 0, 15, 12)
const alice = new Uint8Array(32).fill(3) as SecretKey
const relays = ['/dns4/relay.example/tcp/443/wss/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK', '/ip4/127.0.0.1/tcp/9090/ws']
const make = (init: Partial<Parameters<typeof createInvite>[1]> = {}, app = 'https://wildgrass.example/app/') =>
  createInvite(alice, { relays, name: '小明', ...init }, app, { now: NOW })

describe('invite links', () => {
  it('round-trips a signed invite through the URL fragment', async () => {
    const url = make({ community: '野草园' })
    expect(url.startsWith('https://wildgrass.example/app/#invite=')).toBe(true)
    expect(url.split('#')[0]).not.toContain('invite')
    const invite = await parseInvite(url, { now: NOW })
    expect(invite).toMatchObject({ v: 1, relays, name: '小明', community: '野草园', ts: NOW, inviter: encodeDidKey(getPublicKey(alice)) })
  })

  it('accepts the link, the fragment, the parameter or the bare payload', async () => {
    const url = make()
    const fragment = url.slice(url.indexOf('#'))
    const payload = fragment.slice('#invite='.length)
    for (const form of [url, fragment, fragment.slice(1), payload, `  ${url}\n`, `https://x.example/#lang=zh&invite=${payload}`]) {
      expect((await parseInvite(form, { now: NOW })).name, form.slice(0, 40)).toBe('小明')
    }
  })

  it('replaces an existing fragment of the app URL', () => {
    expect(make({}, 'https://a.example/#/home').startsWith('https://a.example/#invite=')).toBe(true)
  })

  it('omits the community when none is given', async () => {
    const invite = await parseInvite(make(), { now: NOW })
    expect(invite).not.toHaveProperty('community')
    expect(decodeInvite(inviteBytesOf(make()), { now: NOW })).toEqual(invite)
  })

  it('rejects a future timestamp but never expires an old invite', async () => {
    await expect(parseInvite(make(), { now: NOW - MAX_CLOCK_SKEW_MS - 1 })).rejects.toMatchObject({ code: 'E_TIMESTAMP_FUTURE' })
    expect((await parseInvite(make(), { now: NOW + 5 * 365 * 86_400_000 })).ts).toBe(NOW)
  })

  it('refuses bad input when creating', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return (e as { code?: string }).code
      }
      return undefined
    }
    expect(codeOf(() => make({ relays: [] }))).toBe('E_BAD_INVITE')
    expect(codeOf(() => make({ relays: ['https://relay.example'] }))).toBe('E_BAD_INVITE')
    expect(codeOf(() => make({ relays: Array.from({ length: 9 }, (_, i) => `/dns4/r${i}/tcp/1/ws`) }))).toBe('E_OVERSIZE')
    expect(codeOf(() => make({ name: '' }))).toBe('E_BAD_TEXT')
    expect(codeOf(() => make({ name: '名'.repeat(51) }))).toBe('E_TOO_MANY_GRAPHEMES')
    expect(codeOf(() => make({ community: 'a\nb' }))).toBe('E_BAD_TEXT')
    expect(codeOf(() => make({ ts: NOW + MAX_CLOCK_SKEW_MS + 1 }))).toBe('E_TIMESTAMP_FUTURE')
  })

  it('fails closed on anything that is not an invite', async () => {
    for (const input of ['', '#', 'https://a.example/', 'https://a.example/#invite=%%%', 'x'.repeat(10_000), 'AAAA']) {
      await expect(parseInvite(input, { now: NOW })).rejects.toMatchObject({ code: expect.stringMatching(/^E_/) })
    }
    await expect(parseInvite(42 as unknown as string)).rejects.toMatchObject({ code: 'E_BAD_INVITE' })
  })

  it('fits a QR code comfortably with three relays', () => {
    expect(make({ relays: [...relays, '/ip6/2001:db8::1/udp/4001/webrtc-direct'], community: '野草园' }).length).toBeLessThan(1200)
  })
})
