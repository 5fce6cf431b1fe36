// Runners for the vector files of src/net (protocol/vectors: sync frames, gossip message ids and
// discovery announcements). Shared by Node and Chromium like test/support/vectors-core.ts.
import { expect } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { decodeRequest, decodeResponse, encodeFrame, type Frame } from '../../src/net/sync/frames.ts'
import { codeOf, type VectorCase } from './vectors-core.ts'

/** A frame in JSON: byte strings as lowercase hex. */
export function frameToJson(frame: Frame): unknown {
  return JSON.parse(JSON.stringify(frame, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v)))
}

/** The input of a case: bytesHex, followed by zero bytes up to sizeBytes when the case gives it. */
function inputOf(c: VectorCase): Uint8Array {
  const bytes = fromHex(c.bytesHex as string)
  if (typeof c.sizeBytes !== 'number') return bytes
  const padded = new Uint8Array(c.sizeBytes)
  padded.set(bytes)
  return padded
}

export async function runSyncFrameCase(c: VectorCase): Promise<void> {
  const read = c.direction === 'request' ? decodeRequest : decodeResponse
  const bytes = inputOf(c)
  if (!c.valid) {
    expect(await codeOf(() => read(bytes))).toBe(c.code)
    return
  }
  const frame = read(bytes)
  expect(frameToJson(frame)).toEqual(c.frame)
  if (c.canonical === true) expect(toHex(encodeFrame(frame))).toBe(c.bytesHex)
}
