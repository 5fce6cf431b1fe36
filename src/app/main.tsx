// Entry point. It decides from the small app database alone what the first screen is: the
// cached home timeline (an identity is saved here) or the welcome screen (a first visit). That
// screen is painted before anything else is fetched (mark `wg:first-timeline-paint`); then the
// rest loads behind it, what the next screen needs first: on a first visit the key and phrase
// tools, then the engine (store with Automerge's wasm, libp2p network: wiring/start-app.ts),
// so that it is ready by the time the person has written the phrase down. src/app/README.md
// "First visit" says what the first paint carries.
import { render } from 'preact'
import { createController } from './state/controller.ts'
import type { PostView } from './state/view-types.ts'
import { AppRoot } from './ui/app-root.tsx'
import { preloadScreens } from './ui/screen-view.tsx'
import { openAppDb } from './wiring/app-db.ts'
import { createEngineLoader } from './wiring/engine-loader.ts'
import { loadIdentity } from './wiring/identity-store.ts'
import { askToUnlock } from './wiring/unlock.tsx'
import { sealAppDb } from './wiring/at-rest.ts'
import { createInviteInbox, takeInviteFragment } from './wiring/invite-inbox.ts'
import { createOnboardingSession } from './wiring/onboarding-session.ts'
import { loadLanguage, loadSeen, saveLanguage, saveSeen } from './wiring/preferences.ts'
import { countGraphemes } from '../core/text.ts'
import { MAX_POST_GRAPHEMES } from '../core/limits.ts'
import { describeError } from './lib/describe-error.ts'
import { downloadFile } from './lib/download.ts'
import { registerAppWorker } from './wiring/app-worker.ts'
import { goBlank, listenForWipe } from './wiring/wipe-signal.ts'
import './styles.css'

performance.mark('wg:start')

async function boot(): Promise<void> {
  const language = loadLanguage()
  document.documentElement.lang = language
  // an invite leaves the address bar at once; it is verified after the first paint
  const inviteFragment = takeInviteFragment()
  const rawDb = await openAppDb().catch(() => undefined)
  const db = rawDb ? sealAppDb(rawDb) : undefined
  listenForWipe(() => goBlank(() => db?.close()))
  const identity = db ? await loadIdentity(db).catch(() => undefined) : undefined
  // with the app lock on, the passphrase first (its screen is the first paint); a person who
  // forgot it restores from the backup phrase (onboarding)
  const secret = identity?.locked && db ? await askToUnlock(db, identity.sealed, language) : identity && !identity.locked ? identity.secret : undefined
  const snapshot = db && secret ? ((await db.get<PostView[]>('snapshot').catch(() => undefined)) ?? []) : []
  const controller = createController({
    language,
    snapshot,
    saveLanguage,
    navigate: (href) => {
      location.hash = href
    },
    loadSeen,
    saveSeen,
    scrollTop: () => window.scrollY,
  })
  const inbox = createInviteInbox((code) => {
    controller.notice.value = describeError(controller.t(), code === 'E_MALFORMED' ? 'E_BAD_INVITE' : code)
  })
  // the route is read and followed from the same moment: a link opened while the app starts
  // (between reading the address and listening) would otherwise be lost
  controller.setRoute(location.hash)
  addEventListener('hashchange', () => {
    const fragment = takeInviteFragment()
    if (fragment) void inbox.receive(fragment)
    // a new screen starts at its top: a scroll position carried over from the previous one
    // would also make the home timeline hold new posts back as if the person were reading
    window.scrollTo({ top: 0 })
    controller.setRoute(location.hash)
  })
  const engine = db ? createEngineLoader({ controller, db, inbox, newcomer: !secret }) : undefined
  const onboarding = engine && !secret ? createOnboardingSession({ engine, inbox }) : undefined
  if (onboarding) controller.needOnboarding()
  // plain http on a public address: the first screen says what does not work here, and links
  // the https address (with the invite, so it can be accepted there)
  const secureAddress = isSecureContext ? undefined : `https://${location.host}${location.pathname}${location.search}${inviteFragment ?? ''}`
  render(
    <AppRoot
      controller={controller}
      session={onboarding}
      invites={inbox}
      secureAddress={secureAddress}
      countGraphemes={countGraphemes}
      maxGraphemes={MAX_POST_GRAPHEMES}
      downloadFile={downloadFile}
    />,
    document.getElementById('app')!,
  )
  performance.mark('wg:first-paint-rendered')
  // after the browser painted that frame; nothing else is fetched before it
  await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
  performance.mark('wg:first-timeline-paint')
  document.documentElement.dataset.firstPaint = String(snapshot.length)

  setInterval(controller.tick, 30_000)

  // The first screen is usable (on a first visit: the welcome screen's buttons are painted).
  // Background work starts here and nowhere earlier, so that none of it competes with that
  // screen. A returning visit's worker is installed and only looks for an update: registered at
  // once. A first visit's worker would precache the whole release while the engine crosses the
  // same slow link: it is registered once the engine and the screens are in (below), and then
  // finds them in the HTTP cache.
  if (!onboarding) registerAppWorker(controller)
  if (inviteFragment) void inbox.receive(inviteFragment)
  try {
    if (!engine) throw Object.assign(new Error('IndexedDB is not available'), { code: 'E_STORAGE' })
    if (onboarding) {
      await onboarding.preload().catch(() => undefined)
      await engine.get()
    } else if (secret) {
      await (await engine.get()).open(secret)
    }
    // last, the screens not in the first paint (they then open offline too, worker or not)
    await preloadScreens().catch(() => undefined)
    document.documentElement.dataset.engine = 'loaded' // tests wait for it
  } catch (error) {
    // on a first visit this is not final: finishing onboarding tries again and says what failed
    if (!onboarding) controller.showFatal(error)
  }
  if (onboarding) registerAppWorker(controller)
}

void boot()
