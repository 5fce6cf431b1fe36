// Relative time for post headers ("3 min", "2 小时前"), absolute date past a week.
import type { Translate, UiLanguage } from '../i18n/index.ts'

export function formatRelativeTime(ts: number, now: number, t: Translate, language: UiLanguage): string {
  const seconds = Math.max(0, Math.round((now - ts) / 1000))
  if (seconds < 60) return t('time.now')
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return t('time.minutes', { n: minutes })
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return t('time.hours', { n: hours })
  const days = Math.floor(hours / 24)
  if (days < 7) return t('time.days', { n: days })
  return new Date(ts).toLocaleDateString(language, { year: 'numeric', month: 'short', day: 'numeric' })
}
