// Search tokens that work for Chinese: words from Intl.Segmenter (word granularity)
// for alphabetic scripts, and for Han/Kana/Hangul runs every character and every pair of
// adjacent characters (bigrams). A segmenter's Chinese words depend on the context, so a
// query word could be cut differently than the same word inside a post: bigrams do not
// depend on context, and the query side uses only bigrams (or the single character).
// Normalized with NFKC and lower case (full-width Latin matches half-width), then Traditional
// Chinese is folded to Simplified, character by character, with OpenCC's character table
// (opencc-js, TSCharacters: 貓 → 猫, 簡體 → 简体), so either script finds the other. A fold by
// character does not depend on the context either (OpenCC's phrase tables would: 乾隆 stays
// 乾隆 there while 乾 alone becomes 干), so folding the text and then cutting it gives the
// tokens that cutting and folding each token would. The table is many-to-one in places
// (乾/幹/干 → 干, 髮/發 → 发): a query matches slightly more, never less. Only Han characters
// are folded; the rest of the text is left as it is.
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters'
import { cleanKeyText } from './keys.ts'

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu
const HAN = /\p{Script=Han}/gu
/** tokens per event, at most (bounds index writes per post) */
export const MAX_TOKENS = 256
const MAX_TOKEN_CHARS = 40

let segmenter: Intl.Segmenter | undefined
let simplified: Map<string, string> | undefined

function words(text: string): string[] {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' })
  const out: string[] = []
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment)
  return out
}

/**
 * Traditional → Simplified, one Han character to one, from OpenCC's table ("貓 猫|簡 简|…").
 * Followed to its end (the table has 薴 → 苧 → 苎), so folding twice changes nothing.
 */
function simplifiedTable(): Map<string, string> {
  const table = new Map<string, string>()
  for (const entry of TS_CHARACTERS.split('|')) {
    const space = entry.indexOf(' ')
    const [from, to] = [entry.slice(0, space), entry.slice(space + 1)]
    if (space > 0 && oneChar(from) && oneChar(to) && from !== to) table.set(from, to)
  }
  for (const [from, to] of table) {
    let end = to
    for (let hops = 0; table.has(end) && hops < 8; hops++) end = table.get(end)!
    table.set(from, end)
  }
  return table
}

function oneChar(s: string): boolean {
  return s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff)
}

/** Folds the Traditional Chinese characters of `text` to Simplified; everything else is unchanged. */
export function foldChinese(text: string): string {
  simplified ??= simplifiedTable()
  const table = simplified
  return text.replace(HAN, (c) => table.get(c) ?? c)
}

function normalize(text: string): string {
  return foldChinese(cleanKeyText(text.normalize('NFKC').toLowerCase()))
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
