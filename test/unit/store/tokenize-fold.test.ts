// Search folds Traditional Chinese to Simplified (src/store/tokenize.ts): character by
// character, Han only, after NFKC and lower case, the same at index and at query time.
import fc from 'fast-check'
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters'
import { describe, expect, it } from 'vitest'
import { foldChinese, indexTokens, queryTokens } from '../../../src/store/tokenize.ts'

describe('folding 繁體 to 简体', () => {
  it('folds Traditional characters to Simplified and leaves Simplified ones as they are', () => {
    expect(foldChinese('貓')).toBe('猫')
    expect(foldChinese('猫')).toBe('猫')
    expect(foldChinese('簡體')).toBe('简体')
    expect(foldChinese('简体')).toBe('简体')
    expect(foldChinese('搜索簡體中文')).toBe('搜索简体中文')
    // many to one: a query matches slightly more
    expect(['乾', '幹', '干'].map(foldChinese)).toEqual(['干', '干', '干'])
    expect(['髮', '發'].map(foldChinese)).toEqual(['发', '发'])
    // the table's chain 薴 → 苧 → 苎 is followed to its end
    expect(foldChinese('薴')).toBe('苎')
    expect(foldChinese('苧')).toBe('苎')
    // folded after NFKC: a compatibility ideograph (U+F95C) becomes 樂, then 乐
    expect(queryTokens('\uF95C')).toEqual(['乐'])
  })

  it('folds CJK only: Latin, Kana, Hangul and the rest are unchanged', () => {
    for (const text of ['Hello, World!', 'naïve café İstanbul ß', 'ひらがな カタカナ', '한국어', '🌱 #tag @x 123', '']) expect(foldChinese(text)).toBe(text)
    expect(foldChinese('Wildgrass 野草 貓咪 rocks')).toBe('Wildgrass 野草 猫咪 rocks')
  })

  it('index and query tokens are folded, so either script finds the other', () => {
    expect(indexTokens('我的貓')).toEqual(['我', '的', '猫', '我的', '的猫'])
    expect(queryTokens('貓')).toEqual(['猫'])
    expect(queryTokens('猫')).toEqual(['猫'])
    expect(queryTokens('搜索簡體')).toEqual(queryTokens('搜索简体'))
    expect(queryTokens('搜索简体')).toEqual(['搜索', '索简', '简体'])
    // mixed Latin and CJK: the words stay, lower-cased, the Han run is folded before it is cut
    expect(indexTokens('Ｗildgrass 簡體 Search').sort()).toEqual(['search', 'wildgrass', '简', '体', '简体'].sort())
    expect(queryTokens('SEARCH 簡體')).toEqual(['简体', 'search'])
  })

  const table = TS_CHARACTERS.split('|').flatMap((entry) => entry.split(' '))
  const text = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({
      unit: fc.oneof(
        fc.constantFrom(...table),
        fc.constantFrom('a', 'Z', ' ', '|', 'ア', '한', '\uD800', '\uFF21', '𠀀'),
        // CJK compatibility ideographs: NFKC turns them into unified ones, some of them Traditional
        fc.integer({ min: 0xf900, max: 0xfaff }).map((c) => String.fromCodePoint(c)),
      ),
    }),
  )

  it('folding is idempotent, never throws, and keeps everything but Han characters', () => {
    fc.assert(
      fc.property(text, (s) => {
        const once = foldChinese(s)
        expect(foldChinese(once)).toBe(once)
        const [a, b] = [[...s], [...once]]
        expect(b.length).toBe(a.length)
        a.forEach((c, i) => {
          if (!/\p{Script=Han}/u.test(c)) expect(b[i]).toBe(c)
        })
      }),
      { numRuns: 500 },
    )
  })

  it('tokens of any text are already folded, and a text and its fold have the same tokens', () => {
    fc.assert(
      fc.property(text, (s) => {
        const tokens = indexTokens(s)
        for (const token of tokens) expect(foldChinese(token)).toBe(token)
        expect(indexTokens(foldChinese(s))).toEqual(tokens)
        expect(queryTokens(foldChinese(s))).toEqual(queryTokens(s))
      }),
      { numRuns: 500 },
    )
  })
})
