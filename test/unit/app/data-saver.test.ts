// Data-saver mode and the photo settings: what "auto" follows, and that the settings survive
// the device's database (fake-indexeddb) whatever was stored before.
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { browserSavesData, DEFAULT_PHOTO_SETTINGS, photosWaitForTap, readPhotoSettings } from '../../../src/app/lib/data-saver.ts'
import { openAppDb } from '../../../src/app/wiring/app-db.ts'
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from '../../../src/app/wiring/device-settings.ts'

describe('data-saver mode', () => {
  it('auto follows Save-Data and a connection estimated at 3G or slower', () => {
    expect(browserSavesData({ saveData: true, effectiveType: '4g' })).toBe(true)
    for (const slow of ['slow-2g', '2g', '3g']) expect(browserSavesData({ effectiveType: slow })).toBe(true)
    expect(browserSavesData({ effectiveType: '4g' })).toBe(false)
    // a browser without the Network Information API: photos load
    expect(browserSavesData(undefined)).toBe(false)
  })

  it('on and off override what the browser says', () => {
    const slow = { effectiveType: '2g' }
    const fast = { effectiveType: '4g' }
    expect([photosWaitForTap('auto', slow), photosWaitForTap('auto', fast)]).toEqual([true, false])
    expect([photosWaitForTap('on', slow), photosWaitForTap('on', fast)]).toEqual([true, true])
    expect([photosWaitForTap('off', slow), photosWaitForTap('off', fast)]).toEqual([false, false])
  })

  it('an unreadable or older record reads as the defaults', () => {
    for (const saved of [undefined, null, 'on', 7, [], { dataSaver: 'sometimes', requireAlt: 'yes' }]) {
      expect(readPhotoSettings(saved)).toEqual(DEFAULT_PHOTO_SETTINGS)
    }
    expect(readPhotoSettings({ dataSaver: 'on', requireAlt: true })).toEqual({ dataSaver: 'on', requireAlt: true })
  })
})

describe('photo settings on the device', () => {
  it('are saved with the other device settings and read back', async () => {
    const db = await openAppDb(`photo-settings-${Math.random()}`)
    expect((await loadSettings(db)).photos).toEqual(DEFAULT_PHOTO_SETTINGS)
    await saveSettings(db, { ...DEFAULT_SETTINGS, mutedWords: ['剧透'], photos: { dataSaver: 'off', requireAlt: true } })
    const back = await loadSettings(db)
    expect(back.photos).toEqual({ dataSaver: 'off', requireAlt: true })
    expect(back.mutedWords).toEqual(['剧透'])
    db.close()
  })

  it('settings saved before photo settings existed get the defaults', async () => {
    const db = await openAppDb(`photo-settings-old-${Math.random()}`)
    await db.put('settings', { relays: ['/dns4/r.example/tcp/443/wss/p2p/12D3KooW'], privacy: 'relay-only', mutedWords: [] })
    const back = await loadSettings(db)
    expect(back.photos).toEqual(DEFAULT_PHOTO_SETTINGS)
    expect(back.privacy).toBe('relay-only')
    db.close()
  })
})
