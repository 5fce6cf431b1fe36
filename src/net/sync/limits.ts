// Bounds of the catch-up sync protocol (protocol/sync.md §Limits). Every frame decoder
// enforces them, so a peer can never make us buffer more than MAX_FRAME_BYTES at once.
import { MAX_CHANGE_ENVELOPE_BYTES, MAX_EVENT_BYTES } from '../../core/index.ts'

export const SYNC_PROTOCOL = '/wildgrass/sync/1.0.0'
/** largest length-prefixed frame either side accepts */
export const MAX_FRAME_BYTES = 1024 * 1024
/** payload budget of one response frame (leaves room for the frame's own fields) */
export const FRAME_PAYLOAD_BUDGET = MAX_FRAME_BYTES - 64 * 1024
export const MAX_AUTHORS_PER_REQUEST = 256
export const MAX_HEADS_PER_AUTHOR = 64
export const MAX_IDS_PER_REQUEST = 1024
export const MAX_ITEMS_PER_FRAME = 1024
/** change envelopes a client accepts in one answer (one author's history) */
export const MAX_CHANGES_PER_ANSWER = 100_000
export const MAX_RECENT_LIMIT = 200 // × MAX_EVENT_BYTES stays under one frame
export const MAX_CURSOR_LENGTH = 128
export const MAX_AUTHOR_LENGTH = 128
export const MAX_ERROR_MESSAGE_LENGTH = 256
/** requests a client may have in flight on one stream (pipelining) */
export const MAX_PIPELINED_REQUESTS = 4
/** bytes a stream may buffer unread: the pipelined responses in flight */
export const MAX_STREAM_BUFFER_BYTES = (MAX_PIPELINED_REQUESTS + 2) * MAX_FRAME_BYTES
export { MAX_CHANGE_ENVELOPE_BYTES, MAX_EVENT_BYTES }
