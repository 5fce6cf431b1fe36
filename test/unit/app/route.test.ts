import { describe, expect, it } from 'vitest'
import { parseRoute, routeHref } from '../../../src/app/lib/route.ts'
import { checkPhraseWords, pickCheckPositions, splitPhrase } from '../../../src/app/lib/phrase-check.ts'

describe('hash routes', () => {
  it.each([
    ['', { name: 'home' }],
    ['#/home', { name: 'home' }],
    ['#/community', { name: 'community' }],
    ['#/thread/abc', { name: 'thread', id: 'abc' }],
    ['#/profile/did%3Akey%3Az6Mk', { name: 'profile', author: 'did:key:z6Mk' }],
    ['#/search?q=%23%E9%87%8E%E8%8D%89', { name: 'search', query: '#野草' }],
    ['#/nonsense', { name: 'home' }],
    ['#invite=xyz', { name: 'home' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route)
  })
  it('round-trips through routeHref', () => {
    for (const route of [
      { name: 'search', query: '#中文 标签' },
      { name: 'profile', author: 'did:key:z6Mk/x' },
      { name: 'thread', id: 'ab' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route)
    }
  })
})

describe('backup phrase check', () => {
  const phrase = '的\u3000一 是 在 不 了 有 和 人 这 中 大 为 上 个 国 我 以 要 他 时 来 用 们'
  it('splits on ideographic spaces too', () => {
    expect(splitPhrase(phrase)).toHaveLength(24)
  })
  it('accepts right words and refuses wrong or missing ones', () => {
    expect(
      checkPhraseWords(
        phrase,
        new Map([
          [0, '的'],
          [23, ' 们 '],
        ]),
      ),
    ).toBe(true)
    expect(
      checkPhraseWords(
        phrase,
        new Map([
          [0, '的'],
          [23, '我'],
        ]),
      ),
    ).toBe(false)
    expect(checkPhraseWords(phrase, new Map())).toBe(false)
    expect(checkPhraseWords('abandon ability', new Map([[0, 'ABANDON']]))).toBe(true)
  })
  it('picks distinct sorted positions', () => {
    const positions = pickCheckPositions(24, 3)
    expect(new Set(positions).size).toBe(3)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(positions.every((p) => p >= 0 && p < 24)).toBe(true)
  })
})
