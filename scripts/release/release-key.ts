// The release key and number a build signs with (protocol/releases.md §6).
// WILDGRASS_RELEASE_KEY: the 32-byte Ed25519 seed of the real release key as 64 hex digits.
// Without it the build is signed with the development key below, whose secret is public (it is
// this file): an app built with it says "development build" in Settings, and anyone can sign
// updates for it. WILDGRASS_RELEASE_SEQ: the release number; by default the build time in
// seconds, so that every build is newer than the one before.
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import { fingerprintDigits } from '../../src/core/release-manifest.ts'
import type { PublicKey, SecretKey } from '../../src/core/types.ts'

/** SHA-256 of DEVELOPMENT_KEY_PHRASE: public by construction. */
export const DEVELOPMENT_KEY_PHRASE = 'wildgrass development release key: public, anyone can sign with it'
export const DEVELOPMENT_RELEASE_SECRET_HEX = 'c426022ba6105af5a0fcb2515a7ac4284919c1a1bee20de9e548076ebaf89c7c'

export interface ReleaseSigner {
  readonly secret: SecretKey
  readonly publicKey: PublicKey
  readonly development: boolean
}

export function resolveReleaseSigner(env: Readonly<Record<string, string | undefined>>): ReleaseSigner {
  const given = env.WILDGRASS_RELEASE_KEY?.trim()
  if (given === undefined || given === '') {
    const secret = fromHex(DEVELOPMENT_RELEASE_SECRET_HEX) as SecretKey
    return { secret, publicKey: getPublicKey(secret), development: true }
  }
  if (!/^[0-9a-fA-F]{64}$/.test(given)) throw new Error('WILDGRASS_RELEASE_KEY must be the 32-byte Ed25519 seed as 64 hex digits')
  const secret = fromHex(given) as SecretKey
  const publicKey = getPublicKey(secret)
  // the development key is public: a "real" release signed with it would be no release at all
  if (toHex(secret) === DEVELOPMENT_RELEASE_SECRET_HEX) return { secret, publicKey, development: true }
  return { secret, publicKey, development: false }
}

export function resolveReleaseSeq(env: Readonly<Record<string, string | undefined>>, now = Date.now()): number {
  const given = env.WILDGRASS_RELEASE_SEQ?.trim()
  if (given === undefined || given === '') return Math.floor(now / 1000)
  const seq = Number(given)
  if (!/^[0-9]+$/.test(given) || !Number.isSafeInteger(seq) || seq < 1) throw new Error('WILDGRASS_RELEASE_SEQ must be a positive integer')
  return seq
}

/** The constants the app and its service worker are built with (src/app/release-build.ts). */
export function releaseDefines(signer: ReleaseSigner, seq: number, version: string): Record<string, string> {
  return {
    'import.meta.env.WG_RELEASE_KEY': JSON.stringify(toHex(signer.publicKey)),
    'import.meta.env.WG_RELEASE_KEY_FINGERPRINT': JSON.stringify(fingerprintDigits(signer.publicKey)),
    'import.meta.env.WG_RELEASE_SEQ': JSON.stringify(String(seq)),
    'import.meta.env.WG_RELEASE_VERSION': JSON.stringify(version),
    'import.meta.env.WG_RELEASE_DEVELOPMENT': JSON.stringify(String(signer.development)),
  }
}
