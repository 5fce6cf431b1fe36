// The export file format (src/app/README.md "Export file"): sealed with a passphrase (scrypt +
// AES-256-GCM, both @noble's) or plain without the secret; every bad file is a typed error.
// Files sealed by WebCrypto (the implementation before, and Node's real one now) open, and
// what this code seals opens with WebCrypto. Fast scrypt parameters where the cost is not what
// is tested.
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { decode, encode } from '@ipld/dag-cbor'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { encodeDidKey, generateSecretKey, getPublicKey, type ErrorCode } from '../../../src/core/index.ts'
import type { AuthorId } from '../../../src/core/types.ts'
import { decodeExport, encodeExport, type ExportData } from '../../../src/app/wiring/export-file.ts'
import { DEFAULT_SCRYPT, openExport, readExportKind, sealExport } from '../../../src/app/lib/export-crypto.ts'

const FAST = { N: 2 ** 10, r: 8, p: 1 }
const PASS = '野火烧不尽 春风吹又生'
const secret = generateSecretKey()
const data: ExportData = {
  author: encodeDidKey(getPublicKey(secret)),
  secret,
  settings: { relays: ['/ip4/1.2.3.4/tcp/1/ws/p2p/12D3KooW'], privacy: 'relay-only', mutedWords: ['剧透'], photos: { dataSaver: 'on', requireAlt: true } },
  muted: ['did:key:z6MkA' as AuthorId],
  blocked: [],
  changes: [new Uint8Array([1, 2, 3])],
  events: [new Uint8Array([4, 5])],
}

async function codeOf(work: () => Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await work()
  } catch (error) {
    return (error as { code?: ErrorCode }).code ?? ('not typed' as ErrorCode)
  }
  return undefined
}

const containsBytes = (hay: Uint8Array, needle: Uint8Array): boolean => Buffer.from(hay).includes(Buffer.from(needle))

describe('sealed export (with the secret)', () => {
  it('round-trips with the default parameters, and the secret is not in the file in clear', async () => {
    const file = await encodeExport(data, PASS)
    expect(readExportKind(file)).toBe('sealed')
    expect(containsBytes(file, secret)).toBe(false)
    expect(containsBytes(file, new TextEncoder().encode('剧透'))).toBe(false)
    const header = decode(file) as { kdf: { N: number; r: number; p: number; salt: Uint8Array }; cipher: { name: string; iv: Uint8Array } }
    expect({ N: header.kdf.N, r: header.kdf.r, p: header.kdf.p }).toEqual(DEFAULT_SCRYPT)
    expect(header.cipher.name).toBe('AES-256-GCM')
    expect(await decodeExport(file, PASS)).toEqual(data)
  })

  it('the same passphrase typed full-width (NFKC) opens the file; two exports differ (fresh salt and nonce)', async () => {
    const a = await encodeExport(data, 'correct horse 42', FAST)
    const b = await encodeExport(data, 'correct horse 42', FAST)
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false)
    expect((await decodeExport(a, 'ｃｏｒｒｅｃｔ　ｈｏｒｓｅ　４２')).secret).toEqual(secret)
  })

  it('a wrong or missing passphrase is E_BAD_PHRASE', async () => {
    const file = await encodeExport(data, PASS, FAST)
    expect(await codeOf(() => decodeExport(file, PASS + '!'))).toBe('E_BAD_PHRASE')
    expect(await codeOf(() => decodeExport(file))).toBe('E_BAD_PHRASE')
    expect(await codeOf(() => decodeExport(file, ''))).toBe('E_BAD_PHRASE')
  })

  it('any changed byte of the ciphertext or of the authenticated header is E_BAD_PHRASE', async () => {
    const file = await encodeExport(data, PASS, FAST)
    type Sealed = Record<string, unknown> & { data: Uint8Array; kdf: { salt: Uint8Array }; cipher: { iv: Uint8Array } }
    for (const change of [
      (x: Sealed) => {
        x.data[0]! ^= 1
      },
      (x: Sealed) => {
        x.data[x.data.length - 1]! ^= 0x80
      }, // the tag
      (x: Sealed) => {
        x.kdf.salt[3]! ^= 1
      },
      (x: Sealed) => {
        x.cipher.iv[0]! ^= 1
      },
    ]) {
      const copy = decode(file) as Sealed
      change(copy)
      expect(await codeOf(() => decodeExport(encode(copy), PASS))).toBe('E_BAD_PHRASE')
    }
    // and one flipped byte anywhere in the file never opens it
    for (let i = 0; i < file.length; i += Math.max(1, Math.floor(file.length / 12))) {
      const copy = file.slice()
      copy[i]! ^= 0x01
      expect(await codeOf(() => decodeExport(copy, PASS))).toMatch(/^E_/)
    }
  })

  it('a truncated file is E_TRUNCATED, an empty one too', async () => {
    const file = await encodeExport(data, PASS, FAST)
    for (const n of [0, 1, 10, file.length - 1]) {
      expect(await codeOf(() => decodeExport(file.subarray(0, n), PASS))).toBe('E_TRUNCATED')
    }
    const o = decode(file) as Record<string, unknown>
    expect(await codeOf(() => decodeExport(encode({ ...o, data: new Uint8Array(15) }), PASS))).toBe('E_TRUNCATED')
  })

  it('refuses a short passphrase, and a file asking for absurd scrypt costs before any work', async () => {
    expect(await codeOf(() => encodeExport(data, 'short'))).toBe('E_BAD_TEXT')
    expect(await codeOf(() => sealExport(new Uint8Array(1), PASS, { N: 2 ** 22, r: 8, p: 1 }))).toBe('E_MALFORMED')
    const o = decode(await encodeExport(data, PASS, FAST)) as { kdf: Record<string, unknown> }
    for (const kdf of [{ N: 2 ** 30 }, { N: 1000 }, { r: 1000 }, { p: 64 }, { name: 'argon2id' }]) {
      const start = Date.now()
      expect(await codeOf(() => openExport(encode({ ...o, kdf: { ...o.kdf, ...kdf } }), PASS))).toBe('E_MALFORMED')
      expect(Date.now() - start).toBeLessThan(500)
    }
  })
})

