// The runner of protocol/vectors/retraction.json (protocol/feed-document.md §3–§4): each scenario
// on a fresh in-memory store without an identity of its own (a relay's view), at the vectors'
// clock. Shared by Node and Chromium like test/support/vectors-core.ts.
import { expect } from 'vitest'
import { fromHex } from '../../src/core/bytes.ts'
import { decodeEvent } from '../../src/core/event-decode.ts'
import type { AuthorId, EventId } from '../../src/core/types.ts'
import { createStore } from '../../src/store/create-store.ts'
import { createMemoryStorage } from '../../src/store/memory-storage.ts'
import type { VectorCase } from './vectors-core.ts'

interface Step {
  op: 'ingestEvents' | 'ingestChanges' | 'getEvents' | 'missingEventIds'
  eventsHex?: string[]
  envelopesHex?: string[]
  ids?: EventId[]
  owner?: AuthorId
  author?: AuthorId
  expect: Array<string | null>
}

export async function runRetractionCase(c: VectorCase, env: { automergeWasm?: string }): Promise<void> {
  const now = c.now as number
  const store = createStore({
    storage: createMemoryStorage(),
    now: () => now,
    ...(env.automergeWasm === undefined ? {} : { automergeWasm: env.automergeWasm }),
  })
  await store.start()
  try {
    for (const [i, step] of (c.steps as Step[]).entries()) {
      const what = `step ${i + 1} (${step.op})`
      const codes = (results: ReadonlyArray<{ ok: boolean; code?: string }>) => results.map((r) => (r.ok ? null : (r.code ?? '?')))
      if (step.op === 'ingestEvents') expect(codes(await store.ingestEvents(step.eventsHex!.map(fromHex))), what).toEqual(step.expect)
      else if (step.op === 'ingestChanges') expect(codes(await store.ingestChanges(step.envelopesHex!.map(fromHex), step.owner)), what).toEqual(step.expect)
      else if (step.op === 'getEvents')
        expect(
          (await store.getEvents(step.ids!)).map((b) => decodeEvent(b, { now }).id),
          what,
        ).toEqual(step.expect)
      else expect(await store.missingEventIds(step.ids!, step.author), what).toEqual(step.expect)
    }
  } finally {
    await store.close()
  }
}
