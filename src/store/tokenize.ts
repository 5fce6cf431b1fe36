// Search tokens that work for Chinese: words from Intl.Segmenter (word granularity)
// for alphabetic scripts, and for Han/Kana/Hangul runs every character and every pair of
// adjacent characters (bigrams). A segmenter's Chinese words depend on the context, so a
// query word could be cut differently than the same word inside a post: bigrams do not
// depend on context, and the query side uses only bigrams (or the single character).
// Simplified and Traditional characters are different characters: 简体 queries match 简体
// text. Normalized with NFKC and lower case (full-width Latin matches half-width).
import { cleanKeyText } from './keys.ts'

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu
/** tokens per event, at most (bounds index writes per post) */
export const MAX_TOKENS = 256
const MAX_TOKEN_CHARS = 40

let segmenter: Intl.Segmenter | undefined

function words(text: string): string[] {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' })
  const out: string[] = []
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment)
  return out
}

function normalize(text: string): string {
  return cleanKeyText(text.normalize('NFKC').toLowerCase())
}

function cjkGrams(run: string, withUnigrams: boolean, out: Set<string>): void {
  const chars = [...run]
  if (chars.length === 1 || withUnigrams) for (const c of chars) out.add(c)
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!)
}

function tokens(text: string, forIndex: boolean): string[] {
  const out = new Set<string>()
  const normalized = normalize(text)
  for (const run of normalized.match(CJK_RUN) ?? []) cjkGrams(run, forIndex, out)
  for (const word of words(normalized.replace(CJK_RUN, ' '))) {
    if (!CJK.test(word) && word.length <= MAX_TOKEN_CHARS) out.add(word)
  }
  return [...out]
}

/** Tokens an event's text is indexed under (deduplicated, capped). */
export function indexTokens(text: string): string[] {
  return tokens(text, true).slice(0, MAX_TOKENS)
}

/** Tokens a query must all match. */
export function queryTokens(query: string): string[] {
  return tokens(query, false)
}
