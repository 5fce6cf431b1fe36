// A mailbox stream as a sequence of bounded frames (protocol/direct-messages.md §5): unsigned-
// varint length prefix, at most MAX_MAILBOX_FRAME_BYTES, decoded with typed errors.
import { lpStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import { fail } from '../core/index.ts'
import { decodeMailboxFrame, encodeMailboxFrame, MAX_MAILBOX_FRAME_BYTES, type MailboxFrame } from './mailbox-frames.ts'

export interface MailboxStream {
  write(frame: MailboxFrame, signal?: AbortSignal): Promise<void>
  /** the next frame, or undefined when the peer closed cleanly */
  read(signal?: AbortSignal): Promise<MailboxFrame | undefined>
  close(): Promise<void>
  abort(reason: Error): void
}

export function frameMailboxStream(stream: Stream): MailboxStream {
  const lp = lpStream(stream, { maxDataLength: MAX_MAILBOX_FRAME_BYTES, maxBufferSize: 2 * MAX_MAILBOX_FRAME_BYTES })
  return {
    async write(frame, signal) {
      await lp.write(encodeMailboxFrame(frame), signal === undefined ? {} : { signal })
    },
    async read(signal) {
      let bytes: Uint8Array
      try {
        bytes = (await lp.read(signal === undefined ? {} : { signal })).subarray()
      } catch (err) {
        if (err instanceof Error && /EOF/i.test(err.name + err.message)) return undefined
        if (err instanceof Error && /length/i.test(err.name)) fail('E_OVERSIZE', 'mailbox frame over the limit', err)
        throw err
      }
      return decodeMailboxFrame(bytes)
    },
    async close() {
      await stream.close()
    },
    abort(reason) {
      stream.abort(reason)
    },
  }
}

/** The next frame, which must be of type `t`; an `error` frame becomes its typed error. */
export async function expectFrame<T extends MailboxFrame['t']>(s: MailboxStream, t: T, signal?: AbortSignal): Promise<Extract<MailboxFrame, { t: T }>> {
  const frame = await s.read(signal)
  if (frame === undefined) fail('E_TRUNCATED', 'mailbox stream closed early')
  if (frame.t === 'error') fail(isKnownCode(frame.code) ? frame.code : 'E_MALFORMED', `relay: ${frame.message}`)
  if (frame.t !== t) fail('E_MALFORMED', `mailbox: expected ${t}, got ${frame.t}`)
  return frame as Extract<MailboxFrame, { t: T }>
}

const PASSED_ON = new Set([
  'E_QUOTA',
  'E_RATE_LIMITED',
  'E_BAD_SIGNATURE',
  'E_BAD_KEY',
  'E_OVERSIZE',
  'E_MALFORMED',
  'E_SMALL_ORDER_KEY',
  'E_NON_CANONICAL_SIG',
  'E_STORAGE',
])

function isKnownCode(code: string): code is 'E_QUOTA' {
  return PASSED_ON.has(code)
}
