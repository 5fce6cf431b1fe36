import { describe, expect, it } from 'vitest'
import { isWildgrassError } from '../../../src/core/errors.ts'
import {
  checkText,
  countGraphemes,
  extractHashtags,
  hasForbiddenControl,
  isSingleEmoji,
  isValidHashtag,
  isWellFormed,
  normalizeHashtag,
  utf8Length,
} from '../../../src/core/text.ts'
import { utf8Encode } from '../../../src/core/bytes.ts'

const rule = { field: 't', maxGraphemes: 5, maxBytes: 20, multiline: true }
const codeOf = (f: () => void): string | undefined => {
  try {
    f()
    return undefined
  } catch (e) {
    if (!isWildgrassError(e)) throw e
    return e.code
  }
}

describe('countGraphemes', () => {
  it('counts what people see: CJK, emoji sequences, combining marks', () => {
    expect(countGraphemes('')).toBe(0)
    expect(countGraphemes('hello')).toBe(5)
    expect(countGraphemes('野火烧不尽')).toBe(5)
    expect(countGraphemes('👨‍👩‍👧‍👦')).toBe(1)
    expect(countGraphemes('🇨🇳🇹🇼')).toBe(2)
    expect(countGraphemes('👍🏽')).toBe(1)
    expect(countGraphemes('e\u0301')).toBe(1)
    expect(countGraphemes('a\r\nb')).toBe(3)
    expect(countGraphemes('1️⃣')).toBe(1)
  })
  it('takes the ASCII fast path only where it is exact', () => {
    for (const s of ['abc\tdef\n', 'Ünïcödé', 'x'.repeat(600), 'é\u0300']) {
      expect(countGraphemes(s)).toBe([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length)
    }
  })
})

describe('utf8Length and isWellFormed', () => {
  it('agree with TextEncoder on well-formed text', () => {
    for (const s of ['', 'a', 'é', '中文', '😀', 'a😀b中', '\u07ff\u0800\uffff']) expect(utf8Length(s)).toBe(utf8Encode(s).length)
  })
  it('find unpaired surrogates', () => {
    expect(isWellFormed('ok 😀')).toBe(true)
    expect(isWellFormed('\ud83d')).toBe(false)
    expect(isWellFormed('\ude00x')).toBe(false)
    expect(isWellFormed('a\ud83db')).toBe(false)
  })
})

describe('checkText', () => {
  it('applies the rules in order', () => {
    expect(codeOf(() => checkText('ok', rule))).toBeUndefined()
    expect(codeOf(() => checkText(5, rule))).toBe('E_MALFORMED')
    expect(codeOf(() => checkText('a\ud800', rule))).toBe('E_BAD_TEXT')
    expect(codeOf(() => checkText('a\u0000', rule))).toBe('E_BAD_TEXT')
    expect(codeOf(() => checkText('   ', rule))).toBe('E_BAD_TEXT')
    expect(codeOf(() => checkText('', rule))).toBe('E_BAD_TEXT')
    expect(codeOf(() => checkText('中文中文中文中文', rule))).toBe('E_OVERSIZE') // 24 bytes
    expect(codeOf(() => checkText('abcdef', rule))).toBe('E_TOO_MANY_GRAPHEMES')
    expect(codeOf(() => checkText('a\nb', { ...rule, multiline: false }))).toBe('E_BAD_TEXT')
  })
  it('forbids C0 (but LF/TAB in multi-line text), DEL and C1', () => {
    expect(hasForbiddenControl('a\nb\tc', true)).toBe(false)
    expect(hasForbiddenControl('a\nb', false)).toBe(true)
    expect(hasForbiddenControl('a\rb', true)).toBe(true)
    expect(hasForbiddenControl('\u007f', true)).toBe(true)
    expect(hasForbiddenControl('\u009f', true)).toBe(true)
    expect(hasForbiddenControl('\u00a0中文😀', false)).toBe(false)
  })
})

describe('hashtags', () => {
  it('normalizes with NFKC and lower case', () => {
    expect(normalizeHashtag('#Wildgrass')).toBe('wildgrass')
    expect(normalizeHashtag('＃ＡＢＣ')).toBe('abc')
    expect(normalizeHashtag('中文标签')).toBe('中文标签')
    expect(normalizeHashtag('Ｃａｆé')).toBe('café')
  })
  it('extracts Latin, Chinese and Weibo-style tags, distinct, in order', () => {
    expect(extractHashtags('#Hello world #hello #中文标签 今天#天气很好，出门 #話題#很好')).toEqual(['hello', '中文标签', '天气很好', '話題'])
  })
  it('ignores things that are not tags', () => {
    expect(extractHashtags('C# a#b &#123; https://x.example/#frag #2024 # #_')).toEqual([])
  })
  it('skips tags longer than the limit', () => {
    expect(extractHashtags(`#${'a'.repeat(51)} #ok`)).toEqual(['ok'])
  })
  it('validates the wire form', () => {
    expect(isValidHashtag('wildgrass')).toBe(true)
    expect(isValidHashtag('中文_2')).toBe(true)
    expect(isValidHashtag('Wildgrass')).toBe(false)
    expect(isValidHashtag('#x')).toBe(false)
    expect(isValidHashtag('123')).toBe(false)
    expect(isValidHashtag('a b')).toBe(false)
    expect(isValidHashtag('')).toBe(false)
  })
})

describe('isSingleEmoji', () => {
  it('accepts one emoji grapheme within the byte limit', () => {
    for (const e of ['👍', '👍🏽', '❤️', '👨‍👩‍👧‍👦', '🇨🇳', '1️⃣', '🔥']) expect(isSingleEmoji(e, 32), e).toBe(true)
  })
  it('rejects everything else', () => {
    for (const e of ['', 'a', '中', '👍👍', ' 👍', '👍\n', '\ud83d']) expect(isSingleEmoji(e, 32), JSON.stringify(e)).toBe(false)
    expect(isSingleEmoji('👨‍👩‍👧‍👦', 24)).toBe(false)
  })
})
