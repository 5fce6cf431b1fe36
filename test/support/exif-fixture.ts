// A hand-built EXIF segment (big-endian TIFF: IFD0 → Exif IFD, GPS IFD), as a camera phone
// would write it: what a photo must not carry out of the device; and what an EXIF reader finds in
// bytes. For Node and Chromium.
import { errors as exifErrors, load as loadExif } from 'exifreader'

type Entry = { tag: number; type: 1 | 2 | 3 | 4 | 5; value: string | number[] }
const TYPE_SIZE = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8 } as const

/** One IFD at offset `at` of the TIFF, its out-of-line values right after it; `next` = 0. */
function ifd(entries: readonly Entry[], at: number): Uint8Array {
  const valueBytes = (e: Entry): number[] => {
    if (typeof e.value === 'string') return [...e.value, '\0'].map((c) => c.charCodeAt(0))
    const size = e.type === 5 ? 4 : TYPE_SIZE[e.type]
    return e.value.flatMap((v) => Array.from({ length: size }, (_, i) => (v >>> (8 * (size - 1 - i))) & 0xff))
  }
  const head = 2 + entries.length * 12 + 4
  const out: number[] = [entries.length >> 8, entries.length & 0xff]
  const data: number[] = []
  for (const e of entries) {
    const v = valueBytes(e)
    const count = typeof e.value === 'string' ? v.length : e.type === 5 ? e.value.length / 2 : e.value.length
    out.push(e.tag >> 8, e.tag & 0xff, 0, e.type, ...[24, 16, 8, 0].map((s) => (count >>> s) & 0xff))
    if (v.length <= 4) out.push(...v, ...new Array<number>(4 - v.length).fill(0))
    else {
      const offset = at + head + data.length
      out.push(...[24, 16, 8, 0].map((s) => (offset >>> s) & 0xff))
      data.push(...v, ...(v.length % 2 ? [0] : []))
    }
  }
  out.push(0, 0, 0, 0)
  return new Uint8Array([...out, ...data])
}

/** An APP1 EXIF segment as a camera phone writes one: make, model, orientation, the time taken and a GPS position. */
export function exifSegment(orientation: number): Uint8Array {
  const exif: Entry[] = [{ tag: 0x9003, type: 2, value: '2024:05:01 12:34:56' }] // DateTimeOriginal
  const gps: Entry[] = [
    { tag: 0x0000, type: 1, value: [2, 3, 0, 0] }, // GPSVersionID
    { tag: 0x0001, type: 2, value: 'N' },
    { tag: 0x0002, type: 5, value: [48, 1, 51, 1, 2406, 100] }, // 48° 51' 24.06"
    { tag: 0x0003, type: 2, value: 'E' },
    { tag: 0x0004, type: 5, value: [2, 1, 17, 1, 4013, 100] },
  ]
  const ifd0 = (exifAt: number, gpsAt: number): Entry[] => [
    { tag: 0x010f, type: 2, value: 'Wildcam' }, // Make
    { tag: 0x0110, type: 2, value: 'WG-1 Pro' }, // Model
    { tag: 0x0112, type: 3, value: [orientation] },
    { tag: 0x8769, type: 4, value: [exifAt] }, // Exif IFD pointer
    { tag: 0x8825, type: 4, value: [gpsAt] }, // GPS IFD pointer
  ]
  // sizes do not depend on offsets: lay out once to measure, then for real
  const ifd0At = 8
  const exifAt = ifd0At + ifd(ifd0(0, 0), 0).length
  const gpsAt = exifAt + ifd(exif, 0).length
  const tiff = new Uint8Array([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, ...ifd(ifd0(exifAt, gpsAt), ifd0At), ...ifd(exif, exifAt), ...ifd(gps, gpsAt)])
  const body = [...'Exif\0\0'].map((c) => c.charCodeAt(0)).concat([...tiff])
  const length = body.length + 2
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...body])
}

/** `jpeg` with the EXIF segment inserted right after its SOI marker. */
export function withExif(jpeg: Uint8Array, orientation = 1): Uint8Array {
  const app1 = exifSegment(orientation)
  const out = new Uint8Array(jpeg.length + app1.length)
  out.set(jpeg.subarray(0, 2))
  out.set(app1, 2)
  out.set(jpeg.subarray(2), 2 + app1.length)
  return out
}

/** The EXIF tags an EXIF reader finds in the bytes (none: {}). */
export function exifOf(bytes: Uint8Array): Record<string, unknown> {
  try {
    return loadExif(bytes.slice().buffer) as Record<string, unknown>
  } catch (e) {
    if (e instanceof exifErrors.MetadataMissingError) return {}
    throw e
  }
}
