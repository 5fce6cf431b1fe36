// The public surface of src/core (protocol/ is the specification), as one explicit list: what
// other layers may rely on is named here and nowhere else. They may import it from here or from
// the files behind it (eslint.config.js allows both).
export type {
  AuthorId,
  EventId,
  EventKind,
  Post,
  PostBody,
  PublicKey,
  ReactionBody,
  ReplyRef,
  RepostBody,
  SecretKey,
  SignedEvent,
  UnsignedEvent,
} from './types.ts'
export { ErrorCodes, WildgrassError, fail, isWildgrassError, type ErrorCode } from './errors.ts'
export {
  EVENT_ID_BYTES,
  MAX_CHANGE_BYTES,
  MAX_CHANGE_ENVELOPE_BYTES,
  MAX_CLOCK_SKEW_MS,
  MAX_CW_BYTES,
  MAX_CW_GRAPHEMES,
  MAX_EMOJI_BYTES,
  MAX_EVENT_BYTES,
  MAX_INVITE_BYTES,
  MAX_INVITE_NAME_BYTES,
  MAX_INVITE_NAME_GRAPHEMES,
  MAX_INVITE_RELAYS,
  MAX_LANG_BYTES,
  MAX_MENTIONS,
  MAX_POST_GRAPHEMES,
  MAX_POST_TEXT_BYTES,
  MAX_RELAY_ADDR_BYTES,
  MAX_TAG_BYTES,
  MAX_TAG_GRAPHEMES,
  MAX_TAGS,
  MIN_INVITE_RELAYS,
  MIN_TIMESTAMP_MS,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
} from './limits.ts'
export { decodeMap, encodeCanonical, isPlainMap, type CborMap } from './cbor.ts'
export { concatBytes, equalBytes, fromBase64Url, fromHex, toBase64Url, toHex, utf8Decode, utf8Encode } from './bytes.ts'
export {
  SIGNING_TAGS,
  assertPublicKey,
  checkSignature,
  generateSecretKey,
  getPublicKey,
  hasWebCryptoEd25519,
  sign,
  signedBytes,
  verifyBatch,
  verifyBatchWith,
  verifySignature,
  verifySignatureWith,
  type SignatureVerifier,
  type SigningTag,
  type VerifyBackend,
  type VerifyItem,
} from './keys.ts'
export { decodeDidKey, encodeDidKey, isAuthorId } from './did-key.ts'
export { PHRASE_LANGUAGES, PHRASE_WORDS, phraseToSecretKey, secretKeyToPhrase, splitPhraseWords, type PhraseLanguage } from './phrase.ts'
export { countGraphemes, extractHashtags, normalizeHashtag, isValidHashtag, isSingleEmoji, utf8Length } from './text.ts'
export { isEventId, EVENT_KINDS, EVENT_VERSION } from './event-wire.ts'
export { decodeEvent, eventIdOf, unsignedEventBytes, type EventOptions } from './event-decode.ts'
export { createEvent, type EventDraft } from './event-create.ts'
export { isVerifiedEvent, openEvent, openEvents, verifyEvent, verifyEvents, type OpenResult, type VerifiedEvent, type VerifyOptions } from './event-verify.ts'
export {
  decodeChangeEnvelope,
  openChangeEnvelope,
  signChange,
  verifyChangeEnvelope,
  type ChangeEnvelope,
  type VerifiedChangeEnvelope,
} from './feed-envelope.ts'
export { createInvite, decodeInvite, inviteBytesOf, parseInvite, type Invite, type InviteInit } from './invite.ts'
export {
  MAX_PEER_ID_CHARS,
  MAX_RELAY_RECORD_ADDRS,
  MAX_RELAY_RECORD_BYTES,
  RELAY_RECORD_MAX_AGE_MS,
  createRelayRecord,
  decodeRelayRecord,
  openRelayRecord,
  type RelayRecord,
  type RelayRecordInit,
  type RelayRecordOptions,
} from './relay-record.ts'
export {
  LETTER_ID_BYTES,
  MAILBOX_EPOCH_MS,
  MAX_DM_GRAPHEMES,
  MAX_DM_TEXT_BYTES,
  MAX_LETTER_BYTES,
  MAX_PRIVATE_BLOB_BYTES,
  MAX_PRIVATE_CHANGE_BYTES,
  MAX_SEALED_BYTES,
  SEALED_HEADER_BYTES,
} from './dm-limits.ts'
export { deriveDmKeys, mailboxEpochOf, mailboxIdOf, mailboxProofBytes, privateDocKeyOf, signAsMailbox, x25519PublicOf } from './dm-keys.ts'
export { decodeLetter, encodeLetter, type Letter } from './dm-letter.ts'
export { createDmIdentity, type DmIdentity, type OpenedLetter, type SealOptions } from './dm-seal.ts'
export { X25519_PKCS8_PREFIX, defaultX25519, nobleX25519, webCryptoX25519, type X25519Provider } from './x25519.ts'
export { openPrivateChange, sealPrivateChange } from './private-seal.ts'
