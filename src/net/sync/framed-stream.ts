// A sync stream as a sequence of bounded frames (protocol/sync.md §Framing): unsigned-varint
// length prefix, at most MAX_FRAME_BYTES per frame, decoded with typed errors.
import { lpStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import { fail } from '../../core/index.ts'
import { decodeRequest, decodeResponse, encodeFrame } from './frames.ts'
import type { Frame, Request, Response } from './frames.ts'
import { MAX_FRAME_BYTES, MAX_STREAM_BUFFER_BYTES } from './limits.ts'

export interface FramedStream {
  write(frame: Frame, signal?: AbortSignal): Promise<void>
  /** the next request, or undefined when the peer closed the stream cleanly */
  readRequest(signal?: AbortSignal): Promise<Request | undefined>
  readResponse(signal?: AbortSignal): Promise<Response>
  close(): Promise<void>
  abort(reason: Error): void
}

export function frameStream(stream: Stream): FramedStream {
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES, maxBufferSize: MAX_STREAM_BUFFER_BYTES })
  const readBytes = async (signal?: AbortSignal): Promise<Uint8Array | undefined> => {
    try {
      return (await lp.read(signal === undefined ? {} : { signal })).subarray()
    } catch (err) {
      if (err instanceof Error && /EOF/i.test(err.name + err.message)) return undefined
      if (err instanceof Error && /length/i.test(err.name)) fail('E_OVERSIZE', 'sync frame over the limit', err)
      throw err
    }
  }
  return {
    async write(frame, signal) {
      await lp.write(encodeFrame(frame), signal === undefined ? {} : { signal })
    },
    async readRequest(signal) {
      const bytes = await readBytes(signal)
      return bytes === undefined ? undefined : decodeRequest(bytes)
    },
    async readResponse(signal) {
      const bytes = await readBytes(signal)
      if (bytes === undefined) fail('E_TRUNCATED', 'sync stream closed before the response')
      return decodeResponse(bytes)
    },
    async close() {
      await stream.close()
    },
    abort(reason) {
      stream.abort(reason)
    },
  }
}
