// Limits of direct messages, mailboxes and the sealed part of the feed document
// (protocol/direct-messages.md, protocol/lists.md). Changing one is a protocol change.

/** Text of one direct message, in graphemes… */
export const MAX_DM_GRAPHEMES = 2000
/** …and in UTF-8 bytes. */
export const MAX_DM_TEXT_BYTES = 6000
/** The encoded letter (canonical DAG-CBOR) inside a sealed message, before padding. */
export const MAX_LETTER_BYTES = 8192
/** Letter ids: random bytes the sender draws; the recipient refuses an id twice (E_REPLAYED). */
export const LETTER_ID_BYTES = 16
/** A sealed message: version, one-time key, sealed sender key, padded letter and tag. */
export const SEALED_HEADER_BYTES = 1 + 32 + 32 + 16
export const MAX_SEALED_BYTES = SEALED_HEADER_BYTES + 2 + MAX_LETTER_BYTES + 16

/** Mailboxes rotate every week (UTC, counted from the epoch): a mailbox id is one week's. */
export const MAILBOX_EPOCH_MS = 7 * 24 * 60 * 60 * 1000

/** One encrypted change of the private document, before padding. */
export const MAX_PRIVATE_CHANGE_BYTES = 32 * 1024
/** A sealed private blob: version, nonce, padded change, tag. */
export const MAX_PRIVATE_BLOB_BYTES = 1 + 24 + 2 + MAX_PRIVATE_CHANGE_BYTES + 16
