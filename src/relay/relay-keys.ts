// The relay's two secrets, kept in its data directory with file mode 0600 and never logged:
// - `peer-key`: the libp2p private key (protobuf), so the relay keeps its peer id across
//   restarts and the multiaddrs in invites stay valid;
// - `record-key`: a 32-byte Ed25519 seed that signs relay records (protocol/relays.md) and
//   the relay's invite links. Separate from the peer key, as a device's peer key is separate
//   from its identity key (docs/architecture.md "Storage on a device").
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import { deserializePeerKey, generatePeerKey, serializePeerKey } from '../net/peer-key.ts'
import type { SecretKey } from '../core/types.ts'
import { writeSecretFile } from './secret-file.ts'

export interface RelayKeys {
  readonly peerKey: PrivateKey
  readonly recordSecret: SecretKey
}

export const PEER_KEY_FILE = 'peer-key'
export const RECORD_KEY_FILE = 'record-key'

/** Load the keys from dataDir, creating missing ones. Creates dataDir (0700) if needed. */
export async function loadOrCreateRelayKeys(dataDir: string): Promise<RelayKeys> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const peerPath = join(dataDir, PEER_KEY_FILE)
  let peerBytes = readSecretFile(peerPath)
  if (peerBytes === undefined) {
    peerBytes = serializePeerKey(await generatePeerKey())
    writeSecretFile(peerPath, peerBytes)
  }
  const recordPath = join(dataDir, RECORD_KEY_FILE)
  let recordSeed = readSecretFile(recordPath)
  if (recordSeed === undefined) {
    // An Ed25519 secret key is 32 random bytes (RFC 8032 §5.1.5; protocol/identity.md).
    recordSeed = globalThis.crypto.getRandomValues(new Uint8Array(32))
    writeSecretFile(recordPath, recordSeed)
  }
  if (recordSeed.length !== 32) throw new Error(`${recordPath}: expected 32 bytes, found ${recordSeed.length}`)
  return { peerKey: deserializePeerKey(peerBytes), recordSecret: recordSeed as SecretKey }
}

function readSecretFile(path: string): Uint8Array | undefined {
  let stat
  try {
    stat = statSync(path)
  } catch {
    return undefined
  }
  // Someone loosened the mode (a copy, an archive restore): tighten it rather than refuse.
  if ((stat.mode & 0o077) !== 0) chmodSync(path, 0o600)
  return new Uint8Array(readFileSync(path))
}
