// Whether a post's photos wait for a tap (data-saver mode, a device setting). "auto" follows the
// browser: its Save-Data flag, or a connection it estimates at 3G or slower.
export type DataSaverMode = 'auto' | 'on' | 'off'

export interface PhotoSettings {
  readonly dataSaver: DataSaverMode
  /** posting a photo without alt text is refused */
  readonly requireAlt: boolean
}

export const DEFAULT_PHOTO_SETTINGS: PhotoSettings = { dataSaver: 'auto', requireAlt: false }

interface NetworkInformationLike {
  readonly saveData?: boolean
  readonly effectiveType?: string
}

/** The browser says data is scarce: Save-Data, or a connection estimated at 3G or slower. */
export function browserSavesData(connection: NetworkInformationLike | undefined): boolean {
  return connection?.saveData === true || ['slow-2g', '2g', '3g'].includes(connection?.effectiveType ?? '')
}

/** What this browser reports of its connection (Network Information API; absent in some browsers). */
export function browserConnection(): NetworkInformationLike | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { connection?: NetworkInformationLike }).connection
}

export function photosWaitForTap(mode: DataSaverMode, connection: NetworkInformationLike | undefined): boolean {
  return mode === 'on' || (mode === 'auto' && browserSavesData(connection))
}

/** The saved value, or the default for anything else (an older or damaged record). */
export function readPhotoSettings(saved: unknown): PhotoSettings {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<Record<keyof PhotoSettings, unknown>>
  const dataSaver = s.dataSaver === 'on' || s.dataSaver === 'off' ? s.dataSaver : 'auto'
  return { dataSaver, requireAlt: s.requireAlt === true }
}
