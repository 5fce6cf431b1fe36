// The photo pipeline in real Chromium: a camera JPEG's EXIF (GPS position, camera, time) is
// gone after re-encoding while its orientation is applied; transparency becomes white; a big
// photo is bounded in edge and bytes; bad input is refused with a typed error, a
// decompression bomb before anything decodes it.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { toHex } from '../../src/core/bytes.ts'
import { encodeImage, ImageInputError, MAX_IMAGE_BYTES, MAX_INPUT_BYTES, THUMB_EDGE, type ImageInputErrorCode } from '../../src/app/lib/image-encode.ts'
import { exifOf, withExif } from '../support/exif-fixture.ts'
import { photoJpeg } from './photo-fixture.ts'

/** A JPEG of `width`×`height` stored pixels, left half red and right half blue, with EXIF inserted after SOI. */
async function cameraJpeg(width: number, height: number, orientation: number): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(width, height)
  const g = canvas.getContext('2d')!
  g.fillStyle = '#f00'
  g.fillRect(0, 0, width / 2, height)
  g.fillStyle = '#00f'
  g.fillRect(width / 2, 0, width / 2, height)
  const plain = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer())
  return withExif(plain, orientation)
}

const PRIVATE_TAGS = [
  'Make',
  'Model',
  'DateTimeOriginal',
  'DateTime',
  'DateTimeDigitized',
  'GPSLatitude',
  'GPSLongitude',
  'GPSLatitudeRef',
  'GPSVersionID',
  'Orientation',
]

async function pixel(bytes: Uint8Array, x: number, y: number): Promise<number[]> {
  const bitmap = await createImageBitmap(new Blob([bytes.slice()], { type: 'image/jpeg' }))
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
  const g = canvas.getContext('2d')!
  g.drawImage(bitmap, 0, 0)
  bitmap.close()
  return [...g.getImageData(x, y, 1, 1).data.subarray(0, 3)]
}

async function sha256(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice())))
}

async function refused(file: Blob): Promise<ImageInputErrorCode> {
  const error: unknown = await encodeImage(file).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ImageInputError)
  return (error as ImageInputError).code
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('encodeImage', () => {
  it('drops GPS, camera and time metadata and applies orientation 6', async () => {
    const input = await cameraJpeg(300, 200, 6)
    const before = exifOf(input)
    for (const tag of ['Make', 'Model', 'DateTimeOriginal', 'GPSLatitude', 'GPSLongitude']) expect(before, tag).toHaveProperty(tag)
    expect((before.Make as { description: string }).description).toBe('Wildcam')
    expect((before.GPSLatitude as { description: number }).description).toBeCloseTo(48.8567, 3)
    expect((before.Orientation as { value: number }).value).toBe(6)

    const out = await encodeImage(new Blob([input.slice()], { type: 'image/jpeg' }))
    const after = exifOf(out.bytes)
    for (const tag of PRIVATE_TAGS) expect(after, tag).not.toHaveProperty(tag)
    // no APP1 "Exif" segment at all, and none in the thumbnail
    expect(new TextDecoder('latin1').decode(out.bytes)).not.toContain('Exif\0\0')
    for (const tag of PRIVATE_TAGS) expect(exifOf(out.thumb.bytes), tag).not.toHaveProperty(tag)

    // stored 300×200; orientation 6 (rotate 90° clockwise) shows 200×300 with the red left half on top
    expect([out.width, out.height]).toEqual([200, 300])
    const top = await pixel(out.bytes, 100, 40)
    const bottom = await pixel(out.bytes, 100, 260)
    expect(top[0]).toBeGreaterThan(200)
    expect(top[2]).toBeLessThan(60)
    expect(bottom[2]).toBeGreaterThan(200)
    expect(bottom[0]).toBeLessThan(60)
  })

  it('a transparent PNG becomes a JPEG of the same aspect ratio on white', async () => {
    const canvas = new OffscreenCanvas(400, 100)
    const g = canvas.getContext('2d')!
    g.fillStyle = 'rgb(0 128 0 / 0.5)'
    g.fillRect(200, 0, 200, 100)
    const png = await canvas.convertToBlob({ type: 'image/png' })
    const out = await encodeImage(png)
    expect(out.type).toBe('image/jpeg')
    expect([out.bytes[0], out.bytes[1]]).toEqual([0xff, 0xd8])
    expect([out.width, out.height]).toEqual([400, 100])
    expect([out.thumb.width, out.thumb.height]).toEqual([THUMB_EDGE, 80])
    const clear = await pixel(out.bytes, 50, 50)
    for (const c of clear) expect(c).toBeGreaterThan(245) // transparent → white, not black
  })

  it('a 6000×4000 photo: long edge 2048, at most 1 MiB, hashed, a 320-px thumbnail under 64 KiB, a blurhash', async () => {
    const out = await encodeImage(await photoJpeg(6000, 4000, 1))
    expect([out.width, out.height]).toEqual([2048, 1365])
    expect(out.bytes.length).toBeLessThanOrEqual(MAX_IMAGE_BYTES)
    expect(out.sha256).toBe(await sha256(out.bytes))
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(Math.max(out.thumb.width, out.thumb.height)).toBe(THUMB_EDGE)
    expect(out.thumb.bytes.length).toBeLessThanOrEqual(64 * 1024)
    expect(out.thumb.sha256).toBe(await sha256(out.thumb.bytes))
    // 4×3 components: 1 size + 1 max-AC + 4 DC + 2 × 11 AC characters
    expect(out.blurhash).toMatch(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{28}$/)
  })

  it('a small picture is never upscaled', async () => {
    const out = await encodeImage(await photoJpeg(120, 90, 2))
    expect([out.width, out.height, out.thumb.width, out.thumb.height]).toEqual([120, 90, 120, 90])
  })
})

describe('encodeImage refuses bad input with a typed error', () => {
  it('a text file, random bytes → not-an-image', async () => {
    expect(await refused(new Blob(['hello, this is not a picture'], { type: 'text/plain' }))).toBe('not-an-image')
    expect(await refused(new Blob([crypto.getRandomValues(new Uint8Array(4096))], { type: 'image/jpeg' }))).toBe('not-an-image')
  })

  it('a PNG header claiming 30000×30000 → too-many-pixels, before anything decodes it', async () => {
    const decode = vi.spyOn(globalThis, 'createImageBitmap')
    const u32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
    const bomb = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...u32(13),
      0x49,
      0x48,
      0x44,
      0x52,
      ...u32(30000),
      ...u32(30000),
      8,
      6,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ])
    expect(await refused(new Blob([bomb], { type: 'image/png' }))).toBe('too-many-pixels')
    expect(decode).not.toHaveBeenCalled()
  })

  it('a truncated JPEG → a typed error', async () => {
    const whole = new Uint8Array(await (await photoJpeg(800, 600, 3)).arrayBuffer())
    for (const cut of [whole.length >> 1, 700]) {
      expect(['undecodable', 'not-an-image']).toContain(await refused(new Blob([whole.slice(0, cut)], { type: 'image/jpeg' })))
    }
  })

  it(`more than ${MAX_INPUT_BYTES} bytes → too-large`, async () => {
    const decode = vi.spyOn(globalThis, 'createImageBitmap')
    expect(await refused(new Blob([new Uint8Array(MAX_INPUT_BYTES + 1)]))).toBe('too-large')
    expect(decode).not.toHaveBeenCalled()
  })
})
