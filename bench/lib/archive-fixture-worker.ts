// The fixture generator in a worker thread (archive-fixture.ts): signing and encoding a million
// events takes minutes of CPU, and runs here beside the relay's ingest on the main thread.
// Protocol: first message out is the author ids; then each { n } in gives a batch of n events.
import { parentPort, workerData } from 'node:worker_threads'
import { createEventStream, createFixtureAuthors } from './archive-fixture.ts'
import type { FixtureEvent } from './archive-fixture.ts'

export interface FixtureWorkerData {
  readonly authors: number
  readonly startTs: number
  readonly stepMs: number
  readonly seed: number
}

const init = workerData as FixtureWorkerData
const authors = createFixtureAuthors(init.authors)
const stream = createEventStream({ authors, startTs: init.startTs, stepMs: init.stepMs, seed: init.seed })
parentPort!.postMessage({ authors: authors.map((a) => a.id) })
parentPort!.on('message', (m: { n: number }) => {
  const batch: FixtureEvent[] = stream.next(m.n)
  parentPort!.postMessage({ batch }) // copied: 225-byte events, not worth a transfer list
})
