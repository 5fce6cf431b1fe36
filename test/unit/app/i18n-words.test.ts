// The app's words (src/app/README.md "Words"): block and mute read as Weibo users say them in 简
// and 繁, and each concept has one word across the UI tables and the README.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { zhHans } from '../../../src/app/i18n/zh-hans.ts'
import { zhHant } from '../../../src/app/i18n/zh-hant.ts'

const hans = Object.values(zhHans).join('\n')
const hant = Object.values(zhHant).join('\n')

describe('words', () => {
  it('简体: block is 拉黑 and mute is 屏蔽 (never 静音), muted words 屏蔽词, mention 提到, the 24 words 备份短语', () => {
    expect(zhHans['profile.block']).toBe('拉黑')
    expect(zhHans['profile.unblock']).toBe('取消拉黑')
    expect(zhHans['profile.mute']).toBe('屏蔽')
    expect(zhHans['settings.mutedWords']).toBe('屏蔽词')
    expect(zhHans['notif.mention']).toContain('提到')
    for (const other of ['静音', '提及', '助记词', '书签']) expect(hans).not.toContain(other)
  })

  it('繁體: block is 封鎖 and mute is 屏蔽 (never 靜音), muted words 屏蔽字詞, mention 提及, the 24 words 備份短語', () => {
    expect(zhHant['profile.block']).toBe('封鎖')
    expect(zhHant['profile.mute']).toBe('屏蔽')
    expect(zhHant['settings.mutedWords']).toBe('屏蔽字詞')
    expect(zhHant['notif.mention']).toContain('提及')
    for (const other of ['靜音', '屏蔽詞', '提到', '助記詞', '書籤']) expect(hant).not.toContain(other)
  })

  it('the README says what the app says', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
    expect(readme).toContain('备份短语')
    for (const other of ['助记词', '静音']) expect(readme).not.toContain(other)
  })

  it('the invite says it carries the public key, never the secret', () => {
    expect(zhHans['settings.inviteExplain']).toContain('公钥')
    expect(zhHant['settings.inviteExplain']).toContain('公鑰')
  })

  it('relative times in Chinese read "… 前"', () => {
    for (const table of [zhHans, zhHant]) expect(table['time.minutes']).toMatch(/前$/)
  })
})
