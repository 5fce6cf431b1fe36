// An invite asks before it acts (protocol/invites.md §6): opening one only shows what accepting
// would do; the inbox (wiring/invite-inbox.ts) holds it until the person accepts or declines.
import type { ReadonlySignal } from '@preact/signals'
import type { Invite } from '../../core/invite.ts'

export interface InvitePrompt {
  /** the verified invite waiting for a decision */
  readonly pending: ReadonlySignal<Invite | undefined>
  /** the person accepted it: it is acted on once an identity is open (at once if one is) */
  readonly approved: ReadonlySignal<boolean>
  approve(): void
  /** drops it: nothing it names is followed, added or joined */
  decline(): void
}
