// The identity secret lives in the app database on this device only: never logged, never
// sent. The export file is the person's own choice. With the app lock on, the record holds the
// seed sealed with the passphrase (lib/app-lock-crypto.ts, src/app/README.md "App lock"), and
// the seed is in clear nowhere on disk.
import type { SecretKey } from '../../core/types.ts'
import { IDLE_CHOICES } from '../state/app-lock.ts'
import type { AppDb } from './app-db.ts'

/** v1: the seed in clear (no lock); v2: the seed sealed with the passphrase */
type SavedIdentity = { readonly v: 1; readonly secret: Uint8Array } | { readonly v: 2; readonly sealed: Uint8Array; readonly idleMinutes: number }

export type StoredIdentity =
  { readonly locked: false; readonly secret: SecretKey } | { readonly locked: true; readonly sealed: Uint8Array; readonly idleMinutes: number }

export async function loadIdentity(db: AppDb): Promise<StoredIdentity | undefined> {
  const saved = await db.get<SavedIdentity>('identity')
  if (saved?.v === 1 && saved.secret instanceof Uint8Array && saved.secret.length === 32) return { locked: false, secret: saved.secret as SecretKey }
  if (saved?.v === 2 && saved.sealed instanceof Uint8Array) {
    const idleMinutes = IDLE_CHOICES.includes(saved.idleMinutes) ? saved.idleMinutes : 5
    return { locked: true, sealed: saved.sealed, idleMinutes }
  }
  return undefined
}

/** Saves the seed in clear: a new or restored identity, or the lock turned off. */
export async function saveSecret(db: AppDb, secret: SecretKey): Promise<void> {
  await db.put('identity', { v: 1, secret: new Uint8Array(secret) } satisfies SavedIdentity)
}

/** Saves the seed sealed with the passphrase (one put: the clear record is replaced, never kept beside it). */
export async function saveSealedSecret(db: AppDb, sealed: Uint8Array, idleMinutes: number): Promise<void> {
  await db.put('identity', { v: 2, sealed, idleMinutes } satisfies SavedIdentity)
}
