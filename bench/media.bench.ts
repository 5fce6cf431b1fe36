// Media benchmark: the on-device photo pipeline (src/app/lib/image-encode.ts) in Chromium.
// bench/media/page.html runs in Chromium (lib/bench-page.ts).
// - media.reencode_ms.12mp: a 4000×3000 JPEG made in the page → the post's JPEG (long edge
//   2048, ≤ 1 MiB), its thumbnail and blurhash; median of 5 runs.
// - media.post_kb.4images: bytes of four such re-encoded photos (four different pictures) plus
//   their thumbnails, in KB: what a four-photo post costs to send.
// Prints and records figures; asserts nothing. Run: ./node_modules/.bin/node bench/media.bench.ts
import { withBenchPage } from './lib/bench-page.ts'
import { printTable, recordResults } from './lib/results.ts'

await withBenchPage(new URL('media/', import.meta.url), {}, async (page) => {
  await page.waitForFunction(() => 'runMediaBench' in window, undefined, { timeout: 60_000 })
  const { input_kb_avg, image_kb_avg, ...figures } = await page.evaluate(() =>
    (window as unknown as { runMediaBench(): Promise<Record<string, number>> }).runMediaBench(),
  )
  recordResults(figures)
  printTable({ 'input_kb_avg (not recorded)': input_kb_avg!, 'image_kb_avg (not recorded)': image_kb_avg! })
})
