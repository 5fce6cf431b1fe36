// JSON values in storage (refs, heads, private state): UTF-8 bytes.
import { utf8Decode, utf8Encode } from '../core/bytes.ts'

export function encodeJson(value: unknown): Uint8Array {
  return utf8Encode(JSON.stringify(value))
}

export function decodeJson<T>(bytes: Uint8Array | undefined): T | undefined {
  return bytes === undefined ? undefined : (JSON.parse(utf8Decode(bytes)) as T)
}
