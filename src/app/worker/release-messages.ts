// What the service worker and the pages say to each other about releases (protocol/releases.md
// §5). Shared by the worker bundle and the app; plain data, structured-clone safe.

export const RELEASE_MESSAGE = 'wildgrass-release'

/** Why a release was refused: a protocol error code, and for E_HASH_MISMATCH the file. */
export interface Refusal {
  readonly code: string
  /** the file that did not match (E_HASH_MISMATCH) */
  readonly path?: string
  /** the release number offered (E_DOWNGRADE) */
  readonly offered?: number
  /** the newest release installed when it was refused */
  readonly installed?: number
}

export interface ReleaseSummary {
  readonly seq: number
  readonly version: string
  /** fingerprintDigits of the manifest bytes */
  readonly fingerprint: string
  /** the release key that signed it, hex: a worker built with another key installs releases of that key */
  readonly key: string
}

export type WorkerMessage =
  | { readonly type: typeof RELEASE_MESSAGE; readonly event: 'status'; readonly releases: readonly ReleaseSummary[]; readonly refusal?: Refusal }
  | { readonly type: typeof RELEASE_MESSAGE; readonly event: 'refused'; readonly refusal: Refusal }
  | { readonly type: typeof RELEASE_MESSAGE; readonly event: 'installed'; readonly release: ReleaseSummary }

/** A page asks for the status; the answer comes on the message port it sends along. */
export interface StatusRequest {
  readonly type: typeof RELEASE_MESSAGE
  readonly event: 'status?'
}

export function isWorkerMessage(data: unknown): data is WorkerMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === RELEASE_MESSAGE &&
    typeof (data as { event?: unknown }).event === 'string'
  )
}
