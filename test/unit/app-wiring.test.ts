import { describe, expect, it } from 'vitest'
import { generateSecretKey, isWildgrassError } from '../../src/core/index.ts'
import type { AuthorId } from '../../src/core/types.ts'
import type { AppDb, AppDbKey } from '../../src/app/wiring/app-db.ts'
import { matchesMutedWord } from '../../src/app/wiring/device-settings.ts'
import { decodeExport, encodeExport } from '../../src/app/wiring/export-file.ts'
import { createOutbox, type OutboxItem } from '../../src/app/wiring/outbox.ts'
import { encode } from '@ipld/dag-cbor'

function memoryDb(): AppDb & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    data,
    get: async <T,>(key: AppDbKey) => structuredClone(data.get(key)) as T | undefined,
    put: async (key, value) => { data.set(key, structuredClone(value)) },
    delete: async (key) => { data.delete(key) },
    close: () => undefined,
  }
}

describe('export file', () => {
  const secret = generateSecretKey()
  const data = {
    secret,
    settings: { relays: ['/ip4/1.2.3.4/tcp/1/ws/p2p/12D3KooW'], privacy: 'relay-only' as const, mutedWords: ['剧透'] },
    muted: ['did:key:z6MkA' as AuthorId],
    blocked: [],
    changes: [new Uint8Array([1, 2, 3])],
    events: [new Uint8Array([4, 5])],
  }
  it('round-trips', () => {
    const back = decodeExport(encodeExport(data))
    expect(back).toEqual(data)
  })
  it.each([
    ['random bytes', new Uint8Array([0xff, 0x00, 0x12])],
    ['another CBOR document', encode({ hello: 'world' })],
    ['wrong version', encode({ format: 'wildgrass-export', v: 2 })],
    ['short secret', encode({ format: 'wildgrass-export', v: 1, secret: new Uint8Array(31), settings: { relays: [], mutedWords: [] }, muted: [], blocked: [], changes: [], events: [] })],
    ['events not bytes', encode({ format: 'wildgrass-export', v: 1, secret: new Uint8Array(32), settings: { relays: [], mutedWords: [] }, muted: [], blocked: [], changes: [], events: ['x'] })],
  ])('refuses %s with a typed error', (_name, bytes) => {
    let error: unknown
    try {
      decodeExport(bytes)
    } catch (e) {
      error = e
    }
    expect(isWildgrassError(error)).toBe(true)
  })
})

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
    const outbox = await createOutbox({ db, onChange: () => undefined, publish: async (i) => { if (!online) return false; sent.push(i.bytes[0]!); return true } })
    await outbox.enqueue([item(1), item(2), item(3)])
    expect(outbox.size()).toBe(3)
    expect([...outbox.pendingIds()]).toEqual(['id1', 'id2', 'id3'])
    // a new outbox over the same database (a reload) still holds them
    const again = await createOutbox({ db, onChange: () => undefined, publish: async (i) => { if (!online) return false; sent.push(i.bytes[0]!); return true } })
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
    const outbox = await createOutbox({ db, onChange: () => undefined, publish: async (i) => {
      if (i.bytes[0] === 2) throw new Error('transport error')
      sent.push(i.bytes[0]!)
      return true
    } })
    await outbox.enqueue([item(1), item(2), item(3)])
    expect(sent).toEqual([1])
    expect(outbox.size()).toBe(2)
  })
})
