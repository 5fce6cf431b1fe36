// The passphrase rule of sealed export files (src/app/README.md "Export file"), kept apart
// from lib/export-crypto.ts so the screens can check it without loading scrypt and CBOR.

/** Shortest passphrase the app accepts, in characters after NFKC. */
export const MIN_PASSPHRASE_LENGTH = 10

// NFKC: the same passphrase typed with a full-width or a half-width keyboard (common with
// Chinese input methods) gives the same key.
export const normalizePassphrase = (passphrase: string): string => passphrase.normalize('NFKC')

/** Length in code points after NFKC: 10 Chinese characters count as 10. */
export const passphraseLength = (passphrase: string): number => [...normalizePassphrase(passphrase)].length
