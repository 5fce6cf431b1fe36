// Builds protocol/vectors/hashtags.json (protocol/events.md §6): how a client extracts hashtags
// from text and normalizes them. A client rule, not validation, but one that two clients should
// share: the same text then carries the same tags.
import { extractHashtags, isValidHashtag, normalizeHashtag } from '../../src/core/text.ts'

export function buildHashtagVectors(): unknown[] {
  const cases: unknown[] = []
  const extract = (description: string, text: string) => cases.push({ type: 'extract', description, text, tags: extractHashtags(text) })
  const normalize = (description: string, input: string) => {
    const normalized = normalizeHashtag(input)
    cases.push({ type: 'normalize', description, input, normalized, valid: isValidHashtag(normalized) })
  }
  extract('a tag after a space, upper case folded', 'Hello #Wildgrass!')
  extract('after a Han character (Chinese has no spaces)', '今天#天气很好，出去玩')
  extract('Weibo style: the closing # ends the tag and starts nothing', '#话题#后面')
  extract('a # right after the closing # starts no tag', '#话题##标签')
  extract('a later # after a Han character starts the next tag', '#话题#后面#标签')
  extract('two Weibo-style tags with a space between', '#话题# #标签#')
  extract('after Katakana and after Hangul', 'テスト#タグ 한국어#태그')
  extract('the full-width ＃', '＃全角 tag')
  extract('not after a Latin letter, digit, &, / or #', 'C# a#b 1#x &#123; https://x.example/#frag ##double')
  extract('inside brackets and after punctuation', '(#括号) 「#引号」 ,#comma')
  extract('digits only are skipped, digits with a letter kept', '#123 #2026年 #v2')
  extract('duplicates after normalization, first one kept', '#Tag #tag #ＴＡＧ #other')
  extract('the run stops at a character outside letters, marks, numbers and _', '#a-b #c.d #snake_case')
  extract('a combining mark stays in the tag and NFKC composes it', '#e\u0301t\u00e9')
  extract('51 letters: too long, skipped', `#${'a'.repeat(51)} #ok`)
  extract('one tag per line', '#野草\n#第二行\t#三')
  extract('eleven tags: all extracted (createEvent keeps the first 10)', Array.from({ length: 11 }, (_, i) => `#t${i}`).join(' '))
  normalize('upper case', 'Wildgrass')
  normalize('a leading # is dropped', '#Wildgrass')
  normalize('a leading ＃ is dropped', '＃野草')
  normalize('full-width letters fold (NFKC)', 'ＡＢＣ')
  normalize('ß stays (lower case does not fold it)', 'Straße')
  normalize('dotted capital I lowers to i + U+0307', 'İstanbul')
  normalize('the ohm sign becomes omega', '\u2126')
  normalize('a ligature splits', 'ﬁsh')
  normalize('a circled digit becomes a digit: no letter left', '①')
  normalize('Greek final sigma stays', 'ΛΌΓΟΣ')
  return cases
}
