// Entry point. Order matters (DESIGN.md principle 5, issue 5): read the small app database,
// paint the cached home timeline, mark `wg:first-timeline-paint`, and only then load the
// wiring (store with Automerge's wasm, libp2p network) with a dynamic import.
import { render } from 'preact'
import { signal } from '@preact/signals'
import { createController } from './state/controller.ts'
import type { Session } from './state/session.ts'
import type { PostView } from './state/view-types.ts'
import { AppRoot } from './ui/app-root.tsx'
import { openAppDb } from './wiring/app-db.ts'
import { loadLanguage, loadSeen, saveLanguage, saveSeen } from './wiring/preferences.ts'
import { countGraphemes } from '../core/text.ts'
import { MAX_POST_GRAPHEMES } from '../core/limits.ts'
import { downloadFile } from './lib/download.ts'
import { registerAppWorker } from './wiring/app-worker.ts'
import './styles.css'

performance.mark('wg:start')

async function boot(): Promise<void> {
  const language = loadLanguage()
  document.documentElement.lang = language
  let snapshot: readonly PostView[] = []
  let hasIdentity = false
  const db = await openAppDb().catch(() => undefined)
  if (db) {
    hasIdentity = (await db.get('identity').catch(() => undefined)) !== undefined
    snapshot = hasIdentity ? ((await db.get<PostView[]>('snapshot').catch(() => undefined)) ?? []) : []
  }
  const controller = createController({
    language, snapshot, saveLanguage, hasIdentity,
    navigate: (href) => { location.hash = href },
    loadSeen, saveSeen,
    scrollTop: () => window.scrollY,
  })
  controller.setRoute(location.hash.startsWith('#invite=') ? '' : location.hash)
  const session = signal<Session | undefined>(undefined)
  const root = document.getElementById('app')!
  const draw = (): void => render(
    <AppRoot controller={controller} session={session.value} countGraphemes={countGraphemes}
      maxGraphemes={MAX_POST_GRAPHEMES} downloadFile={downloadFile} />, root)
  draw()
  performance.mark('wg:first-paint-rendered')
  // after the browser painted that frame; nothing else is fetched before it
  await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
  performance.mark('wg:first-timeline-paint')
  // the first screen is usable: only now may the service worker's precache use the network
  registerAppWorker(controller)
  document.documentElement.dataset.firstPaint = String(snapshot.length)
  session.subscribe(draw)

  addEventListener('hashchange', () => {
    if (location.hash.startsWith('#invite=')) return
    // a new screen starts at its top: a scroll position carried over from the previous one
    // would also make the home timeline hold new posts back as if the person were reading
    window.scrollTo({ top: 0 })
    controller.setRoute(location.hash)
  })
  setInterval(controller.tick, 30_000)

  try {
    const { startApp } = await import('./wiring/start-app.ts')
    await startApp({ controller, db, hasIdentity, setSession: (s) => { session.value = s } })
  } catch (error) {
    controller.showFatal(error)
  }
}

void boot()
