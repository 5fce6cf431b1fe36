// Photos travel apart from posts (protocol/blobs.md): uploaded with a signed token before the
// post that names them is published, fetched by hash, and shown only when their bytes hash to
// what the post says. Over HTTP to the relay that served this app: the app's content security
// policy lets it fetch from its own origin only (other relays' HTTP servers are other origins, on
// other ports than their WebSockets), so a photo reaches the people whose app comes from a relay
// that holds it.
import { base64urlnopad } from '@scure/base'
import { fromHex, toHex } from '../../core/bytes.ts'
import { createBlobToken } from '../../core/blob-token.ts'
import { fail } from '../../core/errors.ts'
import type { SecretKey } from '../../core/types.ts'

/** a relay that does not answer within this is skipped: the next one is tried */
const FETCH_TIMEOUT_MS = 15_000
/** photos held in memory to show, at most (their object URLs); fetched again after that, or after a reload */
const SHOWN_MAX = 200

export interface BlobTransport {
  /** uploads to every relay that takes it; fails (E_UNAVAILABLE) when none did */
  upload(bytes: Uint8Array, sha256: string): Promise<void>
  /** an object URL of the blob's bytes as `type`, from the first relay whose bytes have this hash */
  url(sha256: string, type: string): Promise<string>
  /** drops what is held of these blobs (their post was deleted) */
  forget(sha256s: readonly string[]): void
}

/** `origins`: where blob routes are, the app's own origin first (`location.origin`). */
export function createBlobTransport(init: { secret: SecretKey; origins: () => readonly string[] }): BlobTransport {
  const shown = new Map<string, Promise<string>>()
  const bases = (): readonly string[] => init.origins()

  async function fetchVerified(sha256: string): Promise<Uint8Array> {
    for (const base of bases()) {
      try {
        // not into the HTTP cache: a deleted post's photos must not stay on the device
        const response = await fetch(`${base}/blob/${sha256}`, { cache: 'no-store', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
        if (!response.ok) continue
        const bytes = new Uint8Array(await response.arrayBuffer())
        // a relay is untrusted: bytes of another hash are someone else's picture
        if (toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))) === sha256) return bytes
      } catch {
        // unreachable or slow: the next relay
      }
    }
    return fail('E_UNAVAILABLE', `no relay has the blob ${sha256.slice(0, 12)}…`)
  }

  return {
    async upload(bytes, sha256) {
      const token = createBlobToken(init.secret, { sha256: fromHex(sha256), size: bytes.length })
      const authorization = `Wildgrass-Blob ${base64urlnopad.encode(token.bytes)}`
      const results = await Promise.all(
        bases().map(async (base) => {
          try {
            const response = await fetch(`${base}/blob/${sha256}`, { method: 'PUT', body: bytes as BodyInit, headers: { authorization } })
            return response.ok
          } catch {
            return false
          }
        }),
      )
      if (!results.includes(true)) fail('E_UNAVAILABLE', 'no relay took the photo')
    },
    url(sha256, type) {
      let found = shown.get(sha256)
      if (found === undefined) {
        found = fetchVerified(sha256).then((bytes) => URL.createObjectURL(new Blob([bytes as BlobPart], { type })))
        found.catch(() => shown.delete(sha256)) // not found now: asked again next time
        shown.set(sha256, found)
        if (shown.size > SHOWN_MAX) {
          const [oldest, url] = shown.entries().next().value!
          shown.delete(oldest)
          void url.then(
            (u) => URL.revokeObjectURL(u),
            () => undefined,
          )
        }
      }
      return found
    },
    forget(sha256s) {
      for (const sha of sha256s) {
        const url = shown.get(sha)
        shown.delete(sha)
        void url?.then(
          (u) => URL.revokeObjectURL(u),
          () => undefined,
        )
      }
    },
  }
}