describe('the same file format as WebCrypto', () => {
  type Header = { kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: Uint8Array }; cipher: { name: 'AES-256-GCM'; iv: Uint8Array } }
  const payload = encode({ author: data.author, secret, settings: data.settings, muted: data.muted, blocked: [], changes: data.changes, events: data.events })
  const aad = (h: Header): Uint8Array<ArrayBuffer> => encode({ format: 'wildgrass-export', v: 2, kdf: h.kdf, cipher: h.cipher }) as Uint8Array<ArrayBuffer>
  async function webCryptoKey(passphrase: string, kdf: Header['kdf']): Promise<CryptoKey> {
    const raw = await scryptAsync(new TextEncoder().encode(passphrase.normalize('NFKC')), kdf.salt, { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 32 })
    return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt'])
  }

  it('opens a file written by the WebCrypto implementation this one replaced (frozen vector)', async () => {
    const vector = JSON.parse(readFileSync(new URL('../../vectors/export-v2-webcrypto.json', import.meta.url), 'utf8')) as { passphrase: string; file: string }
    const file = Uint8Array.from(Buffer.from(vector.file, 'hex'))
    const back = await decodeExport(file, vector.passphrase)
    expect(back.secret).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i + 1))
    expect(back.author).toBe(encodeDidKey(getPublicKey(back.secret!)))
    expect(back.settings.mutedWords).toEqual(['剧透'])
    // written before photo settings existed: the defaults
    expect(back.settings.photos).toEqual({ dataSaver: 'auto', requireAlt: false })
    expect(back.changes).toEqual([new Uint8Array([1, 2, 3])])
    expect(back.events).toEqual([new Uint8Array([4, 5, 6, 7])])
    expect(await codeOf(() => decodeExport(file, vector.passphrase + ' '))).toBe('E_BAD_PHRASE')
  })

  it('opens a file sealed now by WebCrypto (Node)', async () => {
    const h: Header = {
      kdf: { name: 'scrypt', ...FAST, salt: crypto.getRandomValues(new Uint8Array(16)) },
      cipher: { name: 'AES-256-GCM', iv: crypto.getRandomValues(new Uint8Array(12)) },
    }
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: h.cipher.iv as Uint8Array<ArrayBuffer>, additionalData: aad(h), tagLength: 128 },
      await webCryptoKey(PASS, h.kdf),
      payload as Uint8Array<ArrayBuffer>,
    )
    const file = encode({ format: 'wildgrass-export', v: 2, ...h, data: new Uint8Array(sealed) })
    expect(await decodeExport(file, PASS)).toEqual(data)
  })

  it('seals and opens where there is no crypto.subtle (an insecure origin)', async () => {
    const real = globalThis.crypto
    // what a page on plain http has: getRandomValues, and no subtle
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) })
    try {
      expect(globalThis.crypto.subtle).toBeUndefined()
      const file = await encodeExport(data, PASS, FAST)
      expect(await decodeExport(file, PASS)).toEqual(data)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('what it seals, WebCrypto opens (and refuses once a header byte changed)', async () => {
    const file = decode(await sealExport(payload, PASS, FAST)) as Header & { data: Uint8Array }
    const key = await webCryptoKey(PASS, file.kdf)
    const open = (h: Header) =>
      crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: h.cipher.iv as Uint8Array<ArrayBuffer>, additionalData: aad(h), tagLength: 128 },
        key,
        file.data as Uint8Array<ArrayBuffer>,
      )
    expect(new Uint8Array(await open(file))).toEqual(new Uint8Array(payload))
    await expect(open({ ...file, kdf: { ...file.kdf, N: file.kdf.N * 2 } })).rejects.toThrow()
  })
})

