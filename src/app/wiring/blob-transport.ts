// Photos travel apart from posts (protocol/blobs.md): uploaded with a signed token before the
// post that names them is published, fetched by hash, and shown only when their bytes hash to
// what the post says. Uploads go over HTTP to the relay that served this app: the app's content
// security policy lets it fetch from its own origin only (other relays' HTTP servers are other
// origins). A photo is looked for on the device first (blob-cache.ts), then at that origin, then
// at every relay the network is connected to, over libp2p (§7: the net layer asks them in turn);
// bytes of another hash, or a failure, move on to the next source.
import { base64urlnopad } from '@scure/base'
import { fromHex } from '../../core/bytes.ts'
import { createBlobToken } from '../../core/blob-token.ts'
import { sha256Hex } from '../../core/sha256-hex.ts'
import { fail } from '../../core/errors.ts'
import type { SecretKey } from '../../core/types.ts'
import type { BlobCache } from './blob-cache.ts'

/** a relay that does not answer within this is skipped: the next one is tried */
const FETCH_TIMEOUT_MS = 15_000
/** photos held in memory to show, at most (their object URLs); fetched again after that, or after a reload */
const SHOWN_MAX = 200

export interface BlobTransport {
  /** uploads to every relay that takes it; fails (E_UNAVAILABLE) when none did */
  upload(bytes: Uint8Array, sha256: string): Promise<void>
  /** an object URL of the blob's bytes as `type`, from the first relay whose bytes have this hash */
  url(sha256: string, type: string): Promise<string>
  /** drops what is held of these blobs, in memory and on the device, and those shown with these posts (they were deleted) */
  forget(sha256s: readonly string[], postIds?: readonly string[]): void
}

export interface BlobTransportInit {
  readonly secret: SecretKey
  /** where blob routes are over HTTP: the app's own origin (`location.origin`) */
  readonly origins: () => readonly string[]
  /** the net layer's fetch over libp2p from the connected relays (network.fetchBlob); undefined while offline */
  readonly viaRelays?: (sha256: string) => Promise<Uint8Array> | undefined
  /** photos kept on the device; none: fetched again after every reload */
  readonly cache?: BlobCache | undefined
  /** the posts a photo is shown with, for the cache to delete it with them */
  readonly postsOf?: (sha256: string) => readonly string[]
}

export function createBlobTransport(init: BlobTransportInit): BlobTransport {
  const shown = new Map<string, Promise<string>>()
  const bases = (): readonly string[] => init.origins()
  // a photo deleted while it was being fetched is not put in the cache afterwards
  const forgotten = new Set<string>()

  async function overHttp(sha256: string): Promise<Uint8Array | undefined> {
    for (const base of bases()) {
      try {
        // not into the HTTP cache: a deleted post's photos must not stay on the device (the blob cache forgets them)
        const response = await fetch(`${base}/blob/${sha256}`, { cache: 'no-store', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
        if (!response.ok) continue
        const bytes = new Uint8Array(await response.arrayBuffer())
        // a relay is untrusted: bytes of another hash are someone else's picture
        if ((await sha256Hex(bytes)) === sha256) return bytes
      } catch {
        // unreachable or slow: the next source
      }
    }
    return undefined
  }

  async function overLibp2p(sha256: string): Promise<Uint8Array | undefined> {
    try {
      // the net layer checked the hash (fetchBlob)
      return await init.viaRelays?.(sha256)
    } catch {
      return undefined // no connected relay had it
    }
  }

  async function fetchVerified(sha256: string): Promise<Uint8Array> {
    const kept = await init.cache?.get(sha256).catch(() => undefined)
    if (kept !== undefined) return kept
    forgotten.delete(sha256)
    if (forgotten.size > SHOWN_MAX) forgotten.clear()
    const bytes = (await overHttp(sha256)) ?? (await overLibp2p(sha256))
    if (bytes === undefined) return fail('E_UNAVAILABLE', `no relay has the blob ${sha256.slice(0, 12)}…`)
    if (!forgotten.has(sha256)) await init.cache?.put(sha256, bytes, init.postsOf?.(sha256) ?? []).catch(() => undefined)
    return bytes
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
    forget(sha256s, postIds = []) {
      void init.cache?.forget(sha256s).catch(() => undefined)
      void init.cache?.forgetPosts(postIds).catch(() => undefined)
      for (const sha of sha256s) {
        forgotten.add(sha)
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
