// The backup phrase (protocol/identity.md, "Backup phrase"): the 32-byte secret seed IS the
// BIP39 entropy of a 24-word phrase (no PBKDF2 seed derivation), so the same key has one phrase
// in each of the three word lists, and any of them restores it.

import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39'
import { wordlist as english } from '@scure/bip39/wordlists/english.js'
import { wordlist as simplifiedChinese } from '@scure/bip39/wordlists/simplified-chinese.js'
import { wordlist as traditionalChinese } from '@scure/bip39/wordlists/traditional-chinese.js'
import type { SecretKey } from './types.ts'
import { fail } from './errors.ts'

export type PhraseLanguage = 'en' | 'zh-Hans' | 'zh-Hant'

export const PHRASE_LANGUAGES: readonly PhraseLanguage[] = ['en', 'zh-Hans', 'zh-Hant']

export const PHRASE_WORDS = 24

// Detection order. The two Chinese lists share 1,275 characters, each at the same index in
// both lists (a test checks this), so a phrase valid in both has one entropy; it is reported
// as zh-Hans, the first list that accepts it.
const WORDLISTS: ReadonlyArray<readonly [PhraseLanguage, readonly string[]]> = [
  ['en', english],
  ['zh-Hans', simplifiedChinese],
  ['zh-Hant', traditionalChinese],
]

// Generous bound on input before any normalisation work, in code points (protocol/identity.md
// §4: 24 English words are < 250 of them).
const MAX_PHRASE_CODE_POINTS = 1000

function wordlistOf(language: PhraseLanguage): readonly string[] {
  const entry = WORDLISTS.find(([l]) => l === language)
  if (entry === undefined) return fail('E_BAD_PHRASE', 'unknown phrase language')
  return entry[1]
}

/** The 24-word phrase of a secret seed in a word list; words separated by single spaces. */
export function secretKeyToPhrase(secret: SecretKey, language: PhraseLanguage): string {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) fail('E_BAD_KEY', 'secret key must be 32 bytes')
  return entropyToMnemonic(secret, wordlistOf(language) as string[])
}

/**
 * Split a typed or pasted phrase into words. NFKD (what BIP39 prescribes) also turns the
 * ideographic space U+3000 and full-width Latin letters into their ASCII forms; then lower
 * case, any run of white space (ECMAScript's set: `\s`, identity.md §4) separates words, and
 * unless a token holds a letter a–z, a Chinese phrase may be written with no separators at all
 * (every Chinese word is one character).
 */
export function splitPhraseWords(phrase: string): string[] {
  const text = phrase.normalize('NFKD').toLowerCase().trim()
  if (text === '') return []
  const tokens = text.split(/\s+/u)
  if (tokens.some((t) => /[a-z]/.test(t))) return tokens
  return tokens.flatMap((t) => Array.from(t))
}

/** More than `max` code points (a well-formed string has at least as many UTF-16 units). */
function isLongerThan(s: string, max: number): boolean {
  if (s.length <= max) return false
  let n = 0
  for (const _ of s) if (++n > max) return true
  return false
}

/** Restore a secret seed from its phrase in any of the three lists; E_BAD_PHRASE otherwise. */
export function phraseToSecretKey(phrase: string): { secret: SecretKey; language: PhraseLanguage } {
  if (typeof phrase !== 'string' || !phrase.isWellFormed() || isLongerThan(phrase, MAX_PHRASE_CODE_POINTS)) {
    fail('E_BAD_PHRASE', 'not a phrase')
  }
  const words = splitPhraseWords(phrase)
  if (words.length !== PHRASE_WORDS) fail('E_BAD_PHRASE', `a phrase has ${PHRASE_WORDS} words, got ${words.length}`)
  let sawAllWords = false
  for (const [language, list] of WORDLISTS) {
    if (!words.every((w) => list.includes(w))) continue
    sawAllWords = true
    try {
      const entropy = mnemonicToEntropy(words.join(' '), list as string[])
      return { secret: entropy as SecretKey, language }
    } catch {
      // checksum mismatch in this list; the next list may still accept it
    }
  }
  return fail('E_BAD_PHRASE', sawAllWords ? 'checksum does not match (a word is wrong or out of order)' : 'unknown word')
}
