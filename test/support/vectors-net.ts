// Runners for the vector files of src/net (protocol/vectors: sync frames, gossip message ids and
// discovery announcements). Shared by Node and Chromium like test/support/vectors-core.ts.
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.ts'
import { computeMessageId } from '../../src/net/gossip-config.ts'
import { decodeAnnouncement, encodeAnnouncement } from '../../src/net/peer-announcer.ts'
import { decodeRequest, decodeResponse, encodeFrame, type Frame } from '../../src/net/sync/frames.ts'
import { codeOf, type VectorCase } from './vectors-core.ts'

/** A frame in JSON: byte strings as lowercase hex. */
export function frameToJson(frame: Frame): unknown {
  return JSON.parse(JSON.stringify(frame, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v)))
}

/** The input of a case: bytesHex, followed by zero bytes up to sizeBytes when the case gives it. */
function inputOf(c: VectorCase): Uint8Array {
  const bytes = fromHex(c.bytesHex as string)
  if (typeof c.sizeBytes !== 'number') return bytes
  const padded = new Uint8Array(c.sizeBytes)
  padded.set(bytes)
  return padded
}

export async function runSyncFrameCase(c: VectorCase): Promise<void> {
  const read = c.direction === 'request' ? decodeRequest : decodeResponse
  const bytes = inputOf(c)
  if (!c.valid) {
    expect(await codeOf(() => read(bytes))).toBe(c.code)
    return
  }
  const frame = read(bytes)
  expect(frameToJson(frame)).toEqual(c.frame)
  if (c.canonical === true) expect(toHex(encodeFrame(frame))).toBe(c.bytesHex)
}

/** gossip.json, routed by each case's `type`. */
export function runGossipCase(c: VectorCase): Promise<void> {
  const data = fromHex(c.dataHex as string)
  switch (c.type) {
    case 'message-id':
      expect(toHex(computeMessageId(c.topic as string, data))).toBe(c.messageIdHex)
      break
    case 'announcement-encoding':
      expect(
        toHex(
          encodeAnnouncement(
            fromHex(c.publicKeyHex as string),
            (c.addrs as string[]).map((a) => multiaddr(a).bytes),
            c.nonce as number,
          ),
        ),
      ).toBe(c.dataHex)
      break
    case 'announcement': {
      const peer = decodeAnnouncement(data)
      expect(peer === undefined ? null : { id: peer.id.toString(), addrs: peer.multiaddrs.map(String) }).toEqual(c.peer)
      break
    }
    default:
      throw new Error(`unknown vector type ${String(c.type)}`)
  }
  return Promise.resolve()
}
