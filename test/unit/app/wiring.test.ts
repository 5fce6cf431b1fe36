import { describe, expect, it } from 'vitest'
import { createMemoryAppDb } from '../../support/app-memory-db.ts'
import { matchesMutedWord } from '../../../src/app/wiring/device-settings.ts'
import { createOutbox, type OutboxItem } from '../../../src/app/wiring/outbox.ts'
import { loadVettedRelays, MAX_VETTED_RELAYS, notChosen } from '../../../src/app/wiring/vetted-relays.ts'

const memoryDb = createMemoryAppDb

describe('muted words', () => {
  it('matches regardless of case and width, Chinese as written', () => {
    expect(matchesMutedWord('今天天气预报说下雨', ['天气预报'])).toBe(true)
    expect(matchesMutedWord('ＳＰＯＩＬＥＲ ahead', ['spoiler'])).toBe(true)
    expect(matchesMutedWord('nothing here', ['spoiler', ' '])).toBe(false)
    expect(matchesMutedWord('anything', [])).toBe(false)
  })
})

describe('outbox', () => {
  const item = (n: number): OutboxItem => ({ kind: n % 2 ? 'event' : 'change', bytes: new Uint8Array([n]), id: `id${n}` })

  it('keeps items in order while nobody can take them, and persists them', async () => {
    const db = memoryDb()
    let online = false
    const sent: number[] = []
    const outbox = await createOutbox({
      db,
      onChange: () => undefined,
      publish: async (i) => {
        if (!online) return false
        sent.push(i.bytes[0]!)
        return true
      },
    })
    await outbox.enqueue([item(1), item(2), item(3)])
    expect(outbox.size()).toBe(3)
    expect([...outbox.pendingIds()]).toEqual(['id1', 'id2', 'id3'])
    // a new outbox over the same database (a reload) still holds them
    const again = await createOutbox({
      db,
      onChange: () => undefined,
      publish: async (i) => {
        if (!online) return false
        sent.push(i.bytes[0]!)
        return true
      },
    })
    expect(again.size()).toBe(3)
    online = true
    await again.flush()
    expect(sent).toEqual([1, 2, 3])
    expect(again.size()).toBe(0)
    expect(db.data.get('outbox')).toEqual([])
  })

  it('stops at the first item that fails, so later changes never overtake earlier ones', async () => {
    const db = memoryDb()
    const sent: number[] = []
    const outbox = await createOutbox({
      db,
      onChange: () => undefined,
      publish: async (i) => {
        if (i.bytes[0] === 2) throw new Error('transport error')
        sent.push(i.bytes[0]!)
        return true
      },
    })
    await outbox.enqueue([item(1), item(2), item(3)])
    expect(sent).toEqual([1])
    expect(outbox.size()).toBe(2)
  })

  it('sends an item queued while a pass is saving what it sent, without waiting for the next flush', async () => {
    const db = memoryDb()
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    let puts = 0
    const put = db.put
    // the pass that sent item 1 saves the queue slowly (its put is the second one)
    db.put = async (key, value) => {
      if (++puts === 2) await gate
      return put(key, value)
    }
    const sent: number[] = []
    const outbox = await createOutbox({
      db,
      onChange: () => undefined,
      publish: async (i) => {
        sent.push(i.bytes[0]!)
        return true
      },
    })
    const first = outbox.enqueue([item(1)])
    await new Promise((r) => setTimeout(r, 0))
    expect(sent).toEqual([1]) // the pass is past its loop, saving
    const second = outbox.enqueue([item(3)])
    await new Promise((r) => setTimeout(r, 0))
    open()
    await Promise.all([first, second])
    expect(sent).toEqual([1, 3])
    expect(outbox.size()).toBe(0)
  })
})

