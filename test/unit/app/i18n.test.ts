import { describe, expect, it } from 'vitest'
import { en } from '../../../src/app/i18n/en.ts'
import { zhHans } from '../../../src/app/i18n/zh-hans.ts'
import { zhHant } from '../../../src/app/i18n/zh-hant.ts'
import { createTranslator, matchLanguageTag, pickLanguage } from '../../../src/app/i18n/index.ts'
import { formatRelativeTime } from '../../../src/app/lib/format-time.ts'

describe('i18n tables', () => {
  const keys = Object.keys(en).sort()
  it.each([
    ['zh-Hans', zhHans],
    ['zh-Hant', zhHant],
  ] as const)('%s has exactly the English keys, none empty', (_name, table) => {
    expect(Object.keys(table).sort()).toEqual(keys)
    for (const value of Object.values(table)) expect(value.trim()).not.toBe('')
  })
  it.each([
    ['zh-Hans', zhHans],
    ['zh-Hant', zhHant],
  ] as const)('%s keeps every placeholder of the English string', (_name, table) => {
    for (const key of keys as Array<keyof typeof en>) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      expect(placeholders(table[key]), key).toEqual(placeholders(en[key]))
    }
  })
  it('the Chinese tables are actually translated (mostly different from English)', () => {
    const same = keys.filter((k) => zhHans[k as keyof typeof en] === en[k as keyof typeof en])
    expect(same.length).toBeLessThan(10) // only language names, counters and the like
    const traditionalSame = keys.filter((k) => zhHant[k as keyof typeof en] === zhHans[k as keyof typeof en])
    expect(traditionalSame.length).toBeLessThan(keys.length / 2)
  })
})

describe('language choice from the browser', () => {
  it.each([
    [['zh-TW'], 'zh-Hant'],
    [['zh-HK', 'en'], 'zh-Hant'],
    [['zh-MO'], 'zh-Hant'],
    [['zh-Hant-TW'], 'zh-Hant'],
    [['zh-CN'], 'zh-Hans'],
    [['zh'], 'zh-Hans'],
    [['zh-SG'], 'zh-Hans'],
    [['zh-Hans-HK'], 'zh-Hans'],
    [['en-US', 'zh-CN'], 'en'],
    [['fr-FR', 'zh-TW'], 'zh-Hant'],
    [['fr', 'de'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (tags, expected) => {
    expect(pickLanguage(tags)).toBe(expected)
  })
  it('ignores tags that merely start with zh letters', () => {
    expect(matchLanguageTag('zha')).toBeUndefined()
  })
})

describe('translator', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    const t = createTranslator('zh-Hans')
    expect(t('status.online', { relays: 2, peers: 5 })).toBe('2 个中继 · 5 个节点')
    expect(t('compose.counter', { n: 3 })).toBe('3 / {max}')
  })
  it('does not interpret $ patterns in values', () => {
    const t = createTranslator('en')
    expect(t('notif.reply', { name: "$& $' $`" })).toBe("$& $' $` replied to you")
  })
})

describe('wording a newcomer reads on day one', () => {
  const tables = [
    ['en', en],
    ['zh-Hans', zhHans],
    ['zh-Hant', zhHant],
  ] as const
  it.each(tables)('%s: the invite explanation says the link carries the public key, not an identity key', (_name, table) => {
    const text = table['settings.inviteExplain']
    expect(text).toMatch(/public key|公钥|公鑰/)
    expect(text).not.toMatch(/identity key|身份密钥|身分金鑰/)
  })
  it.each(['zh-Hans', 'zh-Hant'] as const)('%s: relative times read "… 前" (ago)', (language) => {
    const t = createTranslator(language)
    const now = Date.UTC(2026, 0, 10)
    expect(formatRelativeTime(now - 5 * 60_000, now, t, language)).toMatch(/^5 分[钟鐘]前$/)
    expect(formatRelativeTime(now - 3 * 3_600_000, now, t, language)).toMatch(/^3 小[时時]前$/)
    expect(formatRelativeTime(now - 2 * 86_400_000, now, t, language)).toBe('2 天前')
  })
})
