// The language picker (简体中文 / 繁體中文 / English); the choice is persisted by the caller.
import { UI_LANGUAGES, type UiLanguage } from '../i18n/index.ts'
import { useI18n } from './i18n-context.ts'

export function LanguageSwitch(props: { onChange: (language: UiLanguage) => void }) {
  const { t, language } = useI18n()
  return (
    <label class="language-switch">
      <span class="visually-hidden">{t('settings.language')}</span>
      <select id="language" aria-label={t('settings.language')} value={language} onChange={(e) => props.onChange(e.currentTarget.value as UiLanguage)}>
        {UI_LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
