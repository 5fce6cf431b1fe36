// Runs in Chromium (bench/media.bench.ts): re-encodes 12-megapixel photos made in the page with
// the app's own pipeline (src/app/lib/image-encode.ts), a production bundle like the app's.
import { encodeImage } from '../../src/app/lib/image-encode.ts'
import { photoJpeg } from '../../test/browser/photo-fixture.ts'

const RUNS = 5

async function runMediaBench(): Promise<Record<string, number>> {
  // four different photos: the one timed, and a four-photo post's bytes
  const photos = await Promise.all([1, 2, 3, 4].map((seed) => photoJpeg(4000, 3000, seed)))
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await encodeImage(photos[0]!)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  let postBytes = 0
  let imageBytes = 0
  for (const photo of photos) {
    const out = await encodeImage(photo)
    postBytes += out.bytes.length + out.thumb.bytes.length
    imageBytes += out.bytes.length
  }
  return {
    'media.reencode_ms.12mp': times[RUNS >> 1]!,
    'media.post_kb.4images': postBytes / 1024,
    // context for the two figures above, printed only
    input_kb_avg: photos.reduce((n, p) => n + p.size, 0) / photos.length / 1024,
    image_kb_avg: imageBytes / photos.length / 1024,
  }
}

Object.assign(window, { runMediaBench })
