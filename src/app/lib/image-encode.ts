// The on-device pipeline for photos in posts: a picked file becomes a bounded JPEG, a
// thumbnail and a blurhash placeholder. Every image is re-encoded through a canvas, so no
// metadata of the original (EXIF GPS position, camera, time) can survive: the canvas holds
// pixels only. Untrusted input is checked before the browser decodes it (size of the file,
// then the pixel count from its header), so a decompression bomb is never decoded.
import { encode as encodeBlurhash } from 'blurhash'
import { sha256Hex } from '../../core/sha256-hex.ts'
import { readImageSize } from './image-size.ts'

export { readImageSize } from './image-size.ts'
export type { ImageSize, ImageType } from './image-size.ts'

export interface EncodedImage {
  readonly bytes: Uint8Array
  readonly type: 'image/jpeg'
  /** lowercase hex of SHA-256(bytes) */
  readonly sha256: string
  /** after orientation and scaling */
  readonly width: number
  readonly height: number
  readonly thumb: { readonly bytes: Uint8Array; readonly sha256: string; readonly width: number; readonly height: number }
  readonly blurhash: string
}

export const MAX_IMAGE_BYTES = 1_048_576
export const MAX_LONG_EDGE = 2048
export const THUMB_EDGE = 320
export const THUMB_MAX_BYTES = 64 * 1024
export const MAX_INPUT_BYTES = 30 * 1024 * 1024
export const MAX_INPUT_PIXELS = 50_000_000

/** Enough for every header readImageSize knows: JPEG's SOF may come after large EXIF/ICC segments. */
const HEAD_BYTES = 64 * 1024
const QUALITIES = [0.85, 0.75, 0.65, 0.55, 0.45]
const THUMB_QUALITIES = [0.7, 0.6, 0.5]
/** when no quality fits, the long edge shrinks by this factor and the qualities are tried again */
const SHRINK = 0.8
const BLURHASH_EDGE = 32

export type ImageInputErrorCode = 'not-an-image' | 'too-large' | 'too-many-pixels' | 'undecodable'

export class ImageInputError extends Error {
  readonly code: ImageInputErrorCode
  constructor(code: ImageInputErrorCode) {
    super(`image refused: ${code}`)
    this.name = 'ImageInputError'
    this.code = code
  }
}

export async function encodeImage(file: Blob): Promise<EncodedImage> {
  if (file.size > MAX_INPUT_BYTES) throw new ImageInputError('too-large')
  const size = readImageSize(new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()))
  if (!size) throw new ImageInputError('not-an-image')
  if (size.width * size.height > MAX_INPUT_PIXELS) throw new ImageInputError('too-many-pixels')
  let bitmap: ImageBitmap
  try {
    // 'from-image' applies EXIF orientation: the pixels come out the way the photo is meant to be seen
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    throw new ImageInputError('undecodable')
  }
  try {
    // the decoder's own size, in case it disagrees with the header we read
    if (bitmap.width * bitmap.height > MAX_INPUT_PIXELS) throw new ImageInputError('too-many-pixels')
    const image = await encodeWithin(bitmap, MAX_LONG_EDGE, MAX_IMAGE_BYTES, QUALITIES)
    const thumb = await encodeWithin(bitmap, THUMB_EDGE, THUMB_MAX_BYTES, THUMB_QUALITIES)
    const small = draw(bitmap, fit(bitmap, BLURHASH_EDGE))
    const pixels = small.context.getImageData(0, 0, small.width, small.height)
    return {
      ...image,
      type: 'image/jpeg',
      thumb,
      blurhash: encodeBlurhash(pixels.data, pixels.width, pixels.height, 4, 3),
    }
  } finally {
    bitmap.close()
  }
}

interface Jpeg {
  readonly bytes: Uint8Array
  readonly sha256: string
  readonly width: number
  readonly height: number
}

/** JPEG of the bitmap with its long edge at most `edge`, trying lower qualities, then smaller sizes, until it fits `maxBytes`. */
async function encodeWithin(bitmap: ImageBitmap, edge: number, maxBytes: number, qualities: readonly number[]): Promise<Jpeg> {
  // bounded: the edge shrinks by SHRINK each round; a 16-px JPEG always fits
  for (let long = Math.min(edge, Math.max(bitmap.width, bitmap.height)); long >= 16; long = Math.floor(long * SHRINK)) {
    const canvas = draw(bitmap, fit(bitmap, long))
    for (const quality of qualities) {
      const blob = await canvas.toJpeg(quality)
      if (blob.size <= maxBytes) {
        const bytes = new Uint8Array(await blob.arrayBuffer())
        return { bytes, sha256: await sha256Hex(bytes), width: canvas.width, height: canvas.height }
      }
    }
  }
  throw new ImageInputError('undecodable')
}

/** Width and height with the long edge at most `edge`, aspect ratio kept, never upscaled. */
function fit(bitmap: ImageBitmap, edge: number): { width: number; height: number } {
  const scale = Math.min(1, edge / Math.max(bitmap.width, bitmap.height))
  return { width: Math.max(1, Math.round(bitmap.width * scale)), height: Math.max(1, Math.round(bitmap.height * scale)) }
}

interface Drawn {
  readonly width: number
  readonly height: number
  readonly context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D
  toJpeg(quality: number): Promise<Blob>
}

/** Draws the bitmap scaled onto white (JPEG has no alpha: transparent pixels would turn black). */
function draw(bitmap: ImageBitmap, { width, height }: { width: number; height: number }): Drawn {
  // OffscreenCanvas where there is one (also in workers); a document canvas otherwise (older Safari)
  const offscreen = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : undefined
  const element = offscreen ? undefined : Object.assign(document.createElement('canvas'), { width, height })
  const context = offscreen ? offscreen.getContext('2d') : element!.getContext('2d')
  if (!context) throw new ImageInputError('undecodable')
  context.fillStyle = '#fff'
  context.fillRect(0, 0, width, height)
  context.imageSmoothingEnabled = true
  context.imageSmoothingQuality = 'high'
  context.drawImage(bitmap, 0, 0, width, height)
  const toJpeg = (quality: number): Promise<Blob> =>
    offscreen
      ? offscreen.convertToBlob({ type: 'image/jpeg', quality })
      : new Promise((resolve, reject) => element!.toBlob((b) => (b ? resolve(b) : reject(new ImageInputError('undecodable'))), 'image/jpeg', quality))
  return { width, height, context, toJpeg }
}
