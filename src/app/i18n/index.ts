// Languages of the UI: 简体中文, 繁體中文, English. The default comes from the browser
// (navigator.languages): zh-TW / zh-HK / zh-MO / zh-Hant → 繁體, any other zh → 简体.
import { en, type StringKey, type Strings } from './en.ts'
import { zhHans } from './zh-hans.ts'
import { zhHant } from './zh-hant.ts'

export type UiLanguage = 'en' | 'zh-Hans' | 'zh-Hant'
export const UI_LANGUAGES: readonly UiLanguage[] = ['zh-Hans', 'zh-Hant', 'en']
export type { StringKey, Strings }

const tables: Record<UiLanguage, Strings> = { en, 'zh-Hans': zhHans, 'zh-Hant': zhHant }

export function isUiLanguage(value: unknown): value is UiLanguage {
  return value === 'en' || value === 'zh-Hans' || value === 'zh-Hant'
}

/** Maps one BCP 47 tag to a UI language, or undefined when we have no table for it. */
export function matchLanguageTag(tag: string): UiLanguage | undefined {
  const lower = tag.toLowerCase()
  if (lower === 'zh' || lower.startsWith('zh-')) {
    if (/^zh-(hant|tw|hk|mo)(-|$)/.test(lower) || /-hant(-|$)/.test(lower)) return 'zh-Hant'
    return 'zh-Hans'
  }
  if (lower === 'en' || lower.startsWith('en-')) return 'en'
  return undefined
}

/** The first of the browser's preferred languages that we have; English otherwise. */
export function pickLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const match = matchLanguageTag(tag)
    if (match) return match
  }
  return 'en'
}

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string

/** A translator for one language; unknown placeholders stay visible rather than vanish. */
export function createTranslator(language: UiLanguage): Translate {
  const table = tables[language]
  return (key, params) => {
    const template = table[key]
    if (!params) return template
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
  }
}

/** The phrase word list that matches the UI language (protocol/identity.md). */
export function phraseLanguageFor(language: UiLanguage): 'en' | 'zh-Hans' | 'zh-Hant' {
  return language
}
