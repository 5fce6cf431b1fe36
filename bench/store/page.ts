// Runs in Chromium (bench/store/chromium.ts): ingest the fixture into real IndexedDB with
// verification, close, reopen, read the first page of the home timeline.
import { fromHex } from '../../src/core/bytes.ts'
import type { AuthorId, SecretKey } from '../../src/core/types.ts'
import { createStore } from '../../src/store/create-store.ts'
import { deleteIdbStorage, openIdbStorage } from '../../src/store/idb-storage.ts'
import wasmUrl from '@automerge/automerge/automerge.wasm?url'
import { loadAutomerge } from '../../src/store/automerge.ts'
import { openEvents } from '../../src/core/event-verify.ts'

const NOW = Date.UTC(2026, 0, 15)

async function runStoreBench(meHex: string, follows: AuthorId[]): Promise<Record<string, number>> {
  const buf = new Uint8Array(await (await fetch('/__fixture.bin')).arrayBuffer())
  const view = new DataView(buf.buffer)
  const events: Uint8Array[] = []
  for (let at = 0; at < buf.length;) {
    const n = view.getUint32(at)
    events.push(buf.subarray(at + 4, at + 4 + n))
    at += 4 + n
  }
  const secret = fromHex(meHex) as SecretKey
  const name = `store-bench-${Date.now()}`
  await loadAutomerge(wasmUrl)
  const store = createStore({ storage: await openIdbStorage({ name }), secret, now: () => NOW })
  await store.start()
  for (const a of follows) await store.follow(a)
  const tv = performance.now()
  const sample = events.slice(0, 5000)
  for (let i = 0; i < sample.length; i += 1000) await openEvents(sample.slice(i, i + 1000), { now: NOW })
  const verifyPerS = (sample.length / (performance.now() - tv)) * 1000
  const t0 = performance.now()
  // two batches in flight, as in the Node half (bench/store.bench.ts)
  let inFlight: Promise<void> | undefined
  for (let i = 0; i < events.length; i += 1000) {
    const next = store.ingestEvents(events.slice(i, i + 1000)).then((results) => {
      if (!results.every((r) => r.ok)) throw new Error(`ingest failed at ${i}`)
    })
    if (inFlight) await inFlight
    inFlight = next
    if (i % 20000 === 0) console.log(`ingested ${i + 1000} in ${Math.round(performance.now() - t0)} ms`)
  }
  await inFlight
  const ingestMs = performance.now() - t0
  await store.close()
  const times: number[] = []
  for (let i = 0; i < 7; i++) {
    const t = performance.now()
    const again = createStore({ storage: await openIdbStorage({ name }), secret, now: () => NOW })
    const page = await again.homeTimeline()
    times.push(performance.now() - t)
    if (page.items.length !== 20) throw new Error('short first page')
    await again.close()
  }
  times.sort((a, b) => a - b)
  await deleteIdbStorage(name)
  return {
    'store.home_first_page_ms.chromium': times[3]!,
    'store.home_first_page_ms.chromium_first': times[0]!,
    'store.ingest_per_s.chromium': (events.length / ingestMs) * 1000,
    'store.open_events_per_s.chromium': verifyPerS,
  }
}

Object.assign(window, { runStoreBench })
