// A typed error (WildgrassError code) as words for people, with the code kept visible so a
// report can quote it.
import type { StringKey, Translate } from '../i18n/index.ts'

const KNOWN = new Set([
  'E_MALFORMED',
  'E_BAD_INVITE',
  'E_STORAGE',
  'E_WRONG_AUTHOR',
  'E_BAD_KEY',
  'E_TOO_MANY_GRAPHEMES',
  'E_BAD_TEXT',
  'E_RETRACTED',
  'E_BAD_REFERENCE',
  'E_UNAVAILABLE',
  'E_BAD_SEAL',
  'E_REPLAYED',
])

export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^E_[A-Z_]+$/.test(code) ? code : 'E_STORAGE'
}

export function describeError(t: Translate, code: string): string {
  const words = KNOWN.has(code) ? t(`error.${code}` as StringKey) : t('error.generic', { code })
  return KNOWN.has(code) ? `${words} (${code})` : words
}
