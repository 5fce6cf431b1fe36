import { describe, expect, it } from 'vitest'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { decodeChangeEnvelope, openChangeEnvelope, signChange, verifyChangeEnvelope } from '../../../src/core/feed-envelope.ts'
import { getPublicKey } from '../../../src/core/keys.ts'
import { MAX_CHANGE_BYTES, MAX_CHANGE_ENVELOPE_BYTES } from '../../../src/core/limits.ts'
import type { ChangeEnvelope } from '../../../src/core/feed-envelope.ts'
import type { SecretKey } from '../../../src/core/types.ts'

const alice = new Uint8Array(32).fill(1) as SecretKey
const bob = new Uint8Array(32).fill(2) as SecretKey
const aliceId = encodeDidKey(getPublicKey(alice))
const bobId = encodeDidKey(getPublicKey(bob))

describe('feed change envelopes', () => {
  it('sign, decode, open for the owner', async () => {
    const change = new Uint8Array([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3])
    const env = signChange(alice, change)
    expect(env.author).toBe(aliceId)
    expect(env.change).toEqual(change)
    const opened = await openChangeEnvelope(env.bytes, aliceId)
    expect(opened).toEqual(env)
    expect(decodeChangeEnvelope(env.bytes)).toEqual(env)
  })

  it('accepts a change of exactly MAX_CHANGE_BYTES and stays within the envelope limit', async () => {
    const env = signChange(alice, new Uint8Array(MAX_CHANGE_BYTES).fill(0xab))
    expect(env.bytes.length).toBeLessThanOrEqual(MAX_CHANGE_ENVELOPE_BYTES)
    await openChangeEnvelope(env.bytes, aliceId)
  })

  it('refuses empty and oversized changes when signing', () => {
    expect(() => signChange(alice, new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'E_BAD_CHANGE' }))
    expect(() => signChange(alice, new Uint8Array(MAX_CHANGE_BYTES + 1))).toThrow(expect.objectContaining({ code: 'E_OVERSIZE' }))
  })

  it("rejects a change for someone else's document", async () => {
    const env = signChange(bob, new Uint8Array([1]))
    await expect(openChangeEnvelope(env.bytes, aliceId)).rejects.toMatchObject({ code: 'E_WRONG_AUTHOR' })
    await openChangeEnvelope(env.bytes, bobId)
  })

  it('refuses a hand-made object whose fields differ from its bytes', async () => {
    const env = signChange(alice, new Uint8Array([1, 2]))
    await verifyChangeEnvelope({ ...env })
    const forged: ChangeEnvelope = { ...env, change: new Uint8Array([9, 9]) }
    await expect(verifyChangeEnvelope(forged)).rejects.toMatchObject({ code: 'E_BAD_SIGNATURE' })
    const bad = new Uint8Array(env.bytes)
    bad[bad.length - 10]! ^= 4
    await expect(openChangeEnvelope(bad, aliceId)).rejects.toMatchObject({ code: expect.stringMatching(/^E_/) })
  })

  it('input buffers may be reused after decoding', () => {
    const env = signChange(alice, new Uint8Array([5, 6, 7]))
    const input = new Uint8Array(env.bytes)
    const decoded = decodeChangeEnvelope(input)
    input.fill(0)
    expect(decoded.change).toEqual(new Uint8Array([5, 6, 7]))
    expect(Object.isFrozen(decoded)).toBe(true)
  })
})
