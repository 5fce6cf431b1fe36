// What the screens show about the running release (Settings, the warning banner).
import type { Refusal } from '../worker/release-messages.ts'

export type { Refusal }

export interface ReleaseView {
  readonly version: string
  readonly seq: number
  /** fingerprintDigits of the release key the app trusts */
  readonly keyFingerprint: string
  /** signed with the public development key */
  readonly development: boolean
  /** fingerprintDigits of this release's manifest, once the service worker holds it verified */
  readonly fingerprint?: string
  /** the origin served something that is not a signed release, and it was refused */
  readonly refusal?: Refusal
  /** a newer verified release is installed: a reload runs it */
  readonly ready?: { readonly seq: number; readonly version: string }
}
