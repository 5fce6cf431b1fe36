// What the origin that served the app says about itself (`./relay.json`: { multiaddrs, key }),
// asked once, in the background: nothing at start-up waits for it, since an installed app opens
// from its service worker when that origin is gone or blocked (protocol/releases.md §8). A
// static host has none.
import { checkRelayAddress } from './net-session.ts'

export interface ServingRelay {
  readonly multiaddrs: readonly string[]
  /** the did:key that signs the relay's records and its own invites */
  readonly key?: string
}

const NONE: ServingRelay = { multiaddrs: [] }

/**
 * Starts the request now; the promise settles within `timeoutMs` whatever the origin does.
 * The origin that serves the app is trusted with the app's code anyway on a first visit, so
 * its word on its own key needs no signature.
 */
export function askServingRelay(timeoutMs = 2000): Promise<ServingRelay> {
  return fetch('./relay.json', { signal: AbortSignal.timeout(timeoutMs) })
    .then(async (response) => {
      if (!response.ok) return NONE
      const body = (await response.json()) as { multiaddrs?: unknown; key?: unknown }
      // all of them: the relay pool groups addresses by peer id (one relay, however many
      // addresses name it) and falls back to the next address when one fails (src/net/relay-pool.ts)
      const multiaddrs = (Array.isArray(body.multiaddrs) ? body.multiaddrs : [])
        .filter((a): a is string => typeof a === 'string')
        .flatMap((a) => {
          try {
            return [checkRelayAddress(a)]
          } catch {
            return []
          }
        })
        .slice(0, 8)
      return typeof body.key === 'string' ? { multiaddrs, key: body.key } : { multiaddrs }
    })
    .catch(() => NONE)
}
