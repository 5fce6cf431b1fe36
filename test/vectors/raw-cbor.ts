// A hand-rolled CBOR writer for building NON-canonical test inputs (unsorted keys, non-minimal
// integers, duplicate keys, indefinite lengths) that a canonical encoder refuses to produce.
import * as dagCbor from '@ipld/dag-cbor'
import { concatBytes, utf8Encode } from '../../src/core/bytes.ts'

/** A CBOR head; `width` forces a longer argument than needed (0 = minimal). */
export function head(major: number, n: number, width: 0 | 1 | 2 | 4 | 8 = 0): Uint8Array {
  const m = major << 5
  const w = width !== 0 ? width : n < 24 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x100000000 ? 4 : 8
  if (w === 0) return Uint8Array.of(m | n)
  const info = { 1: 24, 2: 25, 4: 26, 8: 27 }[w]
  const out = new Uint8Array(1 + w)
  out[0] = m | info
  let v = BigInt(n)
  for (let i = w; i >= 1; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

export const text = (s: string): Uint8Array => {
  const b = utf8Encode(s)
  return concatBytes(head(3, b.length), b)
}

/** A map whose entries are written in the given order, values already encoded. */
export function mapInOrder(entries: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  return concatBytes(head(5, entries.length), ...entries.flatMap(([k, v]) => [text(k), v]))
}

/** Canonical encoding of one value (for the parts that should stay canonical). */
export const enc = (value: unknown): Uint8Array => dagCbor.encode(value)

/** DAG-CBOR key order: shorter first, then bytewise (UTF-16 order equals byte order for ASCII keys). */
const byKeyOrder = (a: string, b: string): number => {
  const x = utf8Encode(a)
  const y = utf8Encode(b)
  if (x.length !== y.length) return x.length - y.length
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return 0
}

/**
 * A map in canonical key order whose values are given already encoded: `raw` overrides or adds
 * entries of `map` with hand-made bytes (a float, a tag, a non-minimal head, …).
 */
export function mapWith(map: Record<string, unknown>, raw: Record<string, Uint8Array> = {}): Uint8Array {
  const entries = new Map<string, Uint8Array>()
  for (const [k, v] of Object.entries(map)) entries.set(k, enc(v))
  for (const [k, v] of Object.entries(raw)) entries.set(k, v)
  return mapInOrder([...entries].sort(([a], [b]) => byKeyOrder(a, b)))
}

/** A float of the given width (2, 4 or 8 bytes), which protocol v1 never allows. */
export function float(n: number, width: 2 | 4 | 8): Uint8Array {
  const out = new Uint8Array(1 + width)
  const view = new DataView(out.buffer)
  if (width === 8) {
    out[0] = 0xfb
    view.setFloat64(1, n)
  } else if (width === 4) {
    out[0] = 0xfa
    view.setFloat32(1, n)
  } else {
    out[0] = 0xf9
    view.setUint16(1, float16Bits(n))
  }
  return out
}

/** IEEE 754 half precision of a value that has an exact one (vectors use 1, 1.5, NaN). */
function float16Bits(n: number): number {
  if (Number.isNaN(n)) return 0x7e00
  if (n === 1) return 0x3c00
  if (n === 1.5) return 0x3e00
  throw new Error(`no exact float16 for ${n} in the vectors`)
}

/** Text with an explicit byte content (possibly not UTF-8) and, optionally, a longer head. */
export function rawText(bytes: Uint8Array, width: 0 | 1 | 2 | 4 | 8 = 0): Uint8Array {
  return concatBytes(head(3, bytes.length, width), bytes)
}
