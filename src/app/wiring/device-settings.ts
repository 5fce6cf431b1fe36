// Device settings (private, never published): relays, privacy mode, muted words, photos. Kept in the
// app database beside the identity.
import type { AppSettings } from '../state/backend.ts'
import type { PrivacyMode } from '../state/view-types.ts'
import type { AppDb } from './app-db.ts'
import { DEFAULT_PHOTO_SETTINGS, readPhotoSettings } from '../lib/data-saver.ts'

export const DEFAULT_SETTINGS: AppSettings = { relays: [], privacy: 'direct', mutedWords: [], photos: DEFAULT_PHOTO_SETTINGS }

export async function loadSettings(db: AppDb): Promise<AppSettings> {
  const saved = await db.get<Partial<AppSettings>>('settings')
  return {
    relays: Array.isArray(saved?.relays) ? saved.relays.filter((r): r is string => typeof r === 'string') : [],
    privacy: saved?.privacy === 'relay-only' ? 'relay-only' : ('direct' satisfies PrivacyMode),
    mutedWords: Array.isArray(saved?.mutedWords) ? saved.mutedWords.filter((w): w is string => typeof w === 'string') : [],
    community: typeof saved?.community === 'string' && saved.community ? saved.community : undefined,
    photos: readPhotoSettings(saved?.photos),
  }
}

export async function saveSettings(db: AppDb, settings: AppSettings): Promise<void> {
  await db.put('settings', {
    relays: [...settings.relays],
    privacy: settings.privacy,
    mutedWords: [...settings.mutedWords],
    community: settings.community,
    photos: { ...settings.photos },
  })
}

/** Case- and width-insensitive: "ＡＢＣ" matches "abc", 中文 matches as written. */
export function matchesMutedWord(text: string, words: readonly string[]): boolean {
  if (words.length === 0) return false
  const haystack = text.normalize('NFKC').toLowerCase()
  return words.some((w) => {
    const needle = w.normalize('NFKC').toLowerCase().trim()
    return needle !== '' && haystack.includes(needle)
  })
}
