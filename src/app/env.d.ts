// Build-time constants (scripts/release/vite-plugin.ts); undefined where no Vite build ran (unit tests).
interface ImportMetaEnv {
  readonly WG_RELEASE_KEY?: string
  readonly WG_RELEASE_KEY_FINGERPRINT?: string
  readonly WG_RELEASE_SEQ?: string
  readonly WG_RELEASE_VERSION?: string
  readonly WG_RELEASE_DEVELOPMENT?: string
  /** 'true' in a built app, which has a sw.js */
  readonly WG_SERVICE_WORKER?: string
}
