// What the build pinned into this bundle (scripts/release/vite-plugin.ts defines the values):
// the release public key the app trusts for updates, and the release this bundle is.
export interface BuildRelease {
  /** the release public key, hex */
  readonly key: string
  /** fingerprintDigits of the key (protocol/releases.md §4) */
  readonly keyFingerprint: string
  readonly seq: number
  readonly version: string
  /** signed with the public development key: anyone can make such a build */
  readonly development: boolean
}

export const BUILD_RELEASE: BuildRelease = {
  key: import.meta.env.WG_RELEASE_KEY ?? '',
  keyFingerprint: import.meta.env.WG_RELEASE_KEY_FINGERPRINT ?? '',
  seq: Number(import.meta.env.WG_RELEASE_SEQ ?? 0),
  version: import.meta.env.WG_RELEASE_VERSION ?? '',
  development: import.meta.env.WG_RELEASE_DEVELOPMENT !== 'false',
}
