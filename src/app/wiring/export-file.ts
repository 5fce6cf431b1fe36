// "Export all my data as a file" (issue 5): identity secret, my feed document's signed
// changes, my events, and my private lists and settings, as one DAG-CBOR file. It holds the
// secret key: saving or sharing it is the user's own choice (the UI says so).
import { decode, encode } from '@ipld/dag-cbor'
import { fail } from '../../core/errors.ts'
import type { AuthorId, SecretKey } from '../../core/types.ts'
import type { AppSettings } from '../state/backend.ts'

export const EXPORT_FORMAT = 'wildgrass-export'

export interface ExportData {
  readonly secret: SecretKey
  readonly settings: AppSettings
  readonly muted: readonly AuthorId[]
  readonly blocked: readonly AuthorId[]
  readonly changes: readonly Uint8Array[]
  readonly events: readonly Uint8Array[]
}

export function encodeExport(data: ExportData): Uint8Array {
  return encode({
    format: EXPORT_FORMAT,
    v: 1,
    secret: data.secret,
    settings: { relays: [...data.settings.relays], privacy: data.settings.privacy, mutedWords: [...data.settings.mutedWords] },
    muted: [...data.muted],
    blocked: [...data.blocked],
    changes: [...data.changes],
    events: [...data.events],
  })
}

const isBytesList = (v: unknown): v is Uint8Array[] => Array.isArray(v) && v.every((x) => x instanceof Uint8Array)
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

/** Parses an export file; E_MALFORMED for anything that is not one (nothing is applied). */
export function decodeExport(bytes: Uint8Array): ExportData {
  let raw: unknown
  try {
    raw = decode(bytes)
  } catch (cause) {
    return fail('E_MALFORMED', 'not a Wildgrass export file', cause)
  }
  const o = raw as Record<string, unknown>
  if (typeof raw !== 'object' || raw === null || o.format !== EXPORT_FORMAT) fail('E_MALFORMED', 'not a Wildgrass export file')
  if (o.v !== 1) fail('E_UNKNOWN_VERSION', 'export file version')
  const s = o.settings as Record<string, unknown> | undefined
  if (!(o.secret instanceof Uint8Array) || o.secret.length !== 32) fail('E_MALFORMED', 'export file: secret')
  if (!isBytesList(o.changes) || !isBytesList(o.events)) fail('E_MALFORMED', 'export file: changes/events')
  if (!isTextList(o.muted) || !isTextList(o.blocked)) fail('E_MALFORMED', 'export file: lists')
  if (!s || !isTextList(s.relays) || !isTextList(s.mutedWords)) fail('E_MALFORMED', 'export file: settings')
  return {
    secret: o.secret as SecretKey,
    settings: { relays: s.relays, mutedWords: s.mutedWords, privacy: s.privacy === 'relay-only' ? 'relay-only' : 'direct' },
    muted: o.muted as AuthorId[],
    blocked: o.blocked as AuthorId[],
    changes: o.changes,
    events: o.events,
  }
}
