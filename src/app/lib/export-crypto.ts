// The envelope of an export file (format v2, documented in src/app/README.md "Export file"):
// a DAG-CBOR map that either seals its payload with a passphrase (scrypt → AES-256-GCM) or,
// for a file without the identity secret, carries it in clear. An export file is not part of
// the network protocol: nothing but this app reads it. A secret never leaves the device
// unencrypted (project standard), so the wiring only writes a secret inside a sealed file.
// Both primitives are @noble's, not WebCrypto's: one implementation that works in every context,
// insecure origins (no crypto.subtle) included; its AES-GCM output is byte for byte WebCrypto's.
import { decode, encode } from '@ipld/dag-cbor'
import { gcm } from '@noble/ciphers/aes.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { fail } from '../../core/index.ts'
import { MIN_PASSPHRASE_LENGTH, normalizePassphrase, passphraseLength } from './passphrase.ts'

export const EXPORT_FORMAT = 'wildgrass-export'
export const EXPORT_VERSION = 2

export interface ScryptParams {
  readonly N: number
  readonly r: number
  readonly p: number
}
/**
 * 2^17 × 8 × 128 B = 128 MiB of memory per guess: the file leaves the device (a cloud folder, a
 * chat), so an attacker may guess offline for as long as they like, and each guess should cost
 * far more than a login's 2^15. Measured: 1.6 s in Node 24 on this project's machines (@noble,
 * loaded machine); several seconds on a cheap phone, once per export or import. Files written
 * with 2^15 still open: a reader takes the parameters from the file.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }
// What a file may ask for: enough room for stronger future defaults, not enough to let a
// crafted file freeze the device (2^20 × 8 × 128 B = 1 GiB would).
const MAX_LOG2_N = 18
const MAX_R = 16
const MAX_P = 4
const SALT_BYTES = 16
const IV_BYTES = 12 // the GCM nonce size of NIST SP 800-38D
const TAG_BYTES = 16

export type ExportKind = 'sealed' | 'plain' | 'legacy'

interface Envelope {
  readonly kind: ExportKind
  readonly kdf?: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: Uint8Array }
  readonly cipher?: { readonly name: 'AES-256-GCM'; readonly iv: Uint8Array }
  readonly data: Uint8Array
}

/**
 * Seals payload bytes with a passphrase. The header (format, version, kdf, cipher) is
 * authenticated. `format` names what the envelope holds: an export file, or the app lock's
 * sealed seed (lib/app-lock-crypto.ts), so that one can never be taken for the other.
 */
export async function sealExport(
  payload: Uint8Array,
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT,
  format: string = EXPORT_FORMAT,
): Promise<Uint8Array> {
  checkPassphrase(passphrase)
  checkParams(params)
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const kdf = { name: 'scrypt' as const, N: params.N, r: params.r, p: params.p, salt }
  const cipher = { name: 'AES-256-GCM' as const, iv }
  const key = await deriveKey(passphrase, kdf)
  try {
    const data = gcm(key, iv, headerBytes(format, kdf, cipher)).encrypt(payload)
    return encode({ format, v: EXPORT_VERSION, kdf, cipher, data })
  } finally {
    key.fill(0)
  }
}

/** Wraps payload bytes that hold no secret (the "without my key" export). */
export function wrapPlainExport(payload: Uint8Array): Uint8Array {
  return encode({ format: EXPORT_FORMAT, v: EXPORT_VERSION, data: payload })
}

/** What kind of export file this is, without a passphrase: E_TRUNCATED, E_MALFORMED or E_UNKNOWN_VERSION otherwise. */
export function readExportKind(bytes: Uint8Array): ExportKind {
  return readEnvelope(bytes, EXPORT_FORMAT).kind
}

/**
 * The payload bytes of an export file (a legacy v1 file is its own payload). A sealed file
 * needs the passphrase: a wrong one, or any change to the file, fails with E_BAD_PHRASE —
 * AES-GCM cannot tell the two apart, and says nothing about which.
 */
