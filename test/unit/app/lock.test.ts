// The app lock below the UI (src/app/README.md "App lock"): the sealed seed opens only with its
// passphrase and is never an export file; values sealed at rest open only under the identity's
// key; the wrappers seal the store's private table and the app database while the lock is on,
// and turning it on or off rewrites what is stored; the lock is turned off or re-keyed only with
// the current passphrase. Real scrypt N=2^17 where the lock control is tested, as shipped.
import { describe, expect, it, vi } from 'vitest'
import { generateSecretKey, type ErrorCode } from '../../../src/core/index.ts'
import { createMemoryData, createMemoryStorage } from '../../../src/store/memory-storage.ts'
import { createValueSealer, deriveAtRestKey, openSeed, sealSeed } from '../../../src/app/lib/app-lock-crypto.ts'
import { isSealedValue } from '../../../src/app/lib/sealed-value.ts'
import { openExport } from '../../../src/app/lib/export-crypto.ts'
import { sealAppDb, sealStorage } from '../../../src/app/wiring/at-rest.ts'
import { createAppLock } from '../../../src/app/wiring/app-lock.ts'
import { loadIdentity, saveSecret } from '../../../src/app/wiring/identity-store.ts'
import { createMemoryAppDb } from '../../support/app-memory-db.ts'
import { startIdleLock } from '../../../src/app/wiring/idle-lock.ts'

const FAST = { N: 2 ** 10, r: 8, p: 1 }
const PASS = '野火烧不尽 春风吹又生'
const secret = generateSecretKey()

async function codeOf(work: () => Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await work()
    return undefined
  } catch (e) {
    return (e as { code?: ErrorCode }).code
  }
}

const holds = (haystack: unknown, needle: Uint8Array): boolean =>
  Buffer.from(JSON.stringify(haystack, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))).includes(
    Buffer.from(Buffer.from(needle).toString('hex')),
  )

describe('sealed seed', () => {
  it('opens with its passphrase, not with another one, and is not an export file', async () => {
    const sealed = await sealSeed(secret, PASS, FAST)
    expect(Buffer.from(sealed).includes(Buffer.from(secret))).toBe(false)
    expect(await openSeed(sealed, PASS)).toEqual(secret)
    expect(await codeOf(() => openSeed(sealed, PASS + '!'))).toBe('E_BAD_PHRASE')
    expect(await codeOf(() => openExport(sealed, PASS))).toBe('E_MALFORMED')
    expect(await codeOf(() => sealSeed(secret, 'short', FAST))).toBe('E_BAD_TEXT')
  })
})

describe('values sealed at rest', () => {
  it('open under the same identity only, and a clear value is never taken for a sealed one', () => {
    const sealer = createValueSealer(deriveAtRestKey(secret))
    const value = new TextEncoder().encode('{"text":"私信"}')
    const sealed = sealer.seal(value)
    expect(isSealedValue(sealed)).toBe(true)
    expect(isSealedValue(value)).toBe(false)
    expect(isSealedValue(new Uint8Array(0))).toBe(false)
    expect(sealer.open(sealed)).toEqual(value)
    const other = createValueSealer(deriveAtRestKey(generateSecretKey()))
    expect(() => other.open(sealed)).toThrow(expect.objectContaining({ code: 'E_BAD_KEY' }))
  })
})

