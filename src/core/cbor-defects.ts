// The decoding rules of protocol/conventions.md ("Decoding CBOR") as one pass over the bytes:
// pass 1 reports the first defect in reading order, pass 2 the defects of text and key order
// found on the way. cbor.ts asks this for every input the fast path (cbor-canonical.ts) is not
// sure of, so which code an input gets is decided here, by the specification, and never by a
// CBOR library's error messages. Iterative (no recursion), one Set of keys per open map.
import type { ErrorCode } from './errors.ts'
import { isPlainUtf8, keyFollows } from './cbor-canonical.ts'
import { MAX_CBOR_DEPTH } from './limits.ts'

export interface CborDefect {
  readonly code: ErrorCode
  readonly message: string
}

interface Open {
  /** items (arrays) or entries (maps) still to read */
  left: number
  readonly map: boolean
  /** maps: the next item is a key */
  key: boolean
  /** maps: the keys seen, as binary strings, for duplicates */
  readonly keys: Set<string> | undefined
  /** maps: where the previous key's bytes are, for the key order */
  prevStart: number
  prevLength: number
}

/**
 * The first defect of `b` as one CBOR map under conventions.md, or undefined when there is none.
 * `canonical`: also require DAG-CBOR key order (signed objects); sync frames do not.
 */
export function findCborDefect(b: Uint8Array, canonical: boolean): CborDefect | undefined {
  if (b.length === 0) return { code: 'E_TRUNCATED', message: 'empty' }
  if (b[0]! >> 5 !== 5) return { code: 'E_MALFORMED', message: 'not a CBOR map' }
  const stack: Open[] = []
  let p = 0
  let badText = false
  let unsorted = false
  let started = false
  while (!started || stack.length > 0) {
    const top = stack.at(-1)
    if (top !== undefined && top.left === 0) {
      stack.pop()
      finishItem(stack)
      continue
    }
    started = true
    if (p >= b.length) return { code: 'E_TRUNCATED', message: 'ends inside an item' }
    const isKey = top?.map === true && top.key
    if (!isKey && stack.length > MAX_CBOR_DEPTH) return { code: 'E_MALFORMED', message: `nested deeper than ${MAX_CBOR_DEPTH}` }
    const initial = b[p]!
    const major = initial >> 5
    const info = initial & 0x1f
    if (isKey && major !== 3) return { code: 'E_MALFORMED', message: 'a map key that is not text' }
    if (info >= 28) return { code: 'E_MALFORMED', message: info === 31 ? 'indefinite length or break' : 'reserved additional information' }
    if (major === 6) return { code: 'E_MALFORMED', message: 'a tag' }
    if (major === 7) {
      if (info < 20 || info > 22) return { code: 'E_MALFORMED', message: 'a float, undefined or simple value' }
      p += 1
      finishItem(stack)
      continue
    }
    const width = info < 24 ? 0 : 2 ** (info - 24)
    if (p + 1 + width > b.length) return { code: 'E_TRUNCATED', message: 'ends inside a head' }
    const arg = argumentOf(b, p, info)
    if (arg < 0) return { code: 'E_NON_CANONICAL', message: 'a head longer than necessary' }
    p += 1 + width
    if (major <= 1) finishItem(stack)
    else if (major <= 3) {
      if (arg > b.length - p) return { code: 'E_TRUNCATED', message: 'ends inside a string' }
      if (major === 3 && !isPlainUtf8(b, p, p + arg)) badText = true
      if (isKey) {
        const keyText = binaryString(b, p, p + arg)
        if (top.keys!.has(keyText)) return { code: 'E_MALFORMED', message: 'a duplicate map key' }
        top.keys!.add(keyText)
        if (canonical && top.prevLength >= 0 && !keyFollows(b, top.prevStart, top.prevLength, p, arg)) unsorted = true
        top.prevStart = p
        top.prevLength = arg
      }
      p += arg
      finishItem(stack)
    } else {
      stack.push({ left: arg, map: major === 5, key: true, keys: major === 5 ? new Set() : undefined, prevStart: 0, prevLength: -1 })
    }
  }
  if (p < b.length) return { code: 'E_MALFORMED', message: 'bytes after the map' }
  if (badText) return { code: 'E_BAD_TEXT', message: 'a text string that is not UTF-8 or starts with U+FEFF' }
  if (unsorted) return { code: 'E_NON_CANONICAL', message: 'map keys not in DAG-CBOR order' }
  return undefined
}

/** One item of the innermost open container is complete: count it (a map counts key + value as one entry). */
function finishItem(stack: Open[]): void {
  const top = stack.at(-1)
  if (top === undefined) return
  if (!top.map) top.left--
  else if (top.key) top.key = false
  else {
    top.key = true
    top.left--
  }
}

/** The head's argument, or -1 when it is not in its shortest form (8-byte values as a Number). */
function argumentOf(b: Uint8Array, p: number, info: number): number {
  if (info < 24) return info
  if (info === 24) return b[p + 1]! < 24 ? -1 : b[p + 1]!
  if (info === 25) {
    const v = (b[p + 1]! << 8) | b[p + 2]!
    return v < 0x100 ? -1 : v
  }
  const high = b[p + 1]! * 0x1000000 + ((b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!)
  if (info === 26) return high < 0x10000 ? -1 : high
  const low = b[p + 5]! * 0x1000000 + ((b[p + 6]! << 16) | (b[p + 7]! << 8) | b[p + 8]!)
  return high === 0 ? -1 : high * 0x100000000 + low
}

function binaryString(b: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!)
  return s
}
