// Inputs for the tests of core's CBOR decoding (cbor-canonical, cbor-defects): the signed
// objects of the vector files, and mutations of valid objects from the fuzz corpus.
import { readFileSync } from 'node:fs'
import { fromHex } from '../../src/core/bytes.ts'
import { createRandom, mutate } from '../fuzz/fuzz-engine.ts'
import { buildTargets, withRelayRecord } from '../fuzz/targets.ts'

/** Every object of events.json, feed-envelopes.json and relay-records.json, with its validity. */
export function vectorObjects(): Array<{ bytes: Uint8Array; valid: boolean }> {
  const out: Array<{ bytes: Uint8Array; valid: boolean }> = []
  for (const file of ['events', 'feed-envelopes', 'relay-records']) {
    const cases = JSON.parse(readFileSync(new URL(`../../protocol/vectors/${file}.json`, import.meta.url), 'utf8')) as Array<{
      bytesHex?: string
      valid: boolean
    }>
    for (const c of cases) if (c.bytesHex !== undefined) out.push({ bytes: fromHex(c.bytesHex), valid: c.valid })
  }
  return out
}

/** Calls `visit` on `count` mutations of the fuzz corpus's valid objects, the same ones for a seed. */
export async function forEachMutation(seed: number, count: number, visit: (input: Uint8Array) => void): Promise<void> {
  const corpus = (await withRelayRecord(buildTargets())).flatMap((t) => t.corpus)
  const random = createRandom(seed)
  for (let i = 0; i < count; i++) visit(mutate(corpus[i % corpus.length]!, random))
}
