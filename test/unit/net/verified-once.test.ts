// Each object is verified once: what core opened or signed carries core's mark, so checking it
// again costs no signature verification; a decoded-but-unverified object, a copy, or a forgery
// is checked (and refused) every time. A synchronous verifier plugged in sees every check core
// makes, which is how these tests count them.
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../src/core/event-create.ts'
import { decodeEvent } from '../../../src/core/event-decode.ts'
import { isVerifiedEvent, openEvent, verifyEvent, verifyEvents } from '../../../src/core/event-verify.ts'
import { decodeChangeEnvelope, openChangeEnvelope, signChange, verifyChangeEnvelope } from '../../../src/core/feed-envelope.ts'
import type { ChangeEnvelope } from '../../../src/core/feed-envelope.ts'
import { generateSecretKey } from '../../../src/core/keys.ts'
import type { SignatureVerifier } from '../../../src/core/keys.ts'
import type { SignedEvent } from '../../../src/core/types.ts'
import { createNodeVerifier } from '../../../src/net/verify-node.ts'

/** The Node verifier, counting the signatures it checks. */
function countingVerifier(): SignatureVerifier & { calls: number } {
  const inner = createNodeVerifier()
  const v = {
    calls: 0,
    verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
      v.calls++
      return inner.verify(publicKey, message, signature)
    },
  }
  return v
}

const secret = generateSecretKey()
const post = (text: string) => createEvent(secret, { kind: 'post', body: { text } })

describe('events are verified once', () => {
  it('an opened event is not checked again; a decoded or copied one is', async () => {
    const v = countingVerifier()
    const bytes = post('一次就好').bytes
    const opened = await openEvent(bytes, { verifier: v })
    expect(v.calls).toBe(1)
    expect(isVerifiedEvent(opened)).toBe(true)
    await verifyEvent(opened, { verifier: v })
    expect(await verifyEvents([opened])).toEqual([null])
    expect(v.calls).toBe(1)

    const decoded = decodeEvent(bytes)
    expect(isVerifiedEvent(decoded)).toBe(false)
    await verifyEvent(decoded, { verifier: v })
    expect(v.calls).toBe(2)
    await verifyEvent(decoded, { verifier: v }) // now marked
    expect(v.calls).toBe(2)

    // a copy is not frozen, so it could change after a check: never remembered
    const copy = { ...opened } as SignedEvent
    await verifyEvent(copy, { verifier: v })
    await verifyEvent(copy, { verifier: v })
    expect(v.calls).toBe(4)
    expect(isVerifiedEvent(copy)).toBe(false)
  })

  it('what createEvent signed counts as verified; a forged copy of it does not', async () => {
    const v = countingVerifier()
    const e = post('signed here')
    expect(isVerifiedEvent(e)).toBe(true)
    await verifyEvent(e, { verifier: v })
    expect(v.calls).toBe(0)
    const forged = { ...e, body: { text: 'changed' } } as SignedEvent
    await expect(verifyEvent(forged, { verifier: v })).rejects.toMatchObject({ code: 'E_BAD_SIGNATURE' })
    expect(await verifyEvents([forged, e])).toEqual(['E_BAD_SIGNATURE', null])
  })

  it("a bad signature is refused through the plugged-in verifier with core's code", async () => {
    const e = post('tampered')
    const tampered = e.bytes.slice()
    tampered[Buffer.from(tampered).indexOf('tampered')] = 'T'.charCodeAt(0) // same shape, wrong signature
    const v = countingVerifier()
    await expect(openEvent(tampered, { verifier: v })).rejects.toMatchObject({ code: 'E_BAD_SIGNATURE' })
    await expect(openEvent(tampered)).rejects.toMatchObject({ code: 'E_BAD_SIGNATURE' })
    expect(v.calls).toBe(1)
  })
})

describe('change envelopes are verified once', () => {
  it('an opened or signed envelope is not checked again; a decoded or copied one is', async () => {
    const v = countingVerifier()
    const signed = signChange(secret, new Uint8Array([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3]))
    await verifyChangeEnvelope(signed, { verifier: v })
    expect(v.calls).toBe(0)
    // no owner claimed: the author the envelope names
    const opened = await openChangeEnvelope(signed.bytes, undefined, { verifier: v })
    expect(opened.author).toBe(signed.author)
    expect(v.calls).toBe(1)
    await verifyChangeEnvelope(opened, { verifier: v })
    expect(v.calls).toBe(1)
    const decoded = decodeChangeEnvelope(signed.bytes)
    await verifyChangeEnvelope(decoded, { verifier: v })
    await verifyChangeEnvelope(decoded, { verifier: v })
    expect(v.calls).toBe(2)
    const copy: ChangeEnvelope = { ...signed }
    await verifyChangeEnvelope(copy, { verifier: v })
    await verifyChangeEnvelope(copy, { verifier: v })
    expect(v.calls).toBe(4)
    const forged: ChangeEnvelope = { ...signed, change: new Uint8Array([9, 9, 9]) }
    await expect(verifyChangeEnvelope(forged, { verifier: v })).rejects.toMatchObject({ code: 'E_BAD_SIGNATURE' })
  })
})
