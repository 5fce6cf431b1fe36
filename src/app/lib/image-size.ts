// Reads an image's type and stored size from its first bytes, without decoding it: the
// pixel count decides whether the file may be decoded at all (image-encode.ts refuses a
// decompression bomb before the browser allocates its pixels). The bytes are untrusted:
// every read goes through a DataView after a bounds check (an out-of-range read would throw,
// which the property tests would catch), every loop advances, and anything malformed gives
// `undefined`.

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif'

export interface ImageSize {
  readonly type: ImageType
  readonly width: number
  readonly height: number
}

export function readImageSize(head: Uint8Array): ImageSize | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const has = (at: number, length: number): boolean => at >= 0 && at + length <= view.byteLength
  const ascii = (at: number, text: string): boolean => has(at, text.length) && [...text].every((c, i) => view.getUint8(at + i) === c.charCodeAt(0))
  const size = (type: ImageType, width: number, height: number): ImageSize | undefined =>
    width > 0 && height > 0 && Number.isSafeInteger(width) && Number.isSafeInteger(height) ? { type, width, height } : undefined

  if (has(0, 2) && view.getUint16(0) === 0xffd8) return readJpeg(view, has, size)
  if (ascii(0, '\x89PNG\r\n\x1a\n')) {
    // the first chunk must be IHDR (length 13): width, height as big-endian uint32 (PNG caps them at 2^31-1)
    if (!ascii(12, 'IHDR') || !has(16, 8) || view.getUint32(8) !== 13) return undefined
    const width = view.getUint32(16)
    const height = view.getUint32(20)
    return width <= 0x7fffffff && height <= 0x7fffffff ? size('image/png', width, height) : undefined
  }
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) {
    // logical screen descriptor: the canvas every frame is drawn on
    return has(6, 4) ? size('image/gif', view.getUint16(6, true), view.getUint16(8, true)) : undefined
  }
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return readWebp(view, has, ascii, size)
  return undefined
}

type Has = (at: number, length: number) => boolean
type Size = (type: ImageType, width: number, height: number) => ImageSize | undefined

function readJpeg(view: DataView, has: Has, size: Size): ImageSize | undefined {
  // Segments follow SOI: 0xFF, a marker, and (for most markers) a big-endian length that counts
  // itself. Each step moves forward by at least 2 bytes, so the loop ends at the buffer's end.
  let at = 2
  while (has(at, 2)) {
    if (view.getUint8(at) !== 0xff) return undefined
    const marker = view.getUint8(at + 1)
    if (marker === 0xff) {
      at += 1 // fill byte before a marker
      continue
    }
    // standalone markers (TEM, RST0–7) carry no length; SOI again, EOI or SOS before any frame header is broken
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda || !has(at + 2, 2)) return undefined
    const length = view.getUint16(at + 2)
    if (length < 2) return undefined
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (length < 7 || !has(at + 4, 5)) return undefined
      // a height of 0 means "given later by DNL": refused, the size must be known before decoding
      return size('image/jpeg', view.getUint16(at + 7), view.getUint16(at + 5))
    }
    at += 2 + length
  }
  return undefined
}

function readWebp(view: DataView, has: Has, ascii: (at: number, text: string) => boolean, size: Size): ImageSize | undefined {
  // the first chunk after the RIFF header says which kind of WebP it is
  const data = 20
  if (ascii(12, 'VP8 ')) {
    // lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height
    if (!has(data, 10) || view.getUint8(data + 3) !== 0x9d || view.getUint8(data + 4) !== 0x01 || view.getUint8(data + 5) !== 0x2a) return undefined
    return size('image/webp', view.getUint16(data + 6, true) & 0x3fff, view.getUint16(data + 8, true) & 0x3fff)
  }
  if (ascii(12, 'VP8L')) {
    // lossless: signature 0x2F, then width-1 and height-1 in 14 bits each (little-endian bit order)
    if (!has(data, 5) || view.getUint8(data) !== 0x2f) return undefined
    const bits = view.getUint32(data + 1, true)
    return size('image/webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
  }
  if (ascii(12, 'VP8X')) {
    // extended: flags, 3 reserved bytes, then canvas width-1 and height-1 as 24-bit little-endian
    if (!has(data, 10)) return undefined
    const u24 = (at: number): number => view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getUint8(at + 2) << 16)
    return size('image/webp', u24(data + 4) + 1, u24(data + 7) + 1)
  }
  return undefined
}
