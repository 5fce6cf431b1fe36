// Every limit of protocol v1 as a named constant. protocol/limits.md is the specification's table
// of them (test/unit/protocol/limits.test.ts keeps the two equal). Changing one is a protocol change.

// --- encoding (protocol/conventions.md) ---
/** Arrays and maps nest at most this deep: the top-level map is at depth 0. */
export const MAX_CBOR_DEPTH = 16

// --- events (protocol/events.md) ---
/** Largest signed event on the wire, in bytes (typical posts are well under 2 KiB). */
export const MAX_EVENT_BYTES = 4096
/** Post text: at most this many extended grapheme clusters (Intl.Segmenter, UAX #29)… */
export const MAX_POST_GRAPHEMES = 500
/** …and at most this many UTF-8 bytes. */
export const MAX_POST_TEXT_BYTES = 3000
/** Content warning, in graphemes. */
export const MAX_CW_GRAPHEMES = 100
/** Content warning, in UTF-8 bytes. */
export const MAX_CW_BYTES = 600
/** Hashtags per post. */
export const MAX_TAGS = 10
/** One hashtag (normalized, without `#`), in graphemes. */
export const MAX_TAG_GRAPHEMES = 50
/** One hashtag, in UTF-8 bytes. */
export const MAX_TAG_BYTES = 200
/** Mentioned authors per post. */
export const MAX_MENTIONS = 20
/** A BCP 47 language tag, in UTF-8 bytes (checked before its ASCII pattern). */
export const MAX_LANG_BYTES = 35
/**
 * A reaction emoji: exactly one grapheme of at most this many UTF-8 bytes. The longest RGI emoji
 * (Unicode 17.0) is 35 bytes (kiss or couple with two skin tones); the limit leaves room for more.
 */
export const MAX_EMOJI_BYTES = 64
/** Images per post. */
export const MAX_IMAGES = 4
/** One image (or thumbnail) blob, in bytes (protocol/blobs.md). */
export const MAX_BLOB_BYTES = 1_048_576
/** An image's width or height, in pixels, as a receiver accepts it (the reference client sends ≤ 2048). */
export const MAX_IMAGE_EDGE = 8192
/** An image's alt text, in graphemes… */
export const MAX_ALT_GRAPHEMES = 300
/** …and in UTF-8 bytes (the whole event stays within MAX_EVENT_BYTES). */
export const MAX_ALT_BYTES = 900
/** An image's placeholder (a blurhash), in bytes. */
export const MAX_BLURHASH_BYTES = 100

// --- time (all protocol objects carrying `ts`) ---
/** How far in the future (by the verifier's clock) a timestamp may be: 10 minutes. */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000
/** Earliest accepted timestamp: 2024-01-01T00:00:00Z. */
export const MIN_TIMESTAMP_MS = Date.UTC(2024, 0, 1)

// --- keys, ids, signatures ---
export const PUBLIC_KEY_BYTES = 32
export const SIGNATURE_BYTES = 64
export const EVENT_ID_BYTES = 32

// --- feed-document change envelopes (protocol/feed-envelope.md) ---
/** Largest Automerge change carried in one envelope. */
export const MAX_CHANGE_BYTES = 64 * 1024
/** Largest envelope on the wire: the change plus the fixed fields (v, author, sig, CBOR heads). */
export const MAX_CHANGE_ENVELOPE_BYTES = MAX_CHANGE_BYTES + 256

// --- invites (protocol/invites.md) ---
/** Relay addresses in one invite. */
export const MIN_INVITE_RELAYS = 1
export const MAX_INVITE_RELAYS = 8
/** One relay multiaddr string, in bytes (ASCII). */
export const MAX_RELAY_ADDR_BYTES = 256
/** Inviter's display name and community name, in graphemes. */
export const MAX_INVITE_NAME_GRAPHEMES = 50
/** …and in UTF-8 bytes. */
export const MAX_INVITE_NAME_BYTES = 300
/** Largest signed invite payload (before base64url). */
export const MAX_INVITE_BYTES = 3072

/** Profile fields a reader keeps (protocol/feed-document.md §1); longer ones are read as "". */
export const MAX_PROFILE_NAME_GRAPHEMES = 50
export const MAX_PROFILE_BIO_GRAPHEMES = 300
