// Every file of protocol/vectors in real Chromium, through the same runners as Node
// (test/support/protocol-vectors.ts): Intl.Segmenter, String.prototype.normalize, TextDecoder,
// DAG-CBOR, WebCrypto Ed25519 (BoringSSL) and IndexedDB-free stores of the browser must give
// the answers and codes the vectors name.
import wasmUrl from '@automerge/automerge/automerge.wasm?url'
import { describe, expect, it } from 'vitest'
import { fromHex } from '../../src/core/bytes.ts'
import { openEvents } from '../../src/core/event-verify.ts'
import { VECTOR_RUNNERS, type VectorCase } from '../support/protocol-vectors.ts'

const files = Object.fromEntries(
  Object.entries(import.meta.glob<VectorCase[]>('../../protocol/vectors/*.json', { eager: true, import: 'default' })).map(([path, cases]) => [
    path.slice(path.lastIndexOf('/') + 1),
    cases,
  ]),
)

describe('protocol vectors in Chromium', () => {
  it('has a runner for every file, and a file for every runner', () => {
    expect(Object.keys(files).sort()).toEqual(Object.keys(VECTOR_RUNNERS).sort())
  })

  for (const [name, cases] of Object.entries(files)) {
    it(`${name}: all ${cases.length} cases`, async () => {
      const failures: string[] = []
      for (const c of cases) {
        try {
          await VECTOR_RUNNERS[name]!(c, { automergeWasm: wasmUrl })
        } catch (e) {
          failures.push(`${c.description}: ${e instanceof Error ? e.message : String(e)}`)
        }
      }
      expect(failures).toEqual([])
    })
  }

  it('events.json as one batch (batch verification through WebCrypto)', async () => {
    const cases = files['events.json']!
    const results = await openEvents(
      cases.map((c) => fromHex(c.bytesHex as string)),
      { now: cases[0]!.now as number },
    )
    for (const [i, c] of cases.entries()) {
      const r = results[i]!
      expect(r.ok ? null : r.code, c.description).toBe(c.valid ? null : c.code)
      if (c.valid && r.ok) expect(r.event.id, c.description).toBe(c.idHex)
    }
  })
})
