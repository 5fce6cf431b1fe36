// Loaded when a new service worker starts installing over a verified one: compare its script
// with the sw.js of the newest manifest signed by the pinned key (protocol/releases.md §7). An
// honest new worker verifies its release itself; this check is for one that would not. It is
// not proof: an origin can serve this request other bytes than the browser's own fetch of sw.js.
import { fromHex } from '../../core/bytes.ts'
import { isWildgrassError } from '../../core/errors.ts'
import { checkReleaseFile, findReleaseFile, MAX_RELEASE_FILE_BYTES, MAX_RELEASE_MANIFEST_BYTES, openReleaseManifest } from '../../core/release-manifest.ts'
import { readAtMost } from '../worker/release-install.ts'
import type { Refusal } from '../worker/release-messages.ts'

export interface NewWorkerCheck {
  /** release.cbor and the new worker's script, fetched past every cache */
  readonly manifest: Promise<Response | undefined>
  readonly script: Promise<Response | undefined>
  /** the pinned release key, hex */
  readonly key: string
  /** the newest release this device runs or holds */
  readonly installedSeq: number
}

/** A refusal when the new worker is not the sw.js of a newer signed release; undefined when it is, or when the origin cannot tell. */
export async function checkNewWorker(check: NewWorkerCheck): Promise<Refusal | undefined> {
  const manifestBytes = await readBody(check.manifest, MAX_RELEASE_MANIFEST_BYTES + 1)
  if (manifestBytes === undefined) return undefined
  let manifest
  try {
    manifest = await openReleaseManifest(manifestBytes, fromHex(check.key))
  } catch (error) {
    return { code: isWildgrassError(error) ? error.code : 'E_MALFORMED', installed: check.installedSeq }
  }
  if (manifest.seq < check.installedSeq) return { code: 'E_DOWNGRADE', offered: manifest.seq, installed: check.installedSeq }
  const script = await readBody(check.script, MAX_RELEASE_FILE_BYTES + 1)
  if (script === undefined) return undefined
  try {
    checkReleaseFile(findReleaseFile(manifest, 'sw.js')!, script)
    return undefined
  } catch {
    return { code: 'E_HASH_MISMATCH', path: 'sw.js', installed: check.installedSeq }
  }
}

async function readBody(pending: Promise<Response | undefined>, limit: number): Promise<Uint8Array | undefined> {
  try {
    const response = await pending
    return response?.ok ? await readAtMost(response, limit) : undefined
  } catch {
    return undefined
  }
}
