// readImageSize is a parser of untrusted bytes: hand-made headers for each format, and
// properties that arbitrary bytes (alone, or behind a real signature) never make it throw,
// and that whatever it returns is a known type with positive integer sides.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readImageSize } from '../../../src/app/lib/image-size.ts'

const bytes = (...parts: Array<number[] | string>): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))
const u16be = (n: number): number[] => [n >> 8, n & 0xff]
const u16le = (n: number): number[] => [n & 0xff, n >> 8]
const u32be = (n: number): number[] => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
const u24le = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff]

const png = (w: number, h: number): Uint8Array => bytes('\x89PNG\r\n\x1a\n', u32be(13), 'IHDR', u32be(w), u32be(h), [8, 6, 0, 0, 0], [0, 0, 0, 0])
const gif = (w: number, h: number): Uint8Array => bytes('GIF89a', u16le(w), u16le(h), [0xf7, 0, 0])
const riff = (chunk: string, data: number[]): Uint8Array => bytes('RIFF', [0, 0, 0, 0], 'WEBP', chunk, [data.length, 0, 0, 0], data)
const jpeg = (w: number, h: number, sof = 0xc0): Uint8Array =>
  bytes(
    [0xff, 0xd8],
    [0xff, 0xe0, ...u16be(16)],
    'JFIF\0',
    [1, 1, 0, 0, 1, 0, 1, 0, 0],
    [0xff, 0xe1, ...u16be(8)],
    'Exif\0\0',
    [0xff, 0xc4, ...u16be(4), 0, 0], // DHT before the frame header: must be skipped, not read as SOF
    [0xff, 0xff], // fill byte
    [sof, ...u16be(17), 8, ...u16be(h), ...u16be(w), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
    [0xff, 0xda, ...u16be(12)],
  )

describe('readImageSize: hand-made headers', () => {
  it('JPEG: the first SOF after skipping APPn, DHT and fill bytes', () => {
    expect(readImageSize(jpeg(4000, 3000))).toEqual({ type: 'image/jpeg', width: 4000, height: 3000 })
    expect(readImageSize(jpeg(640, 480, 0xc2))).toEqual({ type: 'image/jpeg', width: 640, height: 480 }) // progressive
  })
  it('JPEG: SOS or EOI before a frame header, a DNL height of 0, a bad length, a truncated SOF → undefined', () => {
    expect(readImageSize(bytes([0xff, 0xd8, 0xff, 0xda, 0, 12]))).toBeUndefined()
    expect(readImageSize(bytes([0xff, 0xd8, 0xff, 0xd9]))).toBeUndefined()
    expect(readImageSize(jpeg(640, 0))).toBeUndefined()
    expect(readImageSize(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 1]))).toBeUndefined()
    expect(readImageSize(jpeg(640, 480).subarray(0, 40))).toBeUndefined()
    expect(readImageSize(bytes([0xff, 0xd8, 0x00, 0x00]))).toBeUndefined()
  })
  it('PNG: IHDR', () => {
    expect(readImageSize(png(30000, 30000))).toEqual({ type: 'image/png', width: 30000, height: 30000 })
    expect(readImageSize(png(0, 10))).toBeUndefined()
    expect(readImageSize(png(0x80000000, 1))).toBeUndefined()
    expect(readImageSize(png(10, 10).subarray(0, 20))).toBeUndefined()
  })
  it('GIF: the logical screen', () => {
    expect(readImageSize(gif(320, 200))).toEqual({ type: 'image/gif', width: 320, height: 200 })
    expect(readImageSize(bytes('GIF87a', u16le(1), u16le(65535)))).toEqual({ type: 'image/gif', width: 1, height: 65535 })
    expect(readImageSize(bytes('GIF89a', [1, 0]))).toBeUndefined()
  })
  it('WebP: VP8, VP8L, VP8X', () => {
    expect(readImageSize(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16le(800), ...u16le(600)]))).toEqual({ type: 'image/webp', width: 800, height: 600 })
    // 14-bit sides: the top two bits of each are scaling, not size
    expect(readImageSize(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16le(0xc000 | 800), ...u16le(600)]))?.width).toBe(800)
    expect(readImageSize(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2b, ...u16le(800), ...u16le(600)]))).toBeUndefined()
    const bits = (1024 - 1) | ((768 - 1) << 14)
    expect(readImageSize(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]))).toEqual({
      type: 'image/webp',
      width: 1024,
      height: 768,
    })
    expect(readImageSize(riff('VP8X', [0x10, 0, 0, 0, ...u24le(9999), ...u24le(4999)]))).toEqual({ type: 'image/webp', width: 10000, height: 5000 })
    expect(readImageSize(riff('VP8Z', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined()
  })
  it('text, empty input, a view into a larger buffer', () => {
    expect(readImageSize(bytes('hello, world'))).toBeUndefined()
    expect(readImageSize(new Uint8Array(0))).toBeUndefined()
    const inner = gif(7, 9)
    const outer = new Uint8Array(inner.length + 10)
    outer.set(inner, 5)
    expect(readImageSize(outer.subarray(5, 5 + inner.length))).toEqual({ type: 'image/gif', width: 7, height: 9 })
  })
})

describe('readImageSize: properties', () => {
  const valid = (r: ReturnType<typeof readImageSize>): boolean =>
    r === undefined ||
    (['image/jpeg', 'image/png', 'image/webp', 'image/gif'].includes(r.type) &&
      Number.isInteger(r.width) &&
      Number.isInteger(r.height) &&
      r.width > 0 &&
      r.height > 0)

  it('arbitrary bytes never throw and give undefined or positive integers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => valid(readImageSize(b))),
      { numRuns: 5000 },
    )
  })

  it('arbitrary bytes behind each signature, and every truncation and mutation of valid headers, never throw', () => {
    const prefixes = [bytes([0xff, 0xd8]), bytes([0xff, 0xd8, 0xff]), bytes('\x89PNG\r\n\x1a\n'), bytes('GIF89a'), bytes('RIFF', [0, 0, 0, 0], 'WEBP')]
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 256 }), (p, tail) => {
        const b = new Uint8Array(p.length + tail.length)
        b.set(p)
        b.set(tail, p.length)
        return valid(readImageSize(b))
      }),
      { numRuns: 5000 },
    )
    const headers = [jpeg(100, 50), png(100, 50), gif(100, 50), riff('VP8X', [0, 0, 0, 0, ...u24le(99), ...u24le(49)])]
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (h, cut, at, value) => {
        const b = h.slice(0, cut % (h.length + 1))
        if (b.length > 0) b[at % b.length] = value
        return valid(readImageSize(b))
      }),
      { numRuns: 5000 },
    )
  })
})
