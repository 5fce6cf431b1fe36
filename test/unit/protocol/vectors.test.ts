// Runs every file in protocol/vectors through the functions it specifies (the runners of
// test/support/protocol-vectors.ts), one test per case. Every implementation we ship must pass
// these (protocol/CONFORMANCE.md); test/browser/core-vectors.test.ts runs the same in Chromium.
import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nodeX25519 } from '../../../src/net/x25519-node.ts'
import { EVENT_KINDS } from '../../../src/core/event-wire.ts'
import { VECTOR_RUNNERS, type VectorCase } from '../../support/protocol-vectors.ts'
import { runPrivateVectors } from '../../support/vectors-private.ts'

const dir = new URL('../../../protocol/vectors/', import.meta.url)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
const load = (name: string): VectorCase[] => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as VectorCase[]
const label = (c: VectorCase) => `${c.valid === false ? String(c.code) : c.valid === true ? 'valid' : String(c.type ?? 'case')}: ${c.description}`

describe('protocol/vectors', () => {
  it('has a runner for every file, and a file for every runner', () => {
    expect(files).toEqual(Object.keys(VECTOR_RUNNERS).sort())
  })

  it('events.json covers every kind and at least 20 invalid cases', () => {
    const cases = load('events.json')
    const kinds = new Set(cases.filter((c) => c.valid).map((c) => (c.event as { kind: string }).kind))
    expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort())
    expect(cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(20)
  })

  it('direct-messages.json has at least 20 invalid cases, and node:crypto X25519 gives its bytes too', async () => {
    const cases = load('direct-messages.json')
    expect(cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(20)
    await runPrivateVectors(cases as never, [nodeX25519])
  })

  for (const file of files) {
    const run = VECTOR_RUNNERS[file]
    if (run === undefined) continue
    describe(file, () => {
      for (const c of load(file)) it(label(c), () => run(c, {}))
    })
  }
})
