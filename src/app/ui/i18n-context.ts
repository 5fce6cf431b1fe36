// The current language and translator, given to every component through context (set once
// by the app root; switching language re-renders the tree).
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { createTranslator, type Translate, type UiLanguage } from '../i18n/index.ts'

export interface I18n {
  readonly language: UiLanguage
  readonly t: Translate
}

export const I18nContext = createContext<I18n>({ language: 'en', t: createTranslator('en') })

export function useI18n(): I18n {
  return useContext(I18nContext)
}