describe('relay addresses and local origins', async () => {
  const { checkRelayAddress, isLocalOrigin, peerIdOfAddress } = await import('../../../src/app/wiring/net-session.ts')
  const good = '/ip4/127.0.0.1/tcp/8788/ws/p2p/12D3KooWKeK8vUPtciW7Fomr5R9AtKa6Br2wPHwd5GBJ7DL1H8xS'
  it('accepts a multiaddr naming the relay, refuses the rest with E_MALFORMED', () => {
    expect(checkRelayAddress(good)).toBe(good)
    for (const bad of ['not a multiaddr', '/ip4/127.0.0.1/tcp/8788/ws', 'https://relay.example/', '']) {
      expect(() => checkRelayAddress(bad)).toThrowError(/E_MALFORMED/)
    }
  })
  it('finds the peer id at the end of an address', () => {
    expect(peerIdOfAddress(good)).toBe('12D3KooWKeK8vUPtciW7Fomr5R9AtKa6Br2wPHwd5GBJ7DL1H8xS')
    expect(peerIdOfAddress('/ip4/1.2.3.4/tcp/1/ws')).toBeUndefined()
  })
  it('treats only loopback and private hosts as local', () => {
    for (const h of ['localhost', '127.0.0.1', '10.1.2.3', '192.168.0.5', '172.16.0.1', '172.31.255.255', '[::1]']) expect(isLocalOrigin(h), h).toBe(true)
    for (const h of ['relay.example', '8.8.8.8', '172.32.0.1', '172.15.0.1', '127.example.com', '192.169.0.1']) expect(isLocalOrigin(h), h).toBe(false)
  })
})

describe('error words', async () => {
  const { codeOf, describeError } = await import('../../../src/app/lib/describe-error.ts')
  const { createTranslator } = await import('../../../src/app/i18n/index.ts')
  it('keeps the code, in words when known', () => {
    expect(describeError(createTranslator('zh-Hans'), 'E_BAD_INVITE')).toBe('这个邀请链接无效。 (E_BAD_INVITE)')
    expect(describeError(createTranslator('en'), 'E_QUOTA')).toBe('Something went wrong: E_QUOTA')
    expect(codeOf(new Error('x'))).toBe('E_STORAGE')
    expect(codeOf({ code: '<img>' })).toBe('E_STORAGE')
  })
})

describe('relays reached before', () => {
  const at = (n: number) => `/ip4/10.0.0.${n}/tcp/443/wss/p2p/relay${n}`

  it('keeps the most recently connected first, at most 16, saved; Remove forgets a relay by its peer id', async () => {
    const db = memoryDb()
    const vetted = await loadVettedRelays(db)
    vetted.remember([at(1), at(2)])
    vetted.remember([at(3)])
    // reached again: it moves to the front, so the bound drops the relays reached longest ago
    vetted.remember([at(1)])
    expect(vetted.list()).toEqual([at(1), at(3), at(2)])
    await Promise.resolve()
    expect(db.data.get('vettedRelays')).toEqual([at(1), at(3), at(2)])
    for (let n = 10; n < 30; n++) vetted.remember([at(n)])
    expect(vetted.list()).toHaveLength(MAX_VETTED_RELAYS)
    expect(vetted.list()[0]).toBe(at(29))
    expect(vetted.list()).not.toContain(at(2))
    // another address of the same relay (another transport) is forgotten with it
    vetted.forget(`/ip4/10.0.0.29/udp/443/webrtc-direct/p2p/relay29`)
    expect(vetted.list()).not.toContain(at(29))
    expect((await loadVettedRelays(db)).list()).toEqual(vetted.list())
  })

  it('loads only addresses that name a peer, from whatever was saved', async () => {
    const db = memoryDb()
    db.data.set('vettedRelays', [at(1), 42, '/ip4/10.0.0.2/tcp/443/wss', null])
    expect((await loadVettedRelays(db)).list()).toEqual([at(1)])
    db.data.set('vettedRelays', 'not a list')
    expect((await loadVettedRelays(db)).list()).toEqual([])
  })

  it('the next session gets only those the person did not choose, matched by peer id, to treat as learned', () => {
    const chosen = ['/dns4/relay.example/tcp/443/tls/ws/p2p/relay1']
    // relay1 reached at another address is still the chosen relay1
    expect(notChosen(chosen, [at(1), at(2), at(3)])).toEqual([at(2), at(3)])
    expect(notChosen([], [at(2)])).toEqual([at(2)])
  })
})
