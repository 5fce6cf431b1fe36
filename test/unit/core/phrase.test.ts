// Backup phrases (protocol/identity.md "Backup phrase"): vectors, tolerant import, detection.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js'
import { wordlist as traditional } from '@scure/bip39/wordlists/traditional-chinese.js'
import vectors from '../../../protocol/vectors/identity.json' with { type: 'json' }
import { fromHex, toHex } from '../../../src/core/bytes.ts'
import { isWildgrassError } from '../../../src/core/errors.ts'
import { phraseToSecretKey, secretKeyToPhrase, PHRASE_LANGUAGES, type PhraseLanguage } from '../../../src/core/phrase.ts'
import type { SecretKey } from '../../../src/core/types.ts'

interface Case {
  type: string
  description: string
  valid: boolean
  seedHex?: string
  phrase?: string
  phrases?: Record<string, string>
  detected?: Record<string, string>
  language?: string
  code?: string
}
const cases = vectors as Case[]

describe('phrase vectors', () => {
  for (const v of cases.filter((c) => c.type === 'identity')) {
    it(`exports and restores: ${v.description}`, () => {
      for (const lang of PHRASE_LANGUAGES) {
        const phrase = v.phrases![lang]!
        expect(secretKeyToPhrase(fromHex(v.seedHex!) as SecretKey, lang)).toBe(phrase)
        expect(phrase.split(' ')).toHaveLength(24)
        const back = phraseToSecretKey(phrase)
        expect(toHex(back.secret)).toBe(v.seedHex)
        expect(back.language).toBe(v.detected![lang])
      }
    })
  }
  for (const v of cases.filter((c) => c.type === 'phrase')) {
    it(`${v.valid ? 'accepts' : 'rejects'}: ${v.description}`, () => {
      if (v.valid) {
        const r = phraseToSecretKey(v.phrase!)
        expect(toHex(r.secret)).toBe(v.seedHex)
        expect(r.language).toBe(v.language)
      } else {
        expect(() => phraseToSecretKey(v.phrase!)).toThrow(v.code)
      }
    })
  }
})

describe('phrase rules', () => {
  it('the two Chinese lists put every shared character at the same index (so detection is exact)', () => {
    const t = new Map(traditional.map((w, i) => [w, i]))
    let shared = 0
    simplified.forEach((w, i) => {
      const j = t.get(w)
      if (j !== undefined) {
        shared++
        expect(j).toBe(i)
      }
    })
    expect(shared).toBeGreaterThan(1000)
  })

  it('a phrase made only of characters in both Chinese lists restores the same key, reported as zh-Hans', () => {
    const zero = cases.find((c) => c.description.includes('all-zero seed'))!
    const hant = zero.phrases!['zh-Hant']!
    expect(hant.split(' ').every((w) => simplified.includes(w) && traditional.includes(w))).toBe(true)
    expect(phraseToSecretKey(hant)).toEqual({ secret: fromHex(zero.seedHex!), language: 'zh-Hans' })
    expect(zero.detected!['zh-Hant']).toBe('zh-Hans')
  })

  it('rejects non-strings, lone surrogates and huge inputs with E_BAD_PHRASE', () => {
    expect(() => phraseToSecretKey(42 as unknown as string)).toThrow('E_BAD_PHRASE')
    expect(() => phraseToSecretKey('abandon \ud800')).toThrow('E_BAD_PHRASE')
    expect(() => phraseToSecretKey('abandon '.repeat(2000))).toThrow('E_BAD_PHRASE')
  })
})

describe('phrase properties', () => {
  const lang = fc.constantFrom<PhraseLanguage>(...PHRASE_LANGUAGES)
  it('round-trips any seed in all three languages; all three phrases give the same key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), lang, (seed, l) => {
        const r = phraseToSecretKey(secretKeyToPhrase(seed as SecretKey, l))
        expect(toHex(r.secret)).toBe(toHex(seed))
        expect(['zh-Hans', 'zh-Hant'].includes(l) ? r.language.startsWith('zh') : r.language === 'en').toBe(true)
      }),
      { numRuns: 500, seed: 3 },
    )
  })

  it('random text only ever produces WildgrassError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fc.constantFrom(...simplified.slice(0, 50), ' ', '\u3000'), { maxLength: 40 }).map((a) => a.join('')),
        ),
        (s) => {
          try {
            phraseToSecretKey(s)
          } catch (e) {
            expect(isWildgrassError(e, 'E_BAD_PHRASE')).toBe(true)
          }
        },
      ),
      { numRuns: 2000, seed: 11 },
    )
  })
})
