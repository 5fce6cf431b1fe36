// Invite links (protocol/invites.md) arrive in the address as `#invite=…`. The fragment leaves
// the address bar at once (it should not stay in history); it is verified by core's decoder,
// which is loaded on demand so that CBOR and Ed25519 stay off the first paint. The verified
// invite waits here until someone takes it: the welcome screen names the inviter meanwhile,
// and the app accepts it once an identity is open.
import { signal, type ReadonlySignal } from '@preact/signals'
import type { Invite } from '../../core/invite.ts'
import { codeOf } from '../lib/describe-error.ts'

const PREFIX = '#invite='

/** The invite fragment of the address, if there is one; the address then shows `#/home`. */
export function takeInviteFragment(): string | undefined {
  if (!location.hash.startsWith(PREFIX)) return undefined
  const fragment = location.hash
  history.replaceState(null, '', `${location.pathname}${location.search}#/home`)
  return fragment
}

export interface InviteInbox {
  /** the latest verified invite not taken yet */
  readonly pending: ReadonlySignal<Invite | undefined>
  /** verifies an invite fragment; a bad one is reported (its error code) and dropped */
  receive(fragment: string): Promise<void>
  /** the pending invite, after any still being verified; it is no longer pending then */
  take(): Promise<Invite | undefined>
}

export function createInviteInbox(onBad: (code: string) => void): InviteInbox {
  const pending = signal<Invite | undefined>(undefined)
  let verifying = Promise.resolve()
  return {
    pending,
    receive(fragment) {
      verifying = verifying.then(async () => {
        try {
          const { parseInvite } = await import('../../core/invite.ts')
          pending.value = await parseInvite(fragment)
        } catch (error) {
          onBad(codeOf(error))
        }
      })
      return verifying
    },
    async take() {
      await verifying
      const invite = pending.value
      pending.value = undefined
      return invite
    },
  }
}
