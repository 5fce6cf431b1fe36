// Settings → Photos: data-saver mode (photos wait for a tap) and whether alt text is required.
// Both are this device's: a phone on a metered plan and a laptop on Wi-Fi choose differently.
import type { DataSaverMode, PhotoSettings } from '../lib/data-saver.ts'
import { useI18n } from './i18n-context.ts'

const MODES: readonly DataSaverMode[] = ['auto', 'on', 'off']

export function PhotoSettingsSection(props: { photos: PhotoSettings; waitForTapNow: boolean; onChange: (photos: PhotoSettings) => Promise<void> }) {
  const { t } = useI18n()
  const { photos } = props
  return (
    <section aria-labelledby="photos-title" class="stack">
      <h2 id="photos-title">{t('settings.photos')}</h2>
      <fieldset class="stack">
        <legend>{t('settings.dataSaver')}</legend>
        {MODES.map((mode) => (
          <label class="check" key={mode}>
            <input
              type="radio"
              name="data-saver"
              value={mode}
              checked={photos.dataSaver === mode}
              onChange={() => void props.onChange({ ...photos, dataSaver: mode })}
            />
            {t(`settings.dataSaver.${mode}`)}
          </label>
        ))}
        <p class="muted" role="status">
          {props.waitForTapNow ? t('settings.dataSaverNowOn') : t('settings.dataSaverNowOff')}
        </p>
      </fieldset>
      <label class="check">
        <input
          type="checkbox"
          name="require-alt"
          checked={photos.requireAlt}
          onChange={(e) => void props.onChange({ ...photos, requireAlt: e.currentTarget.checked })}
        />
        {t('settings.requireAlt')}
      </label>
    </section>
  )
}
