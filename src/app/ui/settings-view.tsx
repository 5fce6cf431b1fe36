// Settings: language, relays, privacy mode, photos, muted words, blocked people, backup phrase,
// export / import, panic wipe, invites; the settings that follow the person (children) among them.
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import type { UiLanguage } from '../i18n/index.ts'
import type { AppSettings } from '../state/backend.ts'
import type { ReleaseView } from '../state/release-view.ts'
import type { AuthorView, ConnectionView, PrivacyMode } from '../state/view-types.ts'
import { codeOf, describeError } from '../lib/describe-error.ts'
import { useI18n } from './i18n-context.ts'
import { InvitePanel } from './invite-panel.tsx'
import { LanguageSwitch } from './language-switch.tsx'
import { PrivateLists } from './private-lists.tsx'
import { DataSettings, type DataActions } from './data-settings.tsx'
import { ReleaseInfo } from './release-info.tsx'
import { AppLockSettings } from './app-lock-settings.tsx'
import { LearnedRelays } from './learned-relays.tsx'
import type { AppLockControl } from '../state/app-lock.ts'
import { PhotoSettingsSection } from './photo-settings.tsx'
import { browserConnection, photosWaitForTap, type PhotoSettings } from '../lib/data-saver.ts'

export interface SettingsActions extends DataActions {
  setLanguage(language: UiLanguage): void
  addRelay(address: string): Promise<void>
  removeRelay(address: string): Promise<void>
  setPrivacy(mode: PrivacyMode): Promise<void>
  setMutedWords(words: readonly string[]): Promise<void>
  setPhotoSettings(photos: PhotoSettings): Promise<void>
  unblock(author: AuthorView): void
  createInvite(community: string): string
  /** the app lock, where the app has one */
  appLock?: AppLockControl | undefined
}

export function SettingsView(props: {
  settings: AppSettings
  connection: ConnectionView
  blocked: readonly AuthorView[]
  release?: ReleaseView | undefined
  actions: SettingsActions
  /** settings that follow the person across devices, beside the ones of this device (before the data and danger zone) */
  children?: ComponentChildren
}) {
  const { t } = useI18n()
  const [relay, setRelay] = useState('')
  const [relayError, setRelayError] = useState('')
  const { settings, actions } = props
  const connected = new Set(props.connection.relays.filter((r) => r.connected).map((r) => r.address))
  return (
    <div class="settings stack">
      <h1>{t('settings.title')}</h1>
      <section aria-labelledby="lang-title">
        <h2 id="lang-title">{t('settings.language')}</h2>
        <LanguageSwitch onChange={actions.setLanguage} />
      </section>
      <InvitePanel canInvite={settings.relays.length > 0} community={settings.community} onCreate={actions.createInvite} />
      <section aria-labelledby="relays-title" class="stack">
        <h2 id="relays-title">{t('settings.relays')}</h2>
        <p class="muted">{t('settings.relaysExplain')}</p>
        <ul class="relays">
          {settings.relays.map((address) => (
            <li key={address}>
              <code class="relay-address">{address}</code>{' '}
              <span class={connected.has(address) ? 'ok' : 'muted'}>
                {connected.has(address) ? t('settings.relayConnected') : t('settings.relayDisconnected')}
              </span>{' '}
              <button type="button" class="small" onClick={() => void actions.removeRelay(address)}>
                {t('settings.relayRemove')}
              </button>
            </li>
          ))}
        </ul>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault()
            setRelayError('')
            void actions.addRelay(relay.trim()).then(
              () => setRelay(''),
              (err: unknown) => setRelayError(codeOf(err)),
            )
          }}
        >
          <input
            name="relay"
            aria-label={t('settings.relayAddress')}
            placeholder="/dns4/relay.example/tcp/443/wss/p2p/…"
            value={relay}
            onInput={(e) => setRelay(e.currentTarget.value)}
          />
          <button type="submit">{t('settings.relayAdd')}</button>
        </form>
        {relayError && (
          <p class="error" role="alert">
            {describeError(t, relayError)}
          </p>
        )}
        <LearnedRelays learned={props.connection.learned} onUse={actions.addRelay} />
      </section>
      <section aria-labelledby="privacy-title" class="stack">
        <h2 id="privacy-title">{t('settings.privacy')}</h2>
        <label class="check">
          <input
            type="checkbox"
            name="relay-only"
            checked={settings.privacy === 'relay-only'}
            onChange={(e) => void actions.setPrivacy(e.currentTarget.checked ? 'relay-only' : 'direct')}
          />
          {t('settings.relayOnly')}
        </label>
        <p class="muted">{t('settings.relayOnlyExplain')}</p>
        <p class="muted">{t('settings.subscriptionExplain')}</p>
      </section>
      <PhotoSettingsSection
        photos={settings.photos}
        waitForTapNow={photosWaitForTap(settings.photos.dataSaver, browserConnection())}
        onChange={actions.setPhotoSettings}
      />
      <PrivateLists mutedWords={settings.mutedWords} blocked={props.blocked} onMutedWords={actions.setMutedWords} onUnblock={actions.unblock} />
      {props.children}
      {actions.appLock && <AppLockSettings lock={actions.appLock} />}
      <DataSettings actions={actions} />
      {props.release && <ReleaseInfo release={props.release} />}
    </div>
  )
}
