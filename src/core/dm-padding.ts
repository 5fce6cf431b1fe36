// Padding so that lengths leak little (protocol/direct-messages.md §3): NIP-44 v2's scheme.
// A plaintext of n bytes (1 ≤ n ≤ 65535) becomes u16-BE(n) ‖ plaintext ‖ zeros, padded to
// calcPaddedLength(n): 32 bytes at least, then steps of a power-of-two fraction of the next
// power of two (chunks of 32 up to 256, then 1/8 of the next power of two). Sizes 1-32 all look
// alike, a 100-byte letter looks like anything from 97 to 128 bytes, a 1,000-byte one like 897-1,024.
import { fail } from './errors.ts'

/** The padded length of n plaintext bytes, without the 2-byte length prefix. */
export function calcPaddedLength(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) fail('E_MALFORMED', 'padding: length must be at least 1')
  if (n <= 32) return 32
  const nextPower = 1 << (Math.floor(Math.log2(n - 1)) + 1)
  const chunk = nextPower <= 256 ? 32 : nextPower / 8
  return chunk * (Math.floor((n - 1) / chunk) + 1)
}

export function pad(plaintext: Uint8Array, maxBytes: number): Uint8Array {
  const n = plaintext.length
  if (n === 0) fail('E_MALFORMED', 'padding: empty plaintext')
  if (n > maxBytes || n > 0xffff) fail('E_OVERSIZE', `padding: ${n} bytes, limit ${Math.min(maxBytes, 0xffff)}`)
  const out = new Uint8Array(2 + calcPaddedLength(n))
  out[0] = n >> 8
  out[1] = n & 0xff
  out.set(plaintext, 2)
  return out
}

/** Reverses pad(): the length prefix must fit, and the padding must be exactly what pad() makes. */
export function unpad(padded: Uint8Array, maxBytes: number): Uint8Array {
  if (padded.length < 2 + 32) fail('E_BAD_SEAL', 'padding: too short')
  const n = (padded[0]! << 8) | padded[1]!
  if (n === 0 || n > maxBytes) fail('E_BAD_SEAL', 'padding: bad length prefix')
  if (padded.length !== 2 + calcPaddedLength(n)) fail('E_BAD_SEAL', 'padding: wrong padded length')
  for (let i = 2 + n; i < padded.length; i++) if (padded[i] !== 0) fail('E_BAD_SEAL', 'padding: not zeros')
  return padded.slice(2, 2 + n)
}
