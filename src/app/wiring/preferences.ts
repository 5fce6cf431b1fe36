// The UI language: chosen from the browser on first run, then the user's choice, kept in
// localStorage because it is needed synchronously before first paint (it is not private).
import { isUiLanguage, pickLanguage, type UiLanguage } from '../i18n/index.ts'

const KEY = 'wildgrass.language'

export function loadLanguage(): UiLanguage {
  try {
    const saved = localStorage.getItem(KEY)
    if (isUiLanguage(saved)) return saved
  } catch {
    // storage disabled: fall through to the browser's languages
  }
  return pickLanguage(navigator.languages.length ? navigator.languages : [navigator.language])
}

export function saveLanguage(language: UiLanguage): void {
  try {
    localStorage.setItem(KEY, language)
  } catch {
    // not persisted; the choice still applies to this page
  }
}
