// Building ingest results (types.ts IngestResult): every refusal carries its protocol error code
// and a typed reason, so no caller ever has to read a message to know what to do.
import { isWildgrassError, type ErrorCode } from '../core/errors.ts'
import type { IngestReason, IngestRefusal } from './types.ts'

/** The reason an error code stands for when nothing more specific is known. */
export function reasonOfCode(code: ErrorCode): IngestReason {
  if (code === 'E_RETRACTED') return 'retracted'
  if (code === 'E_QUOTA' || code === 'E_RATE_LIMITED') return 'over-limit'
  if (code === 'E_STORAGE') return 'storage'
  return 'invalid'
}

export function refuse(code: ErrorCode, message: string, reason: IngestReason = reasonOfCode(code)): IngestRefusal {
  return { ok: false, code, reason, message }
}

/** A thrown error as a refusal: a typed one keeps its code, anything else is a storage failure. */
export function refusalOf(error: unknown): IngestRefusal {
  if (isWildgrassError(error)) return refuse(error.code, error.message)
  return refuse('E_STORAGE', `E_STORAGE: ${String(error)}`)
}
