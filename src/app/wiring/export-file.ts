// "Export all my data as a file": my feed document's signed changes (profile,
// follows, index), my events, and my private lists and settings — plus, only in a file
// sealed with a passphrase (lib/export-crypto.ts), the identity secret. A file without the
// secret is for people who keep their backup phrase: it is imported after restoring from it.
// Format: src/app/README.md "Export file".
import { decode, encode } from '@ipld/dag-cbor'
import { encodeDidKey, fail, getPublicKey } from '../../core/index.ts'
import type { AuthorId, SecretKey } from '../../core/types.ts'
import type { AppSettings } from '../state/backend.ts'
import { readPhotoSettings } from '../lib/data-saver.ts'
import { openExport, sealExport, wrapPlainExport, type ScryptParams } from '../lib/export-crypto.ts'

export interface ExportData {
  readonly author: AuthorId
  /** present only in a sealed file */
  readonly secret?: SecretKey | undefined
  readonly settings: AppSettings
  readonly muted: readonly AuthorId[]
  readonly blocked: readonly AuthorId[]
  readonly changes: readonly Uint8Array[]
  readonly events: readonly Uint8Array[]
}

/**
 * With a passphrase: the whole payload, secret included, sealed. Without: the payload minus
 * the secret, in clear. A secret is never written without a passphrase.
 */
export async function encodeExport(data: ExportData, passphrase?: string, params?: ScryptParams): Promise<Uint8Array> {
  const payload = encode({
    author: data.author,
    ...(passphrase !== undefined && data.secret ? { secret: data.secret } : {}),
    settings: {
      relays: [...data.settings.relays],
      privacy: data.settings.privacy,
      mutedWords: [...data.settings.mutedWords],
      photos: { ...data.settings.photos },
    },
    muted: [...data.muted],
    blocked: [...data.blocked],
    changes: [...data.changes],
    events: [...data.events],
  })
  return passphrase === undefined ? wrapPlainExport(payload) : sealExport(payload, passphrase, params)
}

const isBytesList = (v: unknown): v is Uint8Array[] => Array.isArray(v) && v.every((x) => x instanceof Uint8Array)
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

/**
 * Reads an export file (v2 sealed or plain, or a legacy v1 file). Typed errors, nothing
 * applied: E_TRUNCATED, E_MALFORMED, E_UNKNOWN_VERSION, E_BAD_PHRASE (missing or wrong
 * passphrase, or a changed sealed file).
 */
export async function decodeExport(bytes: Uint8Array, passphrase?: string): Promise<ExportData> {
  const { kind, payload } = await openExport(bytes, passphrase)
  let raw: unknown
  try {
    raw = decode(payload)
  } catch (cause) {
    return fail('E_MALFORMED', 'export file: payload', cause)
  }
  if (typeof raw !== 'object' || raw === null) fail('E_MALFORMED', 'export file: payload')
  const o = raw as Record<string, unknown>
  const s = o.settings as Record<string, unknown> | undefined
  if (o.secret !== undefined && (!(o.secret instanceof Uint8Array) || o.secret.length !== 32)) fail('E_MALFORMED', 'export file: secret')
  // a plain v2 file never carries a secret: one that does was not written by this app
  if (kind === 'plain' && o.secret !== undefined) fail('E_MALFORMED', 'export file: a secret outside a sealed file')
  const secret = o.secret as SecretKey | undefined
  const author = secret ? encodeDidKey(getPublicKey(secret)) : o.author
  if (typeof author !== 'string' || (o.author !== undefined && o.author !== author)) fail('E_MALFORMED', 'export file: author')
  if (!isBytesList(o.changes) || !isBytesList(o.events)) fail('E_MALFORMED', 'export file: changes/events')
  if (!isTextList(o.muted) || !isTextList(o.blocked)) fail('E_MALFORMED', 'export file: lists')
  if (!s || !isTextList(s.relays) || !isTextList(s.mutedWords)) fail('E_MALFORMED', 'export file: settings')
  return {
    author: author as AuthorId,
    secret,
    settings: {
      relays: s.relays,
      mutedWords: s.mutedWords,
      privacy: s.privacy === 'relay-only' ? 'relay-only' : 'direct',
      photos: readPhotoSettings(s.photos),
    },
    muted: o.muted as AuthorId[],
    blocked: o.blocked as AuthorId[],
    changes: o.changes,
    events: o.events,
  }
}
