// The Chromium half of the store benchmark: bench/store/page.html (lib/bench-page.ts), served
// with the fixture, ingests it into real IndexedDB, closes, reopens and reads the first page of
// the home timeline.
import { readFileSync } from 'node:fs'
import { toHex } from '../../src/core/bytes.ts'
import { withBenchPage } from '../lib/bench-page.ts'
import type { Fixture } from './fixture.ts'

export function measureChromium(fixture: Fixture): Promise<Record<string, number>> {
  return withBenchPage(new URL('.', import.meta.url), { files: { '/__fixture.bin': readFileSync(fixture.file) } }, async (page) => {
    await page.waitForFunction(() => 'runStoreBench' in window, undefined, { timeout: 60_000 })
    return page.evaluate(
      ([me, follows]) => (window as unknown as { runStoreBench(me: string, follows: string[]): Promise<Record<string, number>> }).runStoreBench(me, follows),
      [toHex(fixture.me), fixture.follows] as const,
    )
  })
}
