// What the Settings screen can ask of the app lock (src/app/README.md "App lock"). The lock
// needs the current passphrase to be turned off or changed: someone holding an unlocked phone
// cannot take the lock away without it.
export interface AppLockStatus {
  readonly on: boolean
  /** locks again after this many idle minutes; 0 = only when the app is closed */
  readonly idleMinutes: number
}

export interface AppLockControl {
  status(): Promise<AppLockStatus>
  /** seals the seed with the passphrase and the private state with the at-rest key (E_BAD_TEXT: passphrase too short) */
  enable(passphrase: string, idleMinutes: number): Promise<void>
  /** E_BAD_PHRASE: the current passphrase is wrong; nothing changed */
  changePassphrase(current: string, next: string): Promise<void>
  /** E_BAD_PHRASE: the current passphrase is wrong; nothing changed */
  disable(current: string): Promise<void>
  setIdleMinutes(minutes: number): Promise<void>
  /** forgets the seed in this tab and asks for the passphrase again */
  lockNow(): void
}

/** Idle times the lock offers, in minutes; 0 = only when the app is closed. */
export const IDLE_CHOICES: readonly number[] = [5, 15, 60, 0]
/** The idle time of a lock turned on while onboarding (changed in Settings). */
export const DEFAULT_IDLE_MINUTES = 15
