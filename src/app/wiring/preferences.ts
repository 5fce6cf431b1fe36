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

const SEEN = 'wildgrass.notificationsSeen'

/** Newest notification time the user has seen (for the unread count). */
export function loadSeen(): number {
  try {
    return Number(localStorage.getItem(SEEN) ?? 0) || 0
  } catch {
    return 0
  }
}

export function saveSeen(ts: number): void {
  try {
    localStorage.setItem(SEEN, String(ts))
  } catch {
    // not persisted
  }
}

export function saveLanguage(language: UiLanguage): void {
  try {
    localStorage.setItem(KEY, language)
  } catch {
    // not persisted; the choice still applies to this page
  }
}
