// On every screen: the origin served a modified app and the service worker refused it (or a new
// worker's script is not the signed one); and, quieter, a verified update waiting for a reload.
import type { Refusal, ReleaseView } from '../state/release-view.ts'
import type { Translate } from '../i18n/index.ts'
import { useI18n } from './i18n-context.ts'

// a new service worker no signed release vouches for: the browser installs it whatever the
// app says, so the headline cannot be "not installed"
const isWorker = (refusal: Refusal): boolean => refusal.path === 'sw.js'

function describeRefusal(t: Translate, refusal: Refusal): string[] {
  if (refusal.code === 'E_HASH_MISMATCH' && isWorker(refusal)) return [t('release.refusedWorker')]
  const what =
    refusal.code === 'E_HASH_MISMATCH'
      ? t('release.refusedFile', { path: refusal.path ?? '?' })
      : refusal.code === 'E_DOWNGRADE'
        ? t('release.refusedDowngrade', { offered: refusal.offered ?? '?', installed: refusal.installed ?? '?' })
        : t('release.refusedSignature', { code: refusal.code })
  return isWorker(refusal) ? [what, t('release.refusedWorker')] : [what]
}

export function ReleaseWarning(props: { release: ReleaseView | undefined; onReload: () => void }) {
  const { t } = useI18n()
  const r = props.release
  if (r?.refusal) {
    return (
      <div class="release-warning" role="alert" data-testid="release-warning" data-code={r.refusal.code}>
        <strong>{t(isWorker(r.refusal) ? 'release.warningWorker' : 'release.warning')}</strong>
        {describeRefusal(t, r.refusal).map((line) => (
          <p key={line}>{line}</p>
        ))}
        <p>{r.fingerprint ? t('release.keepRunning', { version: `${r.version} (${r.seq})` }) : t('release.notVerified')}</p>
      </div>
    )
  }
  if (r?.ready) {
    return (
      <p class="notice release-ready" role="status" data-testid="release-ready">
        {t('release.ready', { version: r.ready.version, seq: r.ready.seq })}{' '}
        <button type="button" class="small" onClick={props.onReload}>
          {t('release.reload')}
        </button>
      </p>
    )
  }
  return null
}