export async function openExport(bytes: Uint8Array, passphrase?: string, format: string = EXPORT_FORMAT): Promise<{ kind: ExportKind; payload: Uint8Array }> {
  const envelope = readEnvelope(bytes, format)
  if (envelope.kind !== 'sealed') return { kind: envelope.kind, payload: envelope.data }
  const { kdf, cipher, data } = envelope
  if (!kdf || !cipher) return fail('E_MALFORMED', 'export file: header')
  if (passphrase === undefined || passphrase === '') return fail('E_BAD_PHRASE', 'this export file needs its passphrase')
  if (data.length < TAG_BYTES) return fail('E_TRUNCATED', 'export file: ciphertext shorter than its tag')
  const key = await deriveKey(passphrase, kdf)
  try {
    return { kind: 'sealed', payload: gcm(key, cipher.iv, headerBytes(format, kdf, cipher)).decrypt(data) }
  } catch (cause) {
    return fail('E_BAD_PHRASE', 'wrong passphrase, or the export file was changed', cause)
  } finally {
    key.fill(0)
  }
}

/** E_BAD_TEXT unless the passphrase has at least MIN_PASSPHRASE_LENGTH characters. */
export function checkPassphrase(passphrase: string): void {
  if (passphraseLength(passphrase) < MIN_PASSPHRASE_LENGTH) fail('E_BAD_TEXT', `a passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`)
}

function headerBytes(format: string, kdf: NonNullable<Envelope['kdf']>, cipher: NonNullable<Envelope['cipher']>): Uint8Array {
  return encode({ format, v: EXPORT_VERSION, kdf, cipher })
}

/** The 32-byte AES key; the caller wipes it when done. */
function deriveKey(passphrase: string, kdf: NonNullable<Envelope['kdf']>): Promise<Uint8Array> {
  return scryptAsync(new TextEncoder().encode(normalizePassphrase(passphrase)), kdf.salt, { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 32 })
}

function checkParams(params: ScryptParams): void {
  const log2 = Math.log2(params.N)
  const ok =
    Number.isInteger(log2) &&
    log2 >= 10 &&
    log2 <= MAX_LOG2_N &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    params.r <= MAX_R &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= MAX_P
  if (!ok) fail('E_MALFORMED', 'export file: scrypt parameters out of range')
}

const isBytes = (v: unknown, length?: number): v is Uint8Array => v instanceof Uint8Array && (length === undefined || v.length === length)

function readEnvelope(bytes: Uint8Array, format: string = EXPORT_FORMAT): Envelope {
  if (bytes.length === 0) fail('E_TRUNCATED', 'export file: empty')
  let raw: unknown
  try {
    raw = decode(bytes)
  } catch (cause) {
    const truncated = cause instanceof Error && /not enough|did not find any content|unexpected end/i.test(cause.message)
    return fail(truncated ? 'E_TRUNCATED' : 'E_MALFORMED', 'not a Wildgrass export file', cause)
  }
  if (typeof raw !== 'object' || raw === null) return fail('E_MALFORMED', 'not a Wildgrass export file')
  const o = raw as Record<string, unknown>
  if (o.format !== format) fail('E_MALFORMED', 'not a Wildgrass export file')
  if (o.v === 1 && format === EXPORT_FORMAT) return { kind: 'legacy', data: bytes }
  if (o.v !== EXPORT_VERSION) fail('E_UNKNOWN_VERSION', 'export file version')
  if (!isBytes(o.data)) fail('E_MALFORMED', 'export file: data')
  if (o.kdf === undefined && o.cipher === undefined) return { kind: 'plain', data: o.data }
  const k = o.kdf as Record<string, unknown> | undefined
  const c = o.cipher as Record<string, unknown> | undefined
  if (!k || k.name !== 'scrypt' || !isBytes(k.salt, SALT_BYTES) || typeof k.N !== 'number' || typeof k.r !== 'number' || typeof k.p !== 'number') {
    fail('E_MALFORMED', 'export file: kdf')
  }
  if (!c || c.name !== 'AES-256-GCM' || !isBytes(c.iv, IV_BYTES)) fail('E_MALFORMED', 'export file: cipher')
  const kdf = { name: 'scrypt' as const, N: k.N as number, r: k.r as number, p: k.p as number, salt: k.salt as Uint8Array }
  checkParams(kdf)
  return { kind: 'sealed', kdf, cipher: { name: 'AES-256-GCM', iv: c.iv as Uint8Array }, data: o.data }
}
