// Settings → "About this app": version, release number and the two fingerprints that two people
// can read aloud to each other (protocol/releases.md §4).
import type { ReleaseView } from '../state/release-view.ts'
import { useI18n } from './i18n-context.ts'

export function ReleaseInfo(props: { release: ReleaseView }) {
  const { t } = useI18n()
  const r = props.release
  return (
    <section aria-labelledby="release-title" class="stack release-info">
      <h2 id="release-title">{t('release.title')}</h2>
      <p data-testid="release-version">{t('release.version', { version: r.version, seq: r.seq })}</p>
      {r.development && (
        <p class="warning" data-testid="release-development">
          {t('release.development')}
        </p>
      )}
      <dl class="fingerprints">
        <dt>{t('release.key')}</dt>
        <dd>
          <code data-testid="release-key">{r.keyFingerprint}</code>
        </dd>
        <dt>{t('release.fingerprint')}</dt>
        <dd>{r.fingerprint ? <code data-testid="release-fingerprint">{r.fingerprint}</code> : <span class="muted">{t('release.unverified')}</span>}</dd>
      </dl>
      <p class="muted">{t('release.compare')}</p>
    </section>
  )
}