describe('plain export (without the secret)', () => {
  it('round-trips without the secret, and names its author', async () => {
    const file = await encodeExport(data)
    expect(readExportKind(file)).toBe('plain')
    expect(containsBytes(file, secret)).toBe(false)
    const back = await decodeExport(file)
    expect(back.secret).toBeUndefined()
    expect(back).toEqual({ ...data, secret: undefined })
  })

  it('refuses a plain file that carries a secret (this app never writes one)', async () => {
    const payload = encode({ author: data.author, secret, settings: { relays: [], mutedWords: [] }, muted: [], blocked: [], changes: [], events: [] })
    expect(await codeOf(() => decodeExport(encode({ format: 'wildgrass-export', v: 2, data: payload })))).toBe('E_MALFORMED')
  })
})

describe('legacy v1 files and garbage', () => {
  it('still opens a v1 file (secret in clear, from before format 2)', async () => {
    const v1 = encode({
      format: 'wildgrass-export',
      v: 1,
      secret,
      settings: data.settings,
      muted: data.muted,
      blocked: [],
      changes: data.changes,
      events: data.events,
    })
    expect(readExportKind(v1)).toBe('legacy')
    expect(await decodeExport(v1)).toEqual(data)
  })

  it.each([
    ['random bytes', new Uint8Array([0xff, 0x00, 0x12]), 'E_MALFORMED'],
    ['text', new TextEncoder().encode('not cbor at all'), 'E_MALFORMED'],
    ['another CBOR document', encode({ hello: 'world' }), 'E_MALFORMED'],
    ['a future version', encode({ format: 'wildgrass-export', v: 3, data: new Uint8Array(1) }), 'E_UNKNOWN_VERSION'],
    ['v2 without data', encode({ format: 'wildgrass-export', v: 2 }), 'E_MALFORMED'],
    [
      'short secret',
      encode({
        format: 'wildgrass-export',
        v: 1,
        secret: new Uint8Array(31),
        settings: { relays: [], mutedWords: [] },
        muted: [],
        blocked: [],
        changes: [],
        events: [],
      }),
      'E_MALFORMED',
    ],
    [
      'events not bytes',
      encode({ format: 'wildgrass-export', v: 1, secret, settings: { relays: [], mutedWords: [] }, muted: [], blocked: [], changes: [], events: ['x'] }),
      'E_MALFORMED',
    ],
    ['a plain payload that is not a map', encode({ format: 'wildgrass-export', v: 2, data: encode('x') }), 'E_MALFORMED'],
  ])('refuses %s with %s', async (_name, bytes, code) => {
    expect(await codeOf(() => decodeExport(bytes))).toBe(code)
  })
})
