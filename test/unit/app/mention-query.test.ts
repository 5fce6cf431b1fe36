import { describe, expect, it } from 'vitest'
import { findMentionQuery, insertMention, keptMentions } from '../../../src/app/lib/mention-query.ts'
import { splitText } from '../../../src/app/lib/linkify.ts'
import type { AuthorId } from '../../../src/core/types.ts'

describe('mention query', () => {
  it('finds @letters before the caret, at the start or after a space (Chinese too)', () => {
    expect(findMentionQuery('@be', 3)).toEqual({ start: 0, prefix: 'be' })
    expect(findMentionQuery('hi @小', 5)).toEqual({ start: 3, prefix: '小' })
    expect(findMentionQuery('你好\u3000@Bea', 7)).toEqual({ start: 3, prefix: 'Bea' })
    expect(findMentionQuery('hi @be and more', 6)).toEqual({ start: 3, prefix: 'be' })
  })
  it('ignores e-mail-like text, a bare @, and a caret past a space', () => {
    expect(findMentionQuery('me@host', 7)).toBeUndefined()
    expect(findMentionQuery('hi @', 4)).toBeUndefined()
    expect(findMentionQuery('hi @be ', 7)).toBeUndefined()
  })
  it('inserts @name and a space, keeping the rest', () => {
    const q = findMentionQuery('hi @be and more', 6)!
    expect(insertMention('hi @be and more', q, 'Bea Li')).toEqual({ text: 'hi @Bea Li and more', caret: 11 })
    expect(insertMention('@小', findMentionQuery('@小', 2)!, '小明')).toEqual({ text: '@小明 ', caret: 4 })
  })
  it('keeps only people whose @name is still in the text, once each', () => {
    const bea = { id: 'did:key:b', name: 'Bea' }
    const ming = { id: 'did:key:m', name: '小明' }
    expect(keptMentions('hi @Bea', [bea, ming, bea])).toEqual([bea])
  })
})

describe('mention segments', () => {
  const bea = { id: 'did:key:z6MkB' as AuthorId, name: 'Bea' }
  const beaLi = { id: 'did:key:z6MkL' as AuthorId, name: 'Bea Li' }
  it('links @name of a mentioned author only, longest name first, as text', () => {
    expect(splitText('hi @Bea Li and @Bea, not @Bob #tag', [bea, beaLi])).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@Bea Li', author: beaLi.id },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@Bea', author: bea.id },
      { kind: 'text', text: ', not @Bob ' },
      { kind: 'hashtag', text: '#tag', tag: 'tag' },
    ])
    expect(splitText('@Bea', [])).toEqual([{ kind: 'text', text: '@Bea' }])
  })
  it('a name that looks like HTML stays text inside the segment', () => {
    const evil = { id: 'did:key:z6MkE' as AuthorId, name: '<img src=x onerror=alert(1)>' }
    expect(splitText('@<img src=x onerror=alert(1)>!', [evil])).toEqual([
      { kind: 'mention', text: '@<img src=x onerror=alert(1)>', author: evil.id },
      { kind: 'text', text: '!' },
    ])
  })
})
