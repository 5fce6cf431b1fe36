// The identity secret lives in the app database on this device only: never logged, never
// sent. The export file is the user's own choice.
import type { SecretKey } from '../../core/types.ts'
import type { AppDb } from './app-db.ts'

interface SavedIdentity {
  readonly v: 1
  readonly secret: Uint8Array
}

export async function loadSecret(db: AppDb): Promise<SecretKey | undefined> {
  const saved = await db.get<SavedIdentity>('identity')
  if (!saved || !(saved.secret instanceof Uint8Array) || saved.secret.length !== 32) return undefined
  return saved.secret as SecretKey
}

export async function saveSecret(db: AppDb, secret: SecretKey): Promise<void> {
  await db.put('identity', { v: 1, secret: new Uint8Array(secret) } satisfies SavedIdentity)
}
