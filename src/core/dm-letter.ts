// The letter: what a direct message says, the plaintext inside a sealed message
// (protocol/direct-messages.md §3). Canonical DAG-CBOR, strict like every object of v1. It is
// never signed: the sealed layer authenticates its sender to the recipient (and only to them).
import { copyBytes, decodeCanonicalMap, encodeCanonical, expectBytes, expectInteger, expectVersion, rejectUnknownFields } from './cbor.ts'
import { checkTimestamp } from './event-validate.ts'
import { fail } from './errors.ts'
import { assertPublicKey } from './keys.ts'
import { LETTER_ID_BYTES, MAX_DM_GRAPHEMES, MAX_DM_TEXT_BYTES, MAX_LETTER_BYTES } from './dm-limits.ts'
import { PUBLIC_KEY_BYTES } from './limits.ts'
import { checkText } from './text.ts'
import type { PublicKey } from './types.ts'

export interface Letter {
  readonly v: 1
  /** random, chosen by the sender: the recipient refuses an id it has seen (E_REPLAYED) */
  readonly id: Uint8Array
  /** the recipient's Ed25519 key (in a copy sealed to the sender's own devices, still the recipient) */
  readonly to: PublicKey
  /** when it was written, the sender's clock (ms); only the recipient sees it */
  readonly ts: number
  readonly text: string
}

export interface LetterOptions {
  /** the reader's clock (default Date.now()) */
  readonly now?: number
}

const FIELDS = new Set(['v', 'id', 'to', 'ts', 'text'])
const TEXT_RULE = { field: 'text', maxGraphemes: MAX_DM_GRAPHEMES, maxBytes: MAX_DM_TEXT_BYTES, multiline: true }

function checkLetter(map: Record<string, unknown>, now: number): Letter {
  const id = copyBytes(expectBytes(map.id, LETTER_ID_BYTES, 'E_MALFORMED', 'id'))
  const to = copyBytes(expectBytes(map.to, PUBLIC_KEY_BYTES, 'E_BAD_KEY', 'to'))
  assertPublicKey(to)
  const ts = expectInteger(map.ts, 'ts')
  checkTimestamp(ts, now)
  checkText(map.text, TEXT_RULE)
  return Object.freeze({ v: 1, id, to, ts, text: map.text })
}

/** Canonical bytes of a letter, after the same checks a reader makes. */
export function encodeLetter(letter: Omit<Letter, 'v'>, options: LetterOptions = {}): Uint8Array {
  const map = { v: 1, id: letter.id, to: letter.to, ts: letter.ts, text: letter.text }
  checkLetter(map, options.now ?? Date.now())
  const bytes = encodeCanonical(map)
  if (bytes.length > MAX_LETTER_BYTES) fail('E_OVERSIZE', `letter: ${bytes.length} bytes`)
  return bytes
}

/** Strict decoding: canonical DAG-CBOR, v 1, known fields, content rules. */
export function decodeLetter(bytes: Uint8Array, options: LetterOptions = {}): Letter {
  const map = decodeCanonicalMap(bytes, MAX_LETTER_BYTES, 'letter')
  expectVersion(map, 1, 'letter')
  rejectUnknownFields(map, FIELDS, 'letter')
  return checkLetter(map, options.now ?? Date.now())
}
