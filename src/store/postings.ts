// Search posting lists (protocol/feed-document.md §5, rows `s|<token>|…`): the [ts, id] pairs of
// one ingest batch holding a token, newest first. Written in a binary form: a post has ~10–30
// tokens, so these rows were most of the bytes an ingest wrote as JSON (~83 bytes a pair, and
// as much again for the keys listed in refs). Binary: 0x01, then per pair 8 bytes of ts
// (float64 BE, exact for integers) and the 32 id bytes — 40 bytes. Rows written before, as
// JSON, start with '[' (0x5b) and are still read.
import type { EventId } from '../core/types.ts'
import { decodeJson } from './json.ts'

export type Posting = readonly [ts: number, id: EventId]

const BINARY_V1 = 0x01
const PAIR = 40

/** Encodes pairs already in order; `idBytes` gives the 32 bytes of an id (callers cache them). */
export function encodePostings(list: readonly Posting[], idBytes: (id: EventId) => Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + list.length * PAIR)
  const view = new DataView(out.buffer)
  out[0] = BINARY_V1
  let at = 1
  for (const [ts, id] of list) {
    view.setFloat64(at, ts)
    out.set(idBytes(id), at + 8)
    at += PAIR
  }
  return out
}

export function decodePostings(bytes: Uint8Array | undefined): Posting[] | undefined {
  if (bytes === undefined) return undefined
  if (bytes[0] !== BINARY_V1) return decodeJson<Array<[number, EventId]>>(bytes)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: Posting[] = []
  for (let at = 1; at + PAIR <= bytes.length; at += PAIR) out.push([view.getFloat64(at), hexOf(bytes, at + 8) as EventId])
  return out
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hexOf(bytes: Uint8Array, at: number): string {
  let s = ''
  for (let i = at; i < at + 32; i++) s += HEX[bytes[i]!]!
  return s
}

/** The 32 bytes of a lowercase-hex event id (ids in the store come from decodeEvent: well-formed). */
export function idToBytes(id: EventId): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = nibble(id.charCodeAt(2 * i)) * 16 + nibble(id.charCodeAt(2 * i + 1))
  return out
}

function nibble(c: number): number {
  return c <= 57 ? c - 48 : c - 87 // '0'-'9', 'a'-'f'
}
