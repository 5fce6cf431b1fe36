// The frame around every screen: a skip link, the header with the connection state (relays,
// peers, queued posts — always visible) and the main navigation.
import type { ComponentChildren } from 'preact'
import type { Route } from '../lib/route.ts'
import type { ConnectionView } from '../state/view-types.ts'
import { useI18n } from './i18n-context.ts'

const NAV: ReadonlyArray<{
  name: Route['name']
  href: string
  label: 'nav.home' | 'nav.community' | 'nav.notifications' | 'nav.messages' | 'nav.search' | 'nav.profile' | 'nav.settings'
}> = [
  { name: 'home', href: '#/home', label: 'nav.home' },
  { name: 'community', href: '#/community', label: 'nav.community' },
  { name: 'notifications', href: '#/notifications', label: 'nav.notifications' },
  { name: 'messages', href: '#/messages', label: 'nav.messages' },
  { name: 'search', href: '#/search', label: 'nav.search' },
  { name: 'me', href: '#/me', label: 'nav.profile' },
  { name: 'settings', href: '#/settings', label: 'nav.settings' },
]

export function ConnectionBadge(props: { connection: ConnectionView }) {
  const { t } = useI18n()
  const c = props.connection
  // relays, not addresses: one relay is often listed twice (WebSocket and WebRTC-direct, from its ./relay.json)
  const connectedRelays = new Set(c.relays.filter((r) => r.connected).map((r) => r.address.slice(r.address.lastIndexOf('/p2p/')))).size
  const label =
    c.state === 'offline'
      ? t('status.offline')
      : c.state === 'connecting'
        ? t('status.connecting')
        : t('status.online', { relays: connectedRelays, peers: c.peers })
  return (
    <p class={`connection connection-${c.state}`} role="status" aria-live="polite" data-testid="connection">
      <span class="dot" aria-hidden="true" /> {label}
      {c.queued > 0 && <span class="queued"> · {t('status.queued', { n: c.queued })}</span>}
    </p>
  )
}

export function AppShell(props: { route: Route; connection: ConnectionView; unread: number; unreadMessages?: number; children: ComponentChildren }) {
  const { t } = useI18n()
  return (
    <div class="shell">
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault()
          document.getElementById('main')?.focus()
        }}
      >
        {t('nav.skip')}
      </a>
      <header class="top">
        <a class="brand" href="#/home">
          {t('app.name')}
        </a>
        <ConnectionBadge connection={props.connection} />
      </header>
      <nav class="nav" aria-label={t('nav.main')}>
        {NAV.map((item) => (
          <a
            key={item.name}
            href={item.href}
            aria-current={
              props.route.name === item.name || (item.name === 'messages' && (props.route.name === 'requests' || props.route.name === 'conversation'))
                ? 'page'
                : undefined
            }
          >
            {t(item.label)}
            {item.name === 'notifications' && props.unread > 0 ? ` (${props.unread})` : ''}
            {item.name === 'messages' && (props.unreadMessages ?? 0) > 0 ? ` (${props.unreadMessages})` : ''}
          </a>
        ))}
      </nav>
      <main id="main" class="content" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  )
}
