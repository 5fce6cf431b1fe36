// The UI language: chosen from the browser on first run, then the user's choice, kept in
// localStorage because it is needed synchronously before first paint (it is not private).
import { isUiLanguage, pickLanguage, type UiLanguage } from '../i18n/index.ts'
import { NOTHING_SEEN, parseSeen, type SeenNotifications } from '../lib/seen-notifications.ts'

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

/** What the person has seen of their notifications (for the unread count). */
export function loadSeen(): SeenNotifications {
  try {
    return parseSeen(localStorage.getItem(SEEN))
  } catch {
    return NOTHING_SEEN
  }
}

export function saveSeen(seen: SeenNotifications): void {
  try {
    localStorage.setItem(SEEN, JSON.stringify(seen))
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
