// A blob's address: WebCrypto's SHA-256 and noble's (used where a page has no crypto.subtle,
// on an insecure origin) give the same hex, the FIPS 180-2 vectors.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sha256Hex } from '../../../src/core/sha256-hex.ts'

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('sha256Hex', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('with WebCrypto', async () => {
    expect(await sha256Hex(text('abc'))).toBe(ABC)
    expect(await sha256Hex(new Uint8Array())).toBe(EMPTY)
  })

  it('without crypto.subtle (an insecure origin), the same', async () => {
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) })
    expect(globalThis.crypto.subtle).toBeUndefined()
    expect(await sha256Hex(text('abc'))).toBe(ABC)
    expect(await sha256Hex(new Uint8Array())).toBe(EMPTY)
    const big = new Uint8Array(1 << 20).map((_, i) => i * 31)
    vi.unstubAllGlobals()
    const viaWebCrypto = await sha256Hex(big)
    vi.stubGlobal('crypto', {})
    expect(await sha256Hex(big)).toBe(viaWebCrypto)
  })
})
