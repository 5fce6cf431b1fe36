// Loaded after first paint. Placeholder until the store and network land: keeps the build
// and the app shell working.
import type { Controller } from '../state/controller.ts'
import type { Session } from '../state/session.ts'
import type { AppDb } from './app-db.ts'

export interface StartInit {
  readonly controller: Controller
  readonly db: AppDb | undefined
  readonly hasIdentity: boolean
  readonly setSession: (session: Session) => void
}

export async function startApp(init: StartInit): Promise<void> {
  await Promise.resolve()
  if (!init.hasIdentity) init.controller.needOnboarding()
}
