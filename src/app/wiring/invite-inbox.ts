// Invite links (protocol/invites.md) arrive in the address as `#invite=…`. The fragment leaves
// the address bar at once (it should not stay in history); it is verified by core's decoder,
// which is loaded on demand so that CBOR and Ed25519 stay off the first paint. The verified
// invite waits here for the person's decision (state/invite-prompt.ts): nothing it names is
// followed or added before they accept it, and an accepted one is acted on once an identity is
// open.
import { signal } from '@preact/signals'
import type { Invite } from '../../core/invite.ts'
import { codeOf } from '../lib/describe-error.ts'
import type { InvitePrompt } from '../state/invite-prompt.ts'

const PREFIX = '#invite='

/** The invite fragment of the address, if there is one; the address then shows `#/home`. */
export function takeInviteFragment(): string | undefined {
  if (!location.hash.startsWith(PREFIX)) return undefined
  const fragment = location.hash
  history.replaceState(null, '', `${location.pathname}${location.search}#/home`)
  return fragment
}

export interface InviteInbox extends InvitePrompt {
  /** verifies an invite fragment; a bad one is reported (its error code) and dropped */
  receive(fragment: string): Promise<void>
  /** the pending invite if the person accepted it; it is no longer pending then */
  take(): Invite | undefined
}

export function createInviteInbox(onBad: (code: string) => void): InviteInbox {
  const pending = signal<Invite | undefined>(undefined)
  const approved = signal(false)
  let verifying = Promise.resolve()
  return {
    pending,
    approved,
    receive(fragment) {
      verifying = verifying.then(async () => {
        try {
          const { parseInvite } = await import('../../core/invite.ts')
          const invite = await parseInvite(fragment)
          // a newer invite replaces the one waiting, and needs its own decision
          approved.value = false
          pending.value = invite
        } catch (error) {
          onBad(codeOf(error))
        }
      })
      return verifying
    },
    approve() {
      if (pending.value !== undefined) approved.value = true
    },
    decline() {
      pending.value = undefined
      approved.value = false
    },
    take() {
      if (!approved.value) return undefined
      const invite = pending.value
      pending.value = undefined
      approved.value = false
      return invite
    },
  }
}
