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