describe('the wrappers', () => {
  it('seal the private table while the lock is on, and turning it off rewrites it in clear', async () => {
    const data = createMemoryData()
    const inner = createMemoryStorage({ data })
    const storage = sealStorage(inner)
    const sealer = createValueSealer(deriveAtRestKey(secret))
    const word = new TextEncoder().encode('"屏蔽的人"')
    await storage.write([
      { type: 'put', table: 'private', key: 'mute|a', value: word },
      { type: 'put', table: 'events', key: 'e', value: word },
    ])
    storage.unlock(sealer, false)
    await storage.reseal(true)
    expect(isSealedValue((await inner.get('private', 'mute|a'))!)).toBe(true)
    expect(await inner.get('events', 'e')).toEqual(word) // public tables stay as they are
    expect(await storage.get('private', 'mute|a')).toEqual(word)
    expect((await storage.range('private', { prefix: 'mute|' })).map((r) => r.value)).toEqual([word])
    // a wrapper without the key (before the passphrase) or with another identity's reads nothing
    const locked = sealStorage(inner)
    expect(await locked.get('private', 'mute|a')).toBeUndefined()
    await storage.reseal(false)
    expect(await inner.get('private', 'mute|a')).toEqual(word)
  })

  it('seal the app database entries but the identity record, bytes and nested values included', async () => {
    const inner = createMemoryAppDb()
    const db = sealAppDb(inner)
    const settings = { relays: ['/dns4/r.example/tcp/443/wss'], mutedWords: ['剧透'], privacy: 'direct', bytes: new Uint8Array([1, 2, 255]) }
    await db.put('settings', settings)
    db.unlock(createValueSealer(deriveAtRestKey(secret)), false)
    await db.reseal(true)
    expect(JSON.stringify(inner.data.get('settings'))).not.toContain('剧透')
    expect(await db.get('settings')).toEqual(settings)
    await saveSecret(db, secret)
    expect(holds(inner.data.get('identity'), secret)).toBe(true) // the identity record seals itself (lock off here)
    await db.reseal(false)
    expect(inner.data.get('settings')).toEqual(settings)
  })
})

describe('the lock control', () => {
  it('turns on, changes the passphrase and turns off only with the current passphrase', async () => {
    const inner = createMemoryAppDb()
    const db = sealAppDb(inner)
    const storage = sealStorage(createMemoryStorage())
    const sealer = createValueSealer(deriveAtRestKey(secret))
    db.unlock(sealer, false)
    storage.unlock(sealer, false)
    await saveSecret(db, secret)
    await db.put('settings', { mutedWords: ['剧透'] })
    const idle: number[] = []
    const lock = createAppLock({ db, secret, sealed: [db, storage], idle: { setMinutes: (m) => idle.push(m), stop: () => undefined }, lock: () => undefined })
    await lock.enable(PASS, 60)
    expect(await lock.status()).toEqual({ on: true, idleMinutes: 60 })
    expect(holds([...inner.data.values()], secret)).toBe(false)
    expect(JSON.stringify([...inner.data.values()])).not.toContain('剧透')

    const next = '另一个足够长的密码短语'
    expect(await codeOf(() => lock.changePassphrase('不是这个密码不是这个', next))).toBe('E_BAD_PHRASE')
    await lock.changePassphrase(PASS, next)
    const saved = await loadIdentity(db)
    if (!saved?.locked) throw new Error('the lock should be on')
    expect(await openSeed(saved.sealed, next)).toEqual(secret)

    expect(await codeOf(() => lock.disable(PASS))).toBe('E_BAD_PHRASE')
    expect((await lock.status()).on).toBe(true) // nothing changed
    await lock.disable(next)
    expect((await lock.status()).on).toBe(false)
    expect(await loadIdentity(db)).toEqual({ locked: false, secret })
    expect(await db.get('settings')).toEqual({ mutedWords: ['剧透'] })
    expect(idle).toEqual([60, 0])
    expect(await codeOf(() => lock.setIdleMinutes(7))).toBe('E_BAD_TEXT')
  }, 60_000)
})

describe('idle relock', () => {
  it('locks after the chosen idle minutes, not while the person acts, never with 0', () => {
    vi.useFakeTimers()
    try {
      let clock = 0
      let locks = 0
      const target = new EventTarget()
      const idle = startIdleLock({
        minutes: 5,
        lock: () => {
          locks++
        },
        now: () => clock,
        target,
      })
      const pass = (ms: number): void => {
        clock += ms
        vi.advanceTimersByTime(ms)
      }
      pass(4 * 60_000)
      target.dispatchEvent(new Event('keydown')) // typing keeps it open
      pass(4 * 60_000)
      expect(locks).toBe(0)
      pass(60_000 + 5_000)
      expect(locks).toBe(1)
      idle.setMinutes(0)
      locks = 0
      pass(120 * 60_000)
      expect(locks).toBe(0)
      // a tab frozen in the background: its clock jumps, the first check after waking locks
      idle.setMinutes(15)
      clock += 16 * 60_000
      target.dispatchEvent(new Event('visibilitychange'))
      expect(locks).toBe(1)
      idle.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
