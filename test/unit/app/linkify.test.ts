import { describe, expect, it } from 'vitest'
import { splitText, toSafeHref } from '../../../src/app/lib/linkify.ts'

describe('link safety', () => {
  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'http://user:pass@evil.example/',
    '//evil.example',
    'ftp://x.example',
  ])('%s is never a link', (raw) => {
    expect(toSafeHref(raw)).toBeUndefined()
    expect(splitText(raw).every((s) => s.kind !== 'link')).toBe(true)
  })

  it('links only http(s) and keeps the visible text as written', () => {
    const segments = splitText('看这个https://example.com/路径?q=1。好')
    expect(segments).toEqual([
      { kind: 'text', text: '看这个' },
      { kind: 'link', text: 'https://example.com/路径?q=1', href: 'https://example.com/%E8%B7%AF%E5%BE%84?q=1' },
      { kind: 'text', text: '。好' },
    ])
  })

  it('drops trailing punctuation from links and never lets quotes into an href', () => {
    const segments = splitText('see https://a.example/x). and "https://b.example/"onmouseover="alert(1)"')
    const links = segments.filter((s) => s.kind === 'link')
    expect(links.map((l) => l.href)).toEqual(['https://a.example/x', 'https://b.example/'])
    expect(segments.map((s) => s.text).join('')).toBe('see https://a.example/x). and "https://b.example/"onmouseover="alert(1)"')
  })

  it('finds Chinese hashtags', () => {
    expect(
      splitText('今天 #野草 很好 #Open_Source')
        .filter((s) => s.kind === 'hashtag')
        .map((s) => s.text),
    ).toEqual(['#野草', '#Open_Source'])
  })

  it('concatenation of segment texts is the input, for arbitrary strings', () => {
    const samples = ['', '<img src=x onerror=alert(1)>', 'http://', 'https://x.example/<script>', '#', '##a', 'a\u0000b', '🇨🇳 https://例子.测试/ 🧑‍🌾']
    for (const text of samples)
      expect(
        splitText(text)
          .map((s) => s.text)
          .join(''),
      ).toBe(text)
  })
})
